from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "lamtheo.plans"
    verbose_name = _("Plans")
    #: Cards this app adds to the home page (see ``lamtheo.core.views.home_widgets``).
    home_widgets = ["plans/widgets/inbox.html"]

    def ready(self) -> None:
        from lamtheo.core.history import register_reasons
        from lamtheo.plans.services import HISTORY_REASONS

        register_reasons(HISTORY_REASONS)
