"""What the two second factors (authenticator application, security key) share: failures count
like sign-ins, a success opens the session under a new key, an administrator keeps one."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest

from preau.accounts import ratelimit
from preau.core import audit
from preau.core.errors import DomainError
from preau.directory.models import Person

from . import policy
from .lifetime import SECOND_FACTOR_KEY
from .models import SecurityKey, TotpDevice


def check(person: Person, accepted: Callable[[], bool], *, failure: str, action: str) -> None:
    """Runs `accepted` unless the address or the account is over its failures' limit; a
    failure is counted, journaled as `action` and refused with `failure`."""
    address = ratelimit.address_scope("totp")
    account = f"totp-person:{person.pk}"
    ratelimit.refuse_if_over_limit(address)
    ratelimit.refuse_if_over_limit(account)
    if not accepted():
        ratelimit.count(address)
        ratelimit.count(account)
        audit.record(None, action, subject=person)
        raise DomainError(failure)


def complete_sign_in(request: HttpRequest, action: str) -> None:
    request.session.pop(SECOND_FACTOR_KEY, None)
    request.session.cycle_key()
    audit.record(request.user, action, subject=request.user)


def count_of(person: Person) -> int:
    """How many second factors the person has (a confirmed application counts as one)."""
    application = TotpDevice.objects.filter(person=person, confirmed_at__isnull=False).exists()
    return int(application) + SecurityKey.objects.filter(person=person).count()


def required_of(person: Person) -> bool:
    return settings.PREAU_SSO_TOTP_REQUIRED_FOR_ADMINS and policy.must_use_totp(person)
