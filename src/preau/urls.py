from django.contrib import admin
from django.urls import include, path

from preau.core.views import healthz

urlpatterns = [
    path("", include("preau.portal.urls")),
    path("", include("preau.accounts.urls")),
    path("annuaire/imports/", include("preau.feeder.urls")),
    path("annuaire/", include("preau.directory.urls")),
    path("healthz", healthz, name="healthz"),
    # The Django admin is for the operators only (is_staff).
    path("exploitation/", admin.site.urls),
]
