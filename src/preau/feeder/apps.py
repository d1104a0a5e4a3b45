from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeederConfig(AppConfig):
    name = "preau.feeder"
    label = "feeder"
    verbose_name = _("Alimentation de l'annuaire")

    def ready(self) -> None:
        from preau.core.services import Service, register
        from preau.directory.policy import can_use_academie_console

        register(
            Service(
                code="feeder",
                label=_("Imports de l'annuaire"),
                url_name="feeder:imports",
                pictogram="document/document-add",
                description=_("Alimenter l'annuaire depuis les fichiers de l'AAF."),
                visible_to=can_use_academie_console,
                order=80,
            )
        )
