"""What the two second factors (authenticator application, security key) share: failures count
like sign-ins, a success opens the session under a new key, an administrator keeps one."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest

from preau.accounts import ratelimit
from preau.accounts.actions import count_failed_sign_in, forget_failed_sign_ins, refuse_if_locked
from preau.core import audit
from preau.core.errors import DomainError
from preau.directory.models import Person

from . import policy
from .lifetime import SECOND_FACTOR_KEY


def check(person: Person, accepted: Callable[[], bool], *, failure: str, action: str) -> None:
    """Runs `accepted` unless the address is over its ceiling or the account is locked. A failure
    counts like a wrong password (the account's growing delay, a ceiling per 5 minutes would
    leave a six-digit code thousands of tries a day), is journaled as `action` and refused."""
    address = ratelimit.address_scope("totp")
    ratelimit.refuse_if_over_limit(address)
    refuse_if_locked(person)
    if not accepted():
        ratelimit.count(address)
        count_failed_sign_in(person)
        audit.record(None, action, subject=person)
        raise DomainError(failure)


def complete_sign_in(request: HttpRequest, action: str) -> None:
    forget_failed_sign_ins(request.user)
    request.session.pop(SECOND_FACTOR_KEY, None)
    request.session.cycle_key()
    audit.record(request.user, action, subject=request.user)


def required_of(person: Person) -> bool:
    return settings.PREAU_SSO_TOTP_REQUIRED_FOR_ADMINS and policy.must_use_totp(person)
