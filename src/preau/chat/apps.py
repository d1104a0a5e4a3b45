from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatConfig(AppConfig):
    name = "preau.chat"
    verbose_name = _("Discussions instantanées")

    def ready(self) -> None:
        from preau.core import school_data
        from preau.core.services import Service, register
        from preau.directory.models import Profile
        from preau.directory.queries import access_of

        from . import actions

        def may_have_rooms(person) -> bool:
            # Pupils, the school's staff and the commune's périscolaire team: the people whose
            # classes, groups or school have rooms. No query: `access_of` is already loaded.
            access = access_of(person)
            return bool(access.taught_classes or access.own_classes) or access.has(
                Profile.PUPIL, Profile.TEACHER, Profile.DIRECTOR, Profile.PERISCOLAIRE, Profile.CITY_REFERENT
            )

        register(
            Service(
                code="chat",
                label=_("Discussions"),
                url_name="chat:rooms",
                pictogram="environment/human-cooperation",
                description=_("Les salons de discussion instantanée de la classe, des groupes et de l'équipe."),
                visible_to=may_have_rooms,
                order=25,
            )
        )
        school_data.register(self.label, self.verbose_name, actions.erase_school_data)
