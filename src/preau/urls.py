from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView

from preau.core.floor import floor
from preau.core.views import healthz

urlpatterns = [
    path("", include("preau.portal.urls")),
    path("", include("preau.accounts.urls")),
    path("annuaire/imports/", include("preau.feeder.urls")),
    path("annuaire/", include("preau.directory.urls")),
    path("messagerie/", include("preau.messaging.urls")),
    path("notifications/", include("preau.notifications.urls")),
    path("discussions/", include("preau.chat.urls")),
    path("cahier-de-textes/", include("preau.homework.urls")),
    path("cahier-de-liaison/", include("preau.liaison.urls")),
    path("cahier-journal/", include("preau.journal.urls")),
    path("agenda/", include("preau.agenda.urls")),
    path("conventions/", include("preau.conventions.urls")),
    path("blogs/", include("preau.blog.urls")),
    path("actualites/", include("preau.news.urls")),
    path("moderation/", include("preau.moderation.urls")),
    path("sso/", include("preau.sso.urls")),
    path("", include("preau.sso.oidc_urls")),  # OpenID Connect provider, discovery at /.well-known/
    path("healthz", healthz, name="healthz"),
    path("bench/plancher", floor, name="bench_floor"),  # 404 unless PREAU_BENCH_FLOOR (bench/)
    # The Django admin is for the operators only (is_staff). They sign in through Préau's own
    # page, which has the lock-out and the rate limits that the admin's login lacks.
    path(
        "exploitation/login/",
        login_not_required(RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    ),
    path("exploitation/", admin.site.urls),
]
