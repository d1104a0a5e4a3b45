from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    name = "preau.agenda"
    verbose_name = _("Agenda")

    def ready(self) -> None:
        from preau.core import school_data
        from preau.core.notices import DIGEST, PUSH, TIMELINE, NoticeKind, register_kind
        from preau.core.services import Service, register

        from . import subscribers  # noqa: F401  (subscribes to the cahier de textes' events)
        from .actions import erase_school_data
        from .policy import has_agenda

        register(
            Service(
                code="agenda",
                label=_("Agenda"),
                url_name="agenda:month",
                pictogram="digital/calendar",
                description=_("Sorties, réunions, fêtes, vacances et devoirs à rendre, jusque dans votre téléphone."),
                visible_to=has_agenda,
                order=40,
            )
        )
        register_kind(
            NoticeKind(
                "agenda.event", _("Nouvel événement dans l'agenda"), frozenset({TIMELINE, DIGEST, PUSH}), order=40
            )
        )
        school_data.register(self.label, self.verbose_name, erase_school_data)
