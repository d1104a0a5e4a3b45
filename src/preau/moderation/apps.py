from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "preau.moderation"
    verbose_name = _("Modération")

    def ready(self) -> None:
        from preau.core import moderation, school_data
        from preau.core.notices import DIGEST, EMAIL, PUSH, TIMELINE, NoticeKind, register_kind
        from preau.core.services import Service, register

        from . import actions  # noqa: F401 — subscribes to the services' events
        from .policy import can_open_queue
        from .screening import screen

        moderation.install_screener(screen)
        register(
            Service(
                code="moderation",
                label=_("Modération"),
                url_name="moderation:queue",
                pictogram="system/warning",
                description=_("Contributions à valider, signalements et publications récentes."),
                visible_to=can_open_queue,
                order=90,
            )
        )
        register_kind(
            NoticeKind("moderation.to_review", _("Contribution à valider"), frozenset({TIMELINE, EMAIL, PUSH}), 80)
        )
        register_kind(NoticeKind("moderation.reported", _("Contenu signalé"), frozenset({TIMELINE, EMAIL, PUSH}), 81))
        register_kind(
            NoticeKind("moderation.decision", _("Décision sur votre publication"), frozenset({TIMELINE, DIGEST}), 82)
        )
        school_data.register(self.label, self.verbose_name, actions.erase_school_data)
