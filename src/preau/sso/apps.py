from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsoConfig(AppConfig):
    name = "preau.sso"
    label = "sso"
    verbose_name = _("Connexion fédérée")

    def ready(self) -> None:
        from preau.core.events import subscriber
        from preau.core.services import Service, register

        from . import signals  # noqa: F401  (connects the sign-in receiver)
        from .actions import sync_merges_of_academie
        from .policy import can_use_sso_console, must_use_totp

        register(
            Service(
                code="sso",
                label=_("Connexion fédérée"),
                url_name="sso:console",
                pictogram="system/padlock",
                description=_("ÉduConnect, le fournisseur d'identité des personnels, les services partenaires."),
                visible_to=can_use_sso_console,
                order=85,
            )
        )
        register(
            Service(
                code="sso-totp",
                label=_("Double authentification"),
                url_name="sso:totp_setup",
                pictogram="system/flow-settings",
                description=_("L'application d'authentification demandée aux administrateurs."),
                visible_to=must_use_totp,
                order=86,
            )
        )

        @subscriber("directory.imported")
        def follow_the_feed(name: str, academie_id: int | None = None, **payload) -> None:
            # A guardian's folded records (other académies) keep their children up to date.
            if academie_id is not None:
                sync_merges_of_academie(academie_id)
