from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo académie and synthetic académies: it writes into several apps, so it sits above them."""

    name = "preau.demo"
    label = "demo"
    verbose_name = _("Démonstration")
