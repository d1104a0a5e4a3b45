from django.conf import settings

from .services import services_for


def preau(request):
    """What every page needs: the site's name and the services of the person's menu.

    The menu is computed only when a page renders it (a callable), from the person's scope
    already loaded for the request, so it costs no query of its own.
    """

    def nav_services() -> list[dict]:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return []
        return [
            {"label": service.label, "url": service.url, "current": request.path.startswith(service.url)}
            for service in services_for(user)
        ]

    return {"PREAU_SITE_NAME": "Préau", "PREAU_SITE_URL": settings.PREAU_SITE_URL, "nav_services": nav_services}
