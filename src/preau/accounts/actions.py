"""Writes of the accounts app: signing in and out, activation letters, passwords, the charte."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from preau.core import audit
from preau.core.context import current_origin
from preau.core.errors import DomainError, NotAllowed
from preau.core.events import emit
from preau.directory.models import Person, School, SchoolClass, current_school_year

from . import policy, queries, ratelimit
from .charte import current_charte_for
from .codes import (
    new_activation_code,
    new_provisional_password,
    normalize_activation_code,
)
from .models import ActivationCode, CharteAcceptance, CharteVersion

SESSION_CHARTE_KEY = "preau_charte_ok"


def _lock_delay(failures: int) -> datetime.timedelta:
    """No delay for the first failures, then 30 s doubling each time, up to the maximum."""
    over = failures - settings.PREAU_LOGIN_FAILURES_BEFORE_DELAY
    if over < 0:
        return datetime.timedelta(0)
    seconds = min(30 * 2**over, settings.PREAU_LOGIN_MAX_DELAY_SECONDS)
    return datetime.timedelta(seconds=seconds)


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
    scope = ratelimit.address_scope("login")
    ratelimit.refuse_if_over_limit(scope)
    person = Person.objects.filter(username__iexact=username.strip()).first()
    refuse_if_locked(person)
    authenticated = authenticate(request, username=username.strip(), password=password)
    if authenticated is None:
        ratelimit.count(scope)
        if person is not None:
            count_failed_sign_in(person)
        raise DomainError(_("Identifiant ou mot de passe incorrect."))
    open_session(request, authenticated, method="password")
    return authenticated


def count_failed_sign_in(person: Person) -> None:
    """A wrong secret for this account (password, code, pictures, second factor): after a few,
    the account waits a growing delay. Journaled."""
    with transaction.atomic():
        Person.objects.filter(pk=person.pk).update(failed_logins=F("failed_logins") + 1)
        person.refresh_from_db(fields=["failed_logins"])
        delay = _lock_delay(person.failed_logins)
        if delay:
            person.locked_until = timezone.now() + delay
            person.save(update_fields=["locked_until"])
        audit.record(None, "accounts.login_failed", subject=person, failures=person.failed_logins)


def open_session(request: HttpRequest, person: Person, *, method: str) -> None:
    """Start the session of a person whose identity was proven by `method` (any sign-in path,
    SSO included): the failures are forgotten, the session journaled, `accounts.signed_in` emitted."""
    login(request, person, backend="django.contrib.auth.backends.ModelBackend")
    forget_failed_sign_ins(person)
    audit.record(person, "accounts.signed_in", subject=person, method=method)
    emit("accounts.signed_in", actor=person, method=method)


def forget_failed_sign_ins(person: Person) -> None:
    """The person proved who they are: their count of failures starts again."""
    if person.failed_logins or person.locked_until:
        Person.objects.filter(pk=person.pk).update(failed_logins=0, locked_until=None)
        person.failed_logins, person.locked_until = 0, None


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
    CharteAcceptance.objects.get_or_create(person=person, charte=charte, defaults={"ip": current_origin.get().ip})
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


def refuse_if_locked(person: Person | None) -> None:
    """Refuse, with the wait in French, an account locked by its failures."""
    if person is not None and person.locked_until and person.locked_until > timezone.now():
        raise DomainError(
            _("Ce compte est temporairement bloqué après plusieurs essais infructueux. Réessayez dans %(wait)s.")
            % {"wait": _format_wait(person.locked_until)}
        )


# --- Activation letters and account activation ----------------------------------------------


@dataclass(frozen=True)
class ActivationLetter:
    """What one printed letter says. `code` exists only here, never in the database."""

    parent: Person
    school: School
    children: list[tuple[str, str]]
    code: str
    expires_at: datetime.datetime


def issue_activation_letters(
    actor: Person, school_class: SchoolClass, *, include_activated: bool = False
) -> list[ActivationLetter]:
    """New activation codes for the parents of a class's pupils, one letter each.

    For the director and the DSDEN and académie administrators. Parents who have already
    activated their account get none unless `include_activated`. Each parent's previous
    unused codes are revoked. Audited per parent (`accounts.activation_letter_issued`).
    """
    if not policy.can_issue_activation_letters(actor, school_class):
        raise NotAllowed(_("Vous ne pouvez pas imprimer les lettres d'activation de cette classe."))
    rows = queries.parents_of_class(school_class, include_activated=include_activated)
    if not rows:
        raise DomainError(_("Tous les parents de cette classe ont déjà activé leur compte : aucune lettre à imprimer."))
    return _issue_letters(actor, school_class.school, rows)


def reset_parent_access(actor: Person, parent: Person) -> ActivationLetter:
    """A new activation letter for one parent (who lost their password and has no e-mail).

    For the director of one of the parent's children (or the DSDEN and académie admins).
    Revokes the parent's previous unused codes; audited.
    """
    schools = queries.schools_of_children(parent)
    if not schools or not policy.can_reset_parent_access(actor, schools):
        raise NotAllowed(_("Vous ne pouvez pas gérer le compte de ce parent."))
    school = next(s for s in schools if policy.can_reset_parent_access(actor, [s]))
    school_class = SchoolClass.objects.filter(
        school=school,
        year=current_school_year(),
        enrolments__pupil__guardian_links__guardian=parent,
        enrolments__pupil__is_active=True,
    ).first()
    rows = queries.parents_of_class(school_class, parent_ids=[parent.pk]) if school_class else []
    if not rows:
        raise DomainError(_("Ce parent n'a pas d'enfant inscrit dans cette école cette année."))
    return _issue_letters(actor, school, rows)[0]


def _issue_letters(actor: Person, school: School, rows: list[queries.ParentOfClass]) -> list[ActivationLetter]:
    now = timezone.now()
    expires_at = now + datetime.timedelta(days=settings.PREAU_ACTIVATION_DAYS)
    codes = {row.parent.pk: new_activation_code() for row in rows}
    # Hashing (argon2) happens before the transaction, so the write lock is held briefly.
    hashes = {pk: make_password(code) for pk, code in codes.items()}
    with transaction.atomic():
        ActivationCode.objects.filter(person_id__in=list(codes), used_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=now
        )
        created = ActivationCode.objects.bulk_create(
            ActivationCode(person_id=pk, code_hash=hashes[pk], expires_at=expires_at, created_by=actor) for pk in codes
        )
        for row, code in zip(rows, created, strict=True):
            audit.record(
                actor,
                "accounts.activation_letter_issued",
                target=code,
                subject=row.parent,
                school_id=school.pk,
                expires_at=expires_at.isoformat(),
            )
    return [
        ActivationLetter(
            parent=row.parent, school=school, children=row.children, code=codes[row.parent.pk], expires_at=expires_at
        )
        for row in rows
    ]


def activate_account(request: HttpRequest, *, username: str, code: str, password: str, email: str) -> Person:
    """A parent (or anyone given a letter) proves who they are with the letter's code.

    Sets the password and e-mail, marks the account activated and the code used, and opens
    the session. Wrong codes count as failed sign-ins of the account; attempts are limited
    per address. Nothing changes when anything is wrong. Emits `accounts.activated`.
    """
    scope = ratelimit.address_scope("activation")
    ratelimit.refuse_if_over_limit(scope)
    person = Person.objects.filter(username__iexact=username.strip(), is_active=True).first()
    refuse_if_locked(person)
    typed = normalize_activation_code(code)
    candidates = list(person.activation_codes.order_by("-created_at")[:3]) if person else []
    matched = next((c for c in candidates if check_password(typed, c.code_hash)), None)
    if matched is None:
        if not candidates:
            make_password(typed)  # the same work whether the login and a code exist or not
        ratelimit.count(scope)
        if person is not None:
            count_failed_sign_in(person)
        raise DomainError(_("Identifiant ou code d'activation incorrect. Vérifiez la lettre de l'école."))
    _refuse_spent_code(matched)
    if not email.strip() and person.child_links.exists():
        raise DomainError(
            _(
                "Indiquez votre adresse électronique : elle vous permettra de retrouver"
                " votre mot de passe si vous l'oubliez."
            ),
            field="email",
        )
    try:
        validate_password(password, person)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), field="password1") from error
    now = timezone.now()
    with transaction.atomic():
        if not ActivationCode.objects.filter(pk=matched.pk, used_at__isnull=True, revoked_at__isnull=True).update(
            used_at=now
        ):
            raise DomainError(_("Ce code d'activation vient d'être utilisé."))
        person.set_password(password)
        person.email = email.strip() or person.email
        person.activated_at = now
        person.must_change_password = False
        person.session_version += 1
        person.save(update_fields=["password", "email", "activated_at", "must_change_password", "session_version"])
        audit.record(person, "accounts.activated", target=matched, subject=person)
        emit("accounts.activated", actor=person)
    open_session(request, person, method="activation")
    return person


def _refuse_spent_code(code: ActivationCode) -> None:
    if code.used_at:
        raise DomainError(
            _(
                "Ce code d'activation a déjà servi le %(date)s. Connectez-vous avec votre mot de passe,"
                " ou demandez une nouvelle lettre à l'école."
            )
            % {"date": _day(code.used_at)}
        )
    if code.revoked_at:
        raise DomainError(
            _("Ce code a été remplacé par une lettre plus récente : utilisez le code de la dernière lettre reçue.")
        )
    if code.expires_at <= timezone.now():
        raise DomainError(
            _("Ce code d'activation a expiré le %(date)s : demandez une nouvelle lettre à l'école.")
            % {"date": _day(code.expires_at)}
        )


def _day(moment: datetime.datetime) -> str:
    return date_format(timezone.localtime(moment), "j F Y")


# --- Passwords reset by someone else ----------------------------------------------------------


def reset_pupil_password(actor: Person, pupil: Person, school_class: SchoolClass) -> str:
    """A teacher or the director gives a pupil a provisional password, shown once.

    The pupil chooses their own at the next sign-in; their sessions end. Audited (the
    password itself is not).
    """
    if not policy.can_reset_password_in(actor, school_class):
        raise NotAllowed(_("Vous ne pouvez pas réinitialiser les mots de passe de cette classe."))
    if queries.pupil_in_class(pupil.pk, school_class) is None:
        raise DomainError(_("Cet élève n'est pas inscrit dans cette classe."))
    password = new_provisional_password()
    with transaction.atomic():
        pupil.set_password(password)
        pupil.must_change_password = True
        pupil.session_version += 1
        pupil.failed_logins = 0
        pupil.locked_until = None
        pupil.save(
            update_fields=["password", "must_change_password", "session_version", "failed_logins", "locked_until"]
        )
        audit.record(actor, "accounts.pupil_password_reset", subject=pupil, school_id=school_class.school_id)
    return password


def set_password_from_email(person: Person, *, new_password: str) -> None:
    """The end of a reset by e-mail (the link proved the address): new password, sessions end."""
    with transaction.atomic():
        person.set_password(new_password)
        person.must_change_password = False
        person.session_version += 1
        person.failed_logins = 0
        person.locked_until = None
        person.save(
            update_fields=["password", "must_change_password", "session_version", "failed_logins", "locked_until"]
        )
        audit.record(person, "accounts.password_reset_by_email", subject=person)


def limit_password_reset_requests() -> None:
    """Reset e-mails are limited per address (every request counts), so the page cannot send a flood."""
    scope = ratelimit.address_scope("password-reset")
    ratelimit.refuse_if_over_limit(scope)
    ratelimit.count(scope)


def note_password_reset_requested(person: Person) -> None:
    """Journal each reset e-mail sent (the page never says whether an address is known)."""
    audit.record(None, "accounts.password_reset_requested", subject=person)
