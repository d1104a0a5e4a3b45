from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    name = "preau.liaison"
    verbose_name = _("Cahier de liaison")

    def ready(self) -> None:
        from preau.core import school_data
        from preau.core.notices import DIGEST, EMAIL, PUSH, TIMELINE, NoticeKind, register_kind
        from preau.core.services import Service, register

        from . import actions, policy

        register(
            Service(
                code="liaison",
                label=_("Cahier de liaison"),
                url_name="liaison:notebook",
                pictogram="document/document-signature",
                description=_("Les mots de l'école et de la commune aux familles, à lire et à signer."),
                visible_to=policy.uses_liaison,
                order=30,
            )
        )
        register_kind(
            NoticeKind(
                "liaison.note", _("Nouveau mot dans le cahier de liaison"), frozenset({TIMELINE, EMAIL, PUSH}), 30
            )
        )
        register_kind(
            NoticeKind("liaison.reminder", _("Rappel d'un mot à signer"), frozenset({TIMELINE, EMAIL, PUSH}), 31)
        )
        register_kind(
            NoticeKind("liaison.reply", _("Réponse à un mot du cahier de liaison"), frozenset({TIMELINE, DIGEST}), 32)
        )
        school_data.register(self.label, self.verbose_name, actions.erase_school_data)
