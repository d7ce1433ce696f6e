from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudyConfig(AppConfig):
    name = "lamtheo.study"
    verbose_name = _("Study sessions")
    #: Shown on the home page (see ``lamtheo.core.views.home_widgets``).
    home_widgets = ["study/widgets/upcoming.html"]

    def ready(self) -> None:
        from lamtheo.core.history import register_reasons

        # Reason codes stored by lamtheo.study.services; reasons typed by people (adding an
        # expected person, reopening a session) are stored and shown as typed.
        register_reasons(
            {
                "expected": _("Expected list drawn up"),
                "make-up created": _("Make-up session created"),
                "attendance recorded": _("Attendance recorded"),
                "closed": _("Closed"),
                "submitted": _("Submitted"),
                "rewritten after assessment": _("Rewritten after assessment"),
                "assessed": _("Assessed"),
            }
        )
