from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "preau.directory"
    label = "directory"
    verbose_name = _("Annuaire")

    def ready(self) -> None:
        from preau.core.services import Service, register

        from . import policy

        register(
            Service(
                code="directory.my_schools",
                label=_("Console de l'école"),
                url_name="directory:my_schools",
                pictogram="buildings/school",
                description=_("Classes, élèves, comptes des familles et rentrée."),
                visible_to=policy.has_school_console,
                order=80,
            )
        )
        register(
            Service(
                code="directory.my_classes",
                label=_("Mes classes"),
                url_name="directory:my_classes",
                pictogram="leisure/community",
                description=_("Élèves, familles, cartes de connexion et lettres d'activation."),
                visible_to=policy.is_teacher,
                order=81,
            )
        )
        register(
            Service(
                code="directory.academie_console",
                label=_("Console académique"),
                url_name="directory:academie_console",
                pictogram="buildings/city-hall",
                description=_("Écoles, communes, circonscriptions et administrateurs."),
                visible_to=policy.can_use_academie_console,
                order=90,
            )
        )
        register(
            Service(
                code="directory.audit_log",
                label=_("Journal"),
                url_name="directory:audit_log",
                pictogram="document/document-search",
                description=_("Qui a fait quoi, quand : recherche et export."),
                visible_to=policy.can_read_audit_log,
                order=91,
            )
        )
