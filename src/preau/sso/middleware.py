"""Two things every request passes through, placed before the charte's middleware.

1. A local sign-in that owes its second factor reaches nothing but the TOTP pages and the
   sign-out until the code is given; only the pages the charte's middleware itself sends to
   stay open, or the two would loop: the charte, and the password page for a provisional
   password only (for anyone else, a stolen password alone would replace the real one).
2. Single logout: when a federated session, or one that signed in to partner services, signs
   out through the accounts app, the browser is then sent to the page that ends the IdP's
   session and the partners' (front-channel) instead of straight to the sign-in page.
"""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .actions import SESSION_KEY
from .lifetime import AWAITING_CODE, SECOND_FACTOR_KEY
from .outbound import PARTNERS_KEY

LOGOUT_KEY = "preau_sso_logout"
_OPEN_PREFIXES = (
    "/static/",
    "/healthz",
    "/deconnexion/",
    "/jsi18n/",
    "/sso/double-authentification/",
    "/charte/",
)
PROVISIONAL_PAGE = "/compte/mot-de-passe/"


def _open_before_second_factor(request, user) -> bool:
    return request.path.startswith(_OPEN_PREFIXES) or (
        user.must_change_password and request.path.startswith(PROVISIONAL_PAGE)
    )


class SsoSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._logout_paths: set[str] | None = None

    def __call__(self, request):
        user = getattr(request, "user", None)
        leaving = None
        if user is not None and user.is_authenticated:
            owed = request.session.get(SECOND_FACTOR_KEY)
            if owed and not _open_before_second_factor(request, user):
                name = "sso:totp_verify" if owed == AWAITING_CODE else "sso:totp_setup"
                return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")
            if request.method == "POST" and request.path in self.logout_paths():
                leaving = {
                    "federation": request.session.get(SESSION_KEY),
                    "partners": request.session.get(PARTNERS_KEY, []),
                }
        response = self.get_response(request)
        if leaving and (leaving["federation"] or leaving["partners"]) and response.status_code in (301, 302):
            # accounts' sign-out flushed the session; this is the new, anonymous one.
            request.session[LOGOUT_KEY] = leaving
            return redirect("sso:signed_out")
        return response

    def logout_paths(self) -> set[str]:
        if self._logout_paths is None:
            self._logout_paths = {reverse("accounts:logout"), reverse("accounts:logout_everywhere")}
        return self._logout_paths
