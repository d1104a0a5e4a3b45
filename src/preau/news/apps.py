from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "preau.news"
    verbose_name = _("Actualités et pages de la commune")

    def ready(self) -> None:
        from preau.core import moderation, school_data
        from preau.core.notices import DIGEST, EMAIL, PUSH, TIMELINE, NoticeKind, register_kind
        from preau.core.services import Service, register
        from preau.directory.queries import access_of

        register(
            Service(
                code="news",
                label=_("Actualités"),
                url_name="news:list",
                pictogram="leisure/community",
                description=_("Les nouvelles de l'école, de la classe et de la commune."),
                visible_to=lambda person: bool(access_of(person).roles or access_of(person).children),
                order=60,
            )
        )
        from . import actions
        from .moderated import KIND

        moderation.register(KIND)
        register_kind(NoticeKind("news.published", _("Nouvelle actualité"), frozenset({TIMELINE, DIGEST}), order=60))
        register_kind(
            NoticeKind("news.withdrawn", _("Actualité retirée par la direction"), frozenset({TIMELINE, EMAIL, PUSH}))
        )
        school_data.register(self.label, self.verbose_name, actions.erase_school_data)
