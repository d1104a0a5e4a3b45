from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeworkConfig(AppConfig):
    name = "preau.homework"
    verbose_name = _("Cahier de textes")

    def ready(self) -> None:
        from preau.core import school_data
        from preau.core.notices import DIGEST, PUSH, TIMELINE, NoticeKind, register_kind
        from preau.core.services import Service, register
        from preau.directory.queries import access_of

        from . import actions
        from .policy import has_homework

        def is_pupil(person) -> bool:
            return bool(access_of(person).own_classes)

        # Pupils get their own big tile, first: what to do for tomorrow, read aloud if need be.
        register(
            Service(
                code="homework_pupil",
                label=_("Mes devoirs"),
                url_name="homework:todo",
                pictogram="map/backpack",
                description=_("Ce que j'ai à faire pour demain et cette semaine."),
                visible_to=is_pupil,
                order=5,
            )
        )
        register(
            Service(
                code="homework",
                label=_("Cahier de textes"),
                url_name="homework:index",
                pictogram="leisure/book",
                description=_("Les séances de la classe et le travail à faire."),
                visible_to=lambda person: has_homework(person) and not is_pupil(person),
                order=20,
            )
        )
        register_kind(
            NoticeKind("homework.published", _("Travail à faire"), frozenset({TIMELINE, DIGEST, PUSH}), order=20)
        )
        register_kind(
            NoticeKind("homework.changed", _("Travail à faire reporté"), frozenset({TIMELINE, DIGEST, PUSH}), order=21)
        )
        school_data.register(self.label, self.verbose_name, actions.erase_school_data)
