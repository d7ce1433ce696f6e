from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "lamtheo.documents"
    verbose_name = _("Documents and spreadsheet import")
    #: Contributed to the home page (see ``lamtheo.core.views.home_widgets``).
    home_widgets = ["documents/widgets/import.html"]
