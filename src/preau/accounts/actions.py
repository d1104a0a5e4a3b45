"""Writes of the accounts app: signing in and out, the charte, passwords."""

import datetime

from django.conf import settings
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.core import audit
from preau.core.context import current_origin
from preau.core.errors import DomainError
from preau.core.events import emit
from preau.directory.models import Person

from .charte import current_charte_for
from .models import CharteAcceptance, CharteVersion

SESSION_CHARTE_KEY = "preau_charte_ok"


def _lock_delay(failures: int) -> datetime.timedelta:
    """No delay for the first failures, then 30 s doubling each time, up to the maximum."""
    over = failures - settings.PREAU_LOGIN_FAILURES_BEFORE_DELAY
    if over < 0:
        return datetime.timedelta(0)
    seconds = min(30 * 2**over, settings.PREAU_LOGIN_MAX_DELAY_SECONDS)
    return datetime.timedelta(seconds=seconds)


def _check_address_rate(ip: str | None) -> None:
    if not ip:
        return
    key = f"preau:login-ip:{ip}"
    cache.add(key, 0, 300)
    try:
        attempts = cache.incr(key)
    except ValueError:
        attempts = 1
    if attempts > settings.PREAU_LOGIN_ATTEMPTS_PER_ADDRESS:
        raise DomainError(
            _("Trop de tentatives de connexion depuis cette adresse. Réessayez dans quelques minutes.")
        )


def _format_wait(until: datetime.datetime) -> str:
    seconds = max(1, int((until - timezone.now()).total_seconds()))
    if seconds < 90:
        return _("%(n)d secondes") % {"n": seconds}
    return _("%(n)d minutes") % {"n": (seconds + 59) // 60}


def sign_in(request: HttpRequest, *, username: str, password: str) -> Person:
    """Check a login and password and open a session.

    A locked account is refused before its password is checked (no hashing for an attacker).
    Failures count per account (growing delay) and per address (a ceiling).
    Emits `accounts.signed_in`.
    """
    _check_address_rate(current_origin.get().ip)
    person = Person.objects.filter(username__iexact=username.strip()).first()
    now = timezone.now()
    if person is not None and person.locked_until and person.locked_until > now:
        raise DomainError(
            _("Ce compte est temporairement bloqué après plusieurs essais infructueux."
              " Réessayez dans %(wait)s.") % {"wait": _format_wait(person.locked_until)}
        )
    authenticated = authenticate(request, username=username.strip(), password=password)
    if authenticated is None:
        if person is not None:
            _count_failure(person)
        raise DomainError(_("Identifiant ou mot de passe incorrect."))
    _open_session(request, authenticated, method="password")
    return authenticated


def _count_failure(person: Person) -> None:
    with transaction.atomic():
        Person.objects.filter(pk=person.pk).update(failed_logins=F("failed_logins") + 1)
        person.refresh_from_db(fields=["failed_logins"])
        delay = _lock_delay(person.failed_logins)
        if delay:
            person.locked_until = timezone.now() + delay
            person.save(update_fields=["locked_until"])
        audit.record(None, "accounts.login_failed", subject=person, failures=person.failed_logins)


def _open_session(request: HttpRequest, person: Person, *, method: str) -> None:
    """Start the session of a person whose identity was proven by `method`."""
    login(request, person, backend="django.contrib.auth.backends.ModelBackend")
    if person.failed_logins or person.locked_until:
        Person.objects.filter(pk=person.pk).update(failed_logins=0, locked_until=None)
    audit.record(person, "accounts.signed_in", subject=person, method=method)
    emit("accounts.signed_in", actor=person, method=method)


def sign_out(request: HttpRequest) -> None:
    person = request.user
    if person.is_authenticated:
        audit.record(person, "accounts.signed_out", subject=person)
    logout(request)


def sign_out_everywhere(request: HttpRequest) -> None:
    """End every session of the person (other devices included), then this one."""
    person = request.user
    Person.objects.filter(pk=person.pk).update(session_version=F("session_version") + 1)
    audit.record(person, "accounts.signed_out_everywhere", subject=person)
    logout(request)


def charte_is_accepted(request: HttpRequest) -> bool:
    """Whether the person has accepted the charte in force (read from the session first)."""
    charte = current_charte_for(request.user.academie_id)
    if charte is None:
        return True
    if request.session.get(SESSION_CHARTE_KEY) == charte.pk:
        return True
    accepted = CharteAcceptance.objects.filter(person=request.user, charte=charte).exists()
    if accepted:
        request.session[SESSION_CHARTE_KEY] = charte.pk
    return accepted


def accept_charte(request: HttpRequest, charte: CharteVersion) -> None:
    """Record that the signed-in person accepted this version of the charte."""
    person = request.user
    if charte != current_charte_for(person.academie_id):
        raise DomainError(_("Cette version de la charte n'est plus en vigueur ; lisez la nouvelle."))
    CharteAcceptance.objects.get_or_create(
        person=person, charte=charte, defaults={"ip": current_origin.get().ip}
    )
    request.session[SESSION_CHARTE_KEY] = charte.pk
    audit.record(person, "accounts.charte_accepted", target=charte, subject=person)


def change_own_password(request: HttpRequest, *, new_password: str) -> None:
    """The signed-in person chooses a new password; their other sessions end."""
    person = request.user
    try:
        validate_password(new_password, person)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), field="new_password1") from error
    person.set_password(new_password)
    person.must_change_password = False
    person.session_version += 1
    person.save(update_fields=["password", "must_change_password", "session_version"])
    update_session_auth_hash(request, person)
    audit.record(person, "accounts.password_changed", subject=person)
