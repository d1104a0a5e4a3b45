"""First sign-in: the charte must be accepted (and the password chosen) before anything else."""

from django.shortcuts import redirect
from django.urls import reverse

from .actions import charte_is_accepted

# Paths a person may reach before accepting the charte.
_OPEN_PREFIXES = ("/static/", "/healthz", "/charte/", "/deconnexion/", "/exploitation/", "/jsi18n/")


class CharteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(_OPEN_PREFIXES):
            if not charte_is_accepted(request):
                return redirect(f"{reverse('accounts:accept_charte')}?next={request.get_full_path()}")
            password_url = reverse("accounts:choose_password")
            if user.must_change_password and request.path != password_url:
                return redirect(password_url)
        return self.get_response(request)
