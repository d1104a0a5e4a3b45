"""Ceilings on sign-in attempts, per address or per class tablet, over 5 minutes.

Sign-ins count only their failures: a whole school signs in from one address at 8:30, and
that must never lock it out. Requests that send an e-mail count every time.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from preau.core.context import current_origin
from preau.core.errors import DomainError

WINDOW_SECONDS = 300


def address_scope(kind: str) -> str | None:
    ip = current_origin.get().ip
    return f"{kind}-ip:{ip}" if ip else None


def refuse_if_over_limit(scope: str | None) -> None:
    if scope and (cache.get(f"preau:rate:{scope}") or 0) >= settings.PREAU_LOGIN_ATTEMPTS_PER_ADDRESS:
        raise DomainError(_("Trop de tentatives de connexion depuis cette adresse. Réessayez dans quelques minutes."))


def count(scope: str | None) -> None:
    if not scope:
        return
    key = f"preau:rate:{scope}"
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, WINDOW_SECONDS)
