from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView

from preau.core.views import healthz

urlpatterns = [
    path("", include("preau.portal.urls")),
    path("", include("preau.accounts.urls")),
    path("annuaire/imports/", include("preau.feeder.urls")),
    path("annuaire/", include("preau.directory.urls")),
    path("healthz", healthz, name="healthz"),
    # The Django admin is for the operators only (is_staff). They sign in through Préau's own
    # page, which has the lock-out and the rate limits that the admin's login lacks.
    path(
        "exploitation/login/",
        login_not_required(RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    ),
    path("exploitation/", admin.site.urls),
]
