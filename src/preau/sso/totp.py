"""The second factor of local sign-ins: an authenticator application (TOTP, RFC 6238, PyOTP).

Optional for every adult, required for administrators when `PREAU_SSO_TOTP_REQUIRED_FOR_ADMINS`
is on. The seed is stored encrypted; a code is accepted once (its time step is kept), a step
before or after the current one is tolerated (clocks drift), failures count like sign-ins.
"""

import time

import pyotp
import segno
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.core import audit
from preau.core.errors import DomainError, NotAllowed
from preau.directory.models import Person

from . import policy, queries, second_factor
from .crypto import decrypt, encrypt
from .lifetime import SECOND_FACTOR_KEY
from .models import TotpDevice

ISSUER = "Préau"
STEP_SECONDS = 30


def _totp(device: TotpDevice) -> pyotp.TOTP:
    return pyotp.TOTP(decrypt(device.secret_encrypted), interval=STEP_SECONDS)


def start_enrolment(person: Person) -> TotpDevice:
    """A new seed for the person (replacing an unconfirmed one). A confirmed application is
    replaced only through `remove_device` first."""
    if not policy.may_use_totp(person):
        raise NotAllowed(_("Les élèves se connectent avec leur carte, sans application d'authentification."))
    device = TotpDevice.objects.filter(person=person).first()
    if device is not None and device.confirmed_at:
        raise DomainError(_("Une application d'authentification est déjà activée sur ce compte."))
    secret = encrypt(pyotp.random_base32())
    if device is None:
        return TotpDevice.objects.create(person=person, secret_encrypted=secret)
    device.secret_encrypted = secret
    device.save(update_fields=["secret_encrypted"])
    return device


def provisioning(device: TotpDevice) -> tuple[str, str]:
    """The seed as the otpauth:// address (and its QR code as a data URI) for the application."""
    uri = _totp(device).provisioning_uri(name=device.person.username, issuer_name=ISSUER)
    return uri, segno.make(uri, error="m").svg_data_uri(scale=4)


def secret_for_display(device: TotpDevice) -> str:
    secret = decrypt(device.secret_encrypted)
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _accept(device: TotpDevice, code: str) -> bool:
    """Whether the code is right for a step not used yet; that step is then spent."""
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != 6:
        return False
    totp = _totp(device)
    now = time.time()
    for drift in (0, -1, 1):
        at = now + drift * STEP_SECONDS
        step = int(at // STEP_SECONDS)
        if step > device.last_step and totp.verify(code, for_time=at):
            updated = TotpDevice.objects.filter(pk=device.pk, last_step__lt=step).update(last_step=step)
            return bool(updated)
    return False


def _check(person: Person, device: TotpDevice, code: str) -> None:
    second_factor.check(
        person,
        lambda: _accept(device, code),
        failure=_("Ce code n'est pas le bon (ou il a déjà servi). Saisissez le code affiché maintenant."),
        action="sso.totp_failed",
    )


def confirm_enrolment(request: HttpRequest, code: str) -> None:
    """The first code proves the application works: it is activated, the session is verified."""
    person = request.user
    device = TotpDevice.objects.filter(person=person, confirmed_at__isnull=True).first()
    if device is None:
        raise DomainError(_("Aucune application en cours d'ajout : recommencez."))
    _check(person, device, code)
    TotpDevice.objects.filter(pk=device.pk).update(confirmed_at=timezone.now())
    request.session.pop(SECOND_FACTOR_KEY, None)
    audit.record(person, "sso.totp_enrolled", subject=person)


def verify_sign_in(request: HttpRequest, code: str) -> None:
    """The second step of a local sign-in: the session becomes usable."""
    person = request.user
    device = TotpDevice.objects.filter(person=person, confirmed_at__isnull=False).first()
    if device is None:
        raise DomainError(_("Aucune application d'authentification n'est activée sur ce compte."))
    _check(person, device, code)
    second_factor.complete_sign_in(request, "sso.totp_verified")


def remove_device(request: HttpRequest, code: str) -> None:
    """Remove one's application, with a current code; refused to those who must keep one."""
    person = request.user
    if second_factor.required_of(person) and queries.second_factors_of(person).count <= 1:
        raise NotAllowed(
            _("Les administrateurs doivent garder une application d'authentification ou une clé de sécurité.")
        )
    device = TotpDevice.objects.filter(person=person, confirmed_at__isnull=False).first()
    if device is None:
        raise DomainError(_("Aucune application d'authentification n'est activée sur ce compte."))
    _check(person, device, code)
    device.delete()
    audit.record(person, "sso.totp_removed", subject=person)
