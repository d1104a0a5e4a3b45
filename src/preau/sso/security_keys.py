"""Security keys and passkeys (WebAuthn, with py_webauthn) as the second factor of local sign-ins.

They stand beside the authenticator application (`totp.py`): optional for every adult, either
one satisfies an administrator who must have a second factor. The browser exchanges JSON with
the views; each challenge is kept in the session for one use and a few minutes. Only public
keys are stored; the counter an authenticator returns must grow, or the key was cloned.
"""

import json
import time

from django.conf import settings
from django.db import IntegrityError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from preau.core import audit
from preau.core.errors import DomainError, NotAllowed
from preau.directory.models import Person

from . import policy, queries, second_factor
from .lifetime import SECOND_FACTOR_KEY
from .models import SecurityKey

CHALLENGE_KEY = "preau_webauthn_challenge"
CHALLENGE_SECONDS = 300
MAX_KEYS = 10
REGISTER, SIGN_IN = "register", "sign_in"


def relying_party(request: HttpRequest) -> tuple[str, str]:
    """The relying party's id (the site's domain, or the setting behind a proxy that rewrites
    it) and the origin the browser must report."""
    host = request.get_host()
    rp_id = settings.PREAU_WEBAUTHN_RP_ID or host.rsplit(":", 1)[0]
    return rp_id, f"{request.scheme}://{host}"


def _remember(request: HttpRequest, purpose: str, challenge: bytes) -> None:
    request.session[CHALLENGE_KEY] = {"purpose": purpose, "challenge": bytes_to_base64url(challenge), "at": time.time()}


def _take_challenge(request: HttpRequest, purpose: str) -> bytes:
    """The challenge given for this purpose, once: a second answer to it is refused."""
    stored = request.session.pop(CHALLENGE_KEY, None)
    if not stored or stored.get("purpose") != purpose or time.time() - stored.get("at", 0) > CHALLENGE_SECONDS:
        raise DomainError(_("La demande a expiré : recommencez."))
    return base64url_to_bytes(stored["challenge"])


def _descriptors(person: Person) -> list[PublicKeyCredentialDescriptor]:
    return [
        PublicKeyCredentialDescriptor(id=base64url_to_bytes(credential_id))
        for credential_id in SecurityKey.objects.filter(person=person).values_list("credential_id", flat=True)
    ]


def registration_options(request: HttpRequest) -> str:
    """What the browser needs to create a key for the signed-in person (JSON)."""
    person = request.user
    if not policy.may_use_totp(person):
        raise NotAllowed(_("Les élèves se connectent avec leur carte, sans clé de sécurité."))
    if SecurityKey.objects.filter(person=person).count() >= MAX_KEYS:
        raise DomainError(
            _("Vous avez déjà %(count)d clés de sécurité : retirez-en une d'abord.") % {"count": MAX_KEYS}
        )
    rp_id, _origin = relying_party(request)
    options = generate_registration_options(
        rp_id=rp_id,
        rp_name="Préau",
        # The user handle is the account number: nothing personal reaches the authenticator but
        # the login shown to choose among keys.
        user_id=str(person.pk).encode(),
        user_name=person.username,
        user_display_name=person.full_name,
        exclude_credentials=_descriptors(person),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        timeout=CHALLENGE_SECONDS * 1000,
    )
    _remember(request, REGISTER, options.challenge)
    return options_to_json(options)


def register(request: HttpRequest, credential: dict, name: str) -> SecurityKey:
    """Checks the authenticator's answer and keeps its public key under the name given."""
    person = request.user
    name = " ".join(name.split())[:60] or _("Clé de sécurité")
    challenge = _take_challenge(request, REGISTER)
    rp_id, origin = relying_party(request)
    try:
        verified = verify_registration_response(
            credential=credential, expected_challenge=challenge, expected_origin=origin, expected_rp_id=rp_id
        )
    except (WebAuthnException, KeyError, TypeError, ValueError) as error:
        audit.record(person, "sso.key_refused", subject=person, details={"reason": str(error)[:200]})
        raise DomainError(_("La clé n'a pas pu être vérifiée : recommencez.")) from error
    try:
        key = SecurityKey.objects.create(
            person=person,
            name=name,
            credential_id=bytes_to_base64url(verified.credential_id),
            public_key=verified.credential_public_key,
            sign_count=verified.sign_count,
        )
    except IntegrityError as error:
        raise DomainError(_("Cette clé est déjà enregistrée.")) from error
    # Adding a factor is what an administrator without one was asked to do.
    request.session.pop(SECOND_FACTOR_KEY, None)
    audit.record(person, "sso.key_added", subject=person, details={"name": name})
    return key


def sign_in_options(request: HttpRequest) -> str:
    """The challenge of the second step of a local sign-in, for the person's keys (JSON)."""
    person = request.user
    allowed = _descriptors(person)
    if not allowed:
        raise DomainError(_("Aucune clé de sécurité n'est enregistrée sur ce compte."))
    rp_id, _origin = relying_party(request)
    options = generate_authentication_options(
        rp_id=rp_id,
        allow_credentials=allowed,
        user_verification=UserVerificationRequirement.PREFERRED,
        timeout=CHALLENGE_SECONDS * 1000,
    )
    _remember(request, SIGN_IN, options.challenge)
    return options_to_json(options)


def verify_sign_in(request: HttpRequest, credential: dict) -> None:
    """The second step of a local sign-in with a key: the session becomes usable."""
    person = request.user

    def accepted() -> bool:
        challenge = _take_challenge(request, SIGN_IN)
        key = SecurityKey.objects.filter(person=person, credential_id=str(credential.get("id", ""))).first()
        if key is None:
            return False
        rp_id, origin = relying_party(request)
        try:
            verified = verify_authentication_response(
                credential=credential,
                expected_challenge=challenge,
                expected_origin=origin,
                expected_rp_id=rp_id,
                credential_public_key=bytes(key.public_key),
                credential_current_sign_count=key.sign_count,
            )
        except (WebAuthnException, KeyError, TypeError, ValueError) as error:
            audit.record(None, "sso.key_refused", subject=person, details={"reason": str(error)[:200]})
            return False
        SecurityKey.objects.filter(pk=key.pk).update(sign_count=verified.new_sign_count, last_used_at=timezone.now())
        return True

    second_factor.check(
        person, accepted, failure=_("La clé n'a pas été reconnue : recommencez."), action="sso.key_failed"
    )
    second_factor.complete_sign_in(request, "sso.key_verified")


def remove(request: HttpRequest, key_id: int) -> None:
    """Removes one of one's keys; an administrator who must have a second factor keeps one."""
    person = request.user
    key = SecurityKey.objects.filter(person=person, pk=key_id).first()
    if key is None:
        raise DomainError(_("Cette clé n'existe plus."))
    if second_factor.required_of(person) and queries.second_factors_of(person).count <= 1:
        raise NotAllowed(
            _("Les administrateurs doivent garder une clé de sécurité ou une application d'authentification.")
        )
    key.delete()
    audit.record(person, "sso.key_removed", subject=person, details={"name": key.name})


def keys_of(person: Person) -> list[SecurityKey]:
    return list(SecurityKey.objects.filter(person=person))


def parse(body: bytes) -> dict:
    """The JSON a page script posts; anything else is a clear refusal."""
    try:
        payload = json.loads(body or b"{}")
    except ValueError as error:
        raise DomainError(_("Réponse du navigateur illisible : recommencez.")) from error
    if not isinstance(payload, dict):
        raise DomainError(_("Réponse du navigateur illisible : recommencez."))
    return payload
