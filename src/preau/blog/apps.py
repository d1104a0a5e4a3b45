from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlogConfig(AppConfig):
    name = "preau.blog"
    verbose_name = _("Blogs")

    def ready(self) -> None:
        from preau.core import moderation, school_data
        from preau.core.notices import DIGEST, EMAIL, PUSH, TIMELINE, NoticeKind, register_kind
        from preau.core.services import Service, register
        from preau.directory.queries import access_of

        from . import actions
        from .moderated import COMMENT, POST

        moderation.register(POST)
        moderation.register(COMMENT)
        register(
            Service(
                code="blog",
                label=_("Blogs"),
                url_name="blog:index",
                pictogram="leisure/paint",
                description=_("Les blogs de la classe, de l'école et des groupes."),
                visible_to=lambda person: bool(
                    access_of(person).taught_classes or access_of(person).own_classes or access_of(person).children
                ),
                order=50,
            )
        )
        register_kind(NoticeKind("blog.post", _("Nouvel article de blog"), frozenset({TIMELINE, DIGEST}), order=50))
        register_kind(NoticeKind("blog.comment", _("Commentaire sur votre article"), frozenset({TIMELINE}), order=51))
        register_kind(
            NoticeKind("blog.public_requested", _("Blog à ouvrir au public"), frozenset({TIMELINE, EMAIL, PUSH}), 52)
        )
        school_data.register(self.label, self.verbose_name, actions.erase_school_data)
