from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudyConfig(AppConfig):
    name = "lamtheo.study"
    verbose_name = _("Study sessions")
    #: Shown on the home page (see ``lamtheo.core.views.home_widgets``).
    home_widgets = ["study/widgets/upcoming.html"]
