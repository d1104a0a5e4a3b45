from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeederConfig(AppConfig):
    name = "preau.feeder"
    label = "feeder"
    verbose_name = _("Alimentation de l'annuaire")
