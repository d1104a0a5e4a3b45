from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "preau.messaging"
    verbose_name = _("Messagerie")

    def ready(self) -> None:
        from preau.core import moderation, school_data
        from preau.core.notices import EMAIL, PUSH, TIMELINE, NoticeKind, register_kind
        from preau.core.services import Service, register

        from . import actions
        from .moderated import KIND
        from .policy import can_use_messaging

        moderation.register(KIND)

        register_kind(
            NoticeKind(
                "messaging.message",
                _("Nouveau message"),
                default_channels=frozenset({TIMELINE, EMAIL, PUSH}),
                order=10,
            )
        )
        register(
            Service(
                code="messaging",
                label=_("Messagerie"),
                url_name="messaging:inbox",
                pictogram="digital/mail-send",
                description=_("Écrire à l'école, aux familles et aux enseignant·es, et lire ses messages."),
                visible_to=can_use_messaging,
                order=10,
            )
        )
        school_data.register(self.label, self.verbose_name, actions.erase_school_data)
