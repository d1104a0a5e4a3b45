"""Writes of the login cards: print, reprint, revoke, and the two ways of signing in with one.

A card's QR token (256 bits) is checked by its SHA-256 digest: no password hashing, so a
whole school can scan its cards at 8:30. The picture code is short, so it is hashed with
argon2 and only accepted from a class tablet, with the same lock-out as passwords.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.core import audit
from preau.core.errors import DomainError, NotAllowed
from preau.directory.models import Person, SchoolClass

from . import policy, queries, ratelimit
from .actions import count_failed_sign_in, open_session, refuse_if_locked
from .codes import new_card_token, new_picture_code, picture_code_secret, token_digest
from .models import LoginCard


@dataclass(frozen=True)
class IssuedCard:
    """A card just made. `token` and `pictures` exist only here, for printing."""

    card: LoginCard
    pupil: Person
    school_class: SchoolClass
    token: str
    pictures: tuple[str, ...]

    @property
    def url(self) -> str:
        return settings.PREAU_SITE_URL + reverse("accounts:card_login", args=[self.token])


def issue_login_card(actor: Person, pupil: Person, school_class: SchoolClass) -> IssuedCard:
    """A new login card for a pupil of the class; the pupil's previous cards stop working.

    For the class's teachers and the school's director. Audited (`accounts.login_card_issued`).
    """
    if not policy.can_manage_cards_of(actor, school_class):
        raise NotAllowed(_("Vous ne pouvez pas gérer les cartes de cette classe."))
    if queries.pupil_in_class(pupil.pk, school_class) is None:
        raise DomainError(_("Cet élève n'est pas inscrit dans cette classe."))
    return _issue_cards(actor, [pupil], school_class)[0]


def issue_missing_login_cards(actor: Person, school_class: SchoolClass) -> list[IssuedCard]:
    """Cards for the class's pupils who have no card in use (the others keep theirs)."""
    if not policy.can_manage_cards_of(actor, school_class):
        raise NotAllowed(_("Vous ne pouvez pas gérer les cartes de cette classe."))
    pupils = [p for p in queries.pupils_with_cards(school_class) if not queries.active_card(p)]
    if not pupils:
        raise DomainError(
            _(
                "Tous les élèves ont déjà une carte. Pour en remplacer une, utilisez"
                " « Réimprimer » sur la ligne de l'élève."
            )
        )
    return _issue_cards(actor, pupils, school_class)


def _issue_cards(actor: Person, pupils: list[Person], school_class: SchoolClass) -> list[IssuedCard]:
    secrets_of = {p.pk: (new_card_token(), new_picture_code()) for p in pupils}
    hashes = {pk: make_password(picture_code_secret(pictures)) for pk, (_t, pictures) in secrets_of.items()}
    now = timezone.now()
    issued = []
    with transaction.atomic():
        LoginCard.objects.filter(pupil__in=pupils, revoked_at__isnull=True).update(revoked_at=now)
        for pupil in pupils:
            token, pictures = secrets_of[pupil.pk]
            card = LoginCard.objects.create(
                pupil=pupil, token_digest=token_digest(token), picture_code_hash=hashes[pupil.pk], created_by=actor
            )
            audit.record(
                actor, "accounts.login_card_issued", target=card, subject=pupil, school_id=school_class.school_id
            )
            issued.append(IssuedCard(card=card, pupil=pupil, school_class=school_class, token=token, pictures=pictures))
    return issued


def revoke_login_card(actor: Person, card: LoginCard) -> None:
    """The card stops working at once (lost, or given to someone else). Audited."""
    if not policy.can_revoke_card_of(actor, queries.classes_of_pupil(card.pupil)):
        raise NotAllowed(_("Vous ne pouvez pas gérer les cartes de cet élève."))
    if card.revoked_at is not None:
        raise DomainError(_("Cette carte était déjà désactivée."))
    with transaction.atomic():
        LoginCard.objects.filter(pk=card.pk).update(revoked_at=timezone.now())
        audit.record(actor, "accounts.login_card_revoked", target=card, subject=card.pupil)


def card_for_token(token: str) -> LoginCard:
    """The card a scanned QR code names, if it still works; failures count per address."""
    ratelimit.refuse_if_over_limit(ratelimit.address_scope("card"))
    card = (
        LoginCard.objects.select_related("pupil").filter(token_digest=token_digest(token)).first()
        if len(token) < 100
        else None
    )
    if card is None or not card.pupil.is_active:
        ratelimit.count(ratelimit.address_scope("card"))
        raise DomainError(_("Cette carte n'est pas reconnue : demande une nouvelle carte à ton enseignant·e."))
    if card.revoked_at is not None:
        ratelimit.count(ratelimit.address_scope("card"))
        raise DomainError(_("Cette carte n'est plus valable : demande une nouvelle carte à ton enseignant·e."))
    return card


def sign_in_with_card(request: HttpRequest, *, token: str) -> Person:
    """Sign a pupil in with the QR code of their card: no password hashing on this path."""
    card = card_for_token(token)
    LoginCard.objects.filter(pk=card.pk).update(last_used_at=timezone.now())
    open_session(request, card.pupil, method="card")
    return card.pupil


def sign_in_with_pictures(
    request: HttpRequest, *, school_class: SchoolClass, pupil_id: int, pictures: list[str]
) -> Person:
    """A pupil signs in on their class's tablet by tapping their three pictures in order.

    Only from a device where a teacher opened the class sign-in (the views check the cookie).
    Wrong codes count on the pupil like wrong passwords: after five, the pupil waits.
    """
    ratelimit.refuse_if_over_limit(f"picture-class:{school_class.pk}")
    pupil = queries.pupil_in_class(pupil_id, school_class)
    if pupil is None:
        raise DomainError(_("Choisis ton prénom dans la liste."))
    refuse_if_locked(pupil)
    card = pupil.login_cards.filter(revoked_at__isnull=True).order_by("-created_at").first()
    if card is None:
        raise DomainError(_("Tu n'as pas encore de carte : demande-la à ton enseignant·e."))
    if not check_password(picture_code_secret(pictures), card.picture_code_hash):
        count_failed_sign_in(pupil)
        ratelimit.count(f"picture-class:{school_class.pk}")
        raise DomainError(_("Ce ne sont pas tes images. Regarde bien ta carte et recommence."))
    LoginCard.objects.filter(pk=card.pk).update(last_used_at=timezone.now())
    open_session(request, pupil, method="picture")
    return pupil


def open_class_tablet(actor: Person, school_class: SchoolClass) -> None:
    """A teacher lets the class's pupils sign in with their pictures on this device. Audited."""
    if not policy.can_manage_cards_of(actor, school_class):
        raise NotAllowed(_("Vous ne pouvez pas gérer les cartes de cette classe."))
    audit.record(actor, "accounts.class_tablet_opened", target=school_class, school_id=school_class.school_id)
