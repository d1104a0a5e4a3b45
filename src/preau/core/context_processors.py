from django.conf import settings


def preau(request):
    """What every page needs: the site's name and where the person is signed in."""
    return {"PREAU_SITE_NAME": "Préau", "PREAU_SITE_URL": settings.PREAU_SITE_URL}
