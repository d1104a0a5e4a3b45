from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConventionsConfig(AppConfig):
    name = "preau.conventions"
    verbose_name = _("Conventions")

    def ready(self) -> None:
        from preau.core.notices import DIGEST, EMAIL, TIMELINE, NoticeKind, register_kind
        from preau.core.services import Service, register
        from preau.directory.models import Profile
        from preau.directory.queries import access_of

        from . import policy

        register(
            Service(
                code="conventions",
                label=_("Conventions"),
                url_name="conventions:index",
                pictogram="document/contract",
                description=_("Conventions des communes, écoles inscrites, participations et titres de perception."),
                visible_to=policy.can_use_conventions,
                order=92,
            )
        )
        register(
            Service(
                code="conventions.coverage",
                label=_("Convention de l'école"),
                url_name="conventions:coverage",
                pictogram="document/document-signature",
                description=_("L'école est-elle couverte par la convention de sa commune, et jusqu'à quand ?"),
                visible_to=lambda person: access_of(person).has(Profile.DIRECTOR),
                order=93,
            )
        )
        immediate = frozenset({TIMELINE, EMAIL})
        for code, label in [
            ("conventions.to_sign", _("Convention à signer")),
            ("conventions.signed", _("Convention signée")),
            ("conventions.titre", _("Titre de perception émis")),
            ("conventions.termination", _("Résiliation d'une convention")),
            ("conventions.coverage", _("École hors convention")),
        ]:
            register_kind(NoticeKind(code, label, immediate, order=90))
        register_kind(
            NoticeKind("conventions.reminder", _("Rappels des conventions"), frozenset({TIMELINE, DIGEST}), order=91)
        )
