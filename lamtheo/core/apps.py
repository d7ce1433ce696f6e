from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "lamtheo.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from lamtheo.core.client_ip import check_trusted_proxies

        checks.register(check_trusted_proxies)
