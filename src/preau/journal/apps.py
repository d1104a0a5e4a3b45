from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JournalConfig(AppConfig):
    name = "preau.journal"
    verbose_name = _("Cahier journal")

    def ready(self) -> None:
        from preau.core import school_data
        from preau.core.notices import EMAIL, TIMELINE, NoticeKind, register_kind
        from preau.core.services import Service, register

        from . import actions
        from .policy import keeps_journal

        register(
            Service(
                code="journal",
                label=_("Cahier journal"),
                url_name="journal:day",
                pictogram="document/binders",
                description=_("Votre préparation de classe, jour par jour : elle n'est lue que par vous."),
                visible_to=keeps_journal,
                order=35,
            )
        )
        register_kind(
            NoticeKind("journal.shared", _("Cahier journal prêté pour un remplacement"), frozenset({TIMELINE, EMAIL}))
        )
        school_data.register(self.label, self.verbose_name, actions.erase_school_data)
