"""Where to go back after a form: the `next` a page passes, kept only if it stays on this site
(never an open redirect to another one)."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def is_local(request: HttpRequest, url: str) -> bool:
    """Whether `url` leads to this site: a path, or the host the request came to (over HTTPS
    when the request came so)."""
    return url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure())


def next_url(request: HttpRequest, default: str = "") -> str:
    """The `next` of the form (or of the address) if it is local, else `default`."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    return candidate if is_local(request, candidate) else default
