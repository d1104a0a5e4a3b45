from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "preau.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from preau.core import school_data
        from preau.core.services import Service, register

        from . import subscribers  # noqa: F401  (subscribes to the "notice" event)
        from .actions import erase_school_data
        from .policy import has_timeline

        register(
            Service(
                code="notifications",
                label=_("Notifications"),
                url_name="notifications:timeline",
                pictogram="system/notification",
                description=_("Tout ce qui vous concerne, et comment vous en êtes prévenu·e."),
                visible_to=has_timeline,
                order=15,
            )
        )
        school_data.register(self.label, self.verbose_name, erase_school_data)
