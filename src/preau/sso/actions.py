"""Signing in through an identity provider: match the identity to the directory, confirm a
first doubtful match, fold a guardian's records into one account, open the session.

The session opens through the accounts app's own path (`open_session`): the charte, the
session version ("sign out everywhere"), the journal and the `accounts.signed_in` event are the
same as for a password. Failures count in the per-address sign-in limits.
"""

import datetime
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.accounts import ratelimit
from preau.accounts.actions import open_session
from preau.core import audit
from preau.core.errors import DomainError
from preau.core.events import emit
from preau.directory.models import GuardianLink, Person, Source

from . import policy, queries
from .identity import InboundIdentity
from .models import FederatedLink, IdentityProvider, MergedRecord, MirroredGuardianLink, SeenAssertion

FLOW_KEY = "preau_sso_flow"
PENDING_KEY = "preau_sso_pending"
SESSION_KEY = "preau_sso"
SCHOOLS_KEY = "preau_sso_schools"
PENDING_SECONDS = 600
MAX_CONFIRMATION_ATTEMPTS = 5


@dataclass(frozen=True)
class Outcome:
    """Where the browser goes next: signed in, or a question to answer first."""

    step: str  # "signed_in", "confirm", "choose" (the account), "choose_school"
    next_url: str


# --- The answer of a provider -------------------------------------------------------------------


def refuse_if_over_limit() -> None:
    ratelimit.refuse_if_over_limit(ratelimit.address_scope("sso"))


def consume_assertion(provider: IdentityProvider, assertion_id: str, expires_at: datetime.datetime) -> None:
    """A SAML assertion serves once: its id is kept until it expires, a second use is refused."""
    SeenAssertion.objects.filter(expires_at__lt=timezone.now()).delete()
    try:
        with transaction.atomic():
            SeenAssertion.objects.create(provider=provider, assertion_id=assertion_id[:255], expires_at=expires_at)
    except IntegrityError as error:
        raise DomainError(_("Cette assertion SAML a déjà été utilisée : connexion refusée.")) from error


def refuse(provider: IdentityProvider, error: DomainError) -> None:
    """Journal a refused sign-in and count it against the address."""
    ratelimit.count(ratelimit.address_scope("sso"))
    audit.record(
        None, "sso.sign_in_refused", target=provider, academie_id=provider.academie_id, reason=error.message[:300]
    )


def finish_sign_in(
    request: HttpRequest, provider: IdentityProvider, identity: InboundIdentity, session_info: dict, next_url: str
) -> Outcome:
    """Sign the person in, or ask them to confirm or choose first.

    ÉduConnect: the {AAF} references name guardian (or pupil) records; a first match is
    confirmed by a child's first name and birth date unless exactly one record matched and the
    names agree. Agents: the académie e-mail names staff records; several records → a choice.
    Raises DomainError when nothing matches; never matches on a name.
    """
    if not identity.subject:
        raise DomainError(_("Le fournisseur d'identité n'a transmis aucun identifiant stable : connexion impossible."))
    context = {"session_info": session_info, "url_retour": identity.url_retour, "next": next_url}
    if provider.kind == IdentityProvider.Kind.EDUCONNECT:
        return _educonnect(request, provider, identity, context)
    return _agents(request, provider, identity, context)


def _educonnect(request: HttpRequest, provider: IdentityProvider, identity: InboundIdentity, context: dict) -> Outcome:
    if identity.is_pupil and not provider.allows_pupils:
        raise DomainError(
            _("Dans cette académie, les élèves se connectent avec leur carte de connexion, pas avec ÉduConnect.")
        )
    if not identity.refids:
        raise DomainError(
            _(
                "ÉduConnect n'a transmis aucune référence à l'annuaire académique : votre compte n'est"
                " rattaché à aucune école."
            )
        )
    records = [
        record
        for record in queries.records_for_refids(identity.refids, pupils=identity.is_pupil)
        if policy.may_sign_in_through(record, provider)
    ]
    if not records:
        raise DomainError(
            _(
                "Votre compte ÉduConnect ne correspond à aucune personne de l'annuaire de Préau. Si l'inscription"
                " est récente, l'école doit d'abord la transmettre ; vous pouvez aussi utiliser la lettre"
                " d'activation de l'école."
            )
        )
    link = queries.link_for(provider, identity.subject)
    account = _linked_account(link, records)
    if account is not None:
        _fold(link, account, records, pupils=identity.is_pupil)
        return _sign_in(request, provider, account, link, context)
    if len(records) == 1 and _names_agree(records[0], identity):
        link = _link(provider, identity.subject, records[0], how="names_and_reference")
        return _sign_in(request, provider, records[0], link, context)
    _remember_pending(request, provider, identity, "confirm", records, context)
    return Outcome("confirm", "")


def _linked_account(link: FederatedLink | None, records: list[Person]) -> Person | None:
    """The account this identity signed in to before, while the references still lead to it."""
    if link is None or not link.person.is_active:
        return None
    ids = {record.pk for record in records}
    if link.person_id in ids or MergedRecord.objects.filter(account_id=link.person_id, record_id__in=ids).exists():
        return link.person
    return None


def _agents(request: HttpRequest, provider: IdentityProvider, identity: InboundIdentity, context: dict) -> Outcome:
    if not identity.email:
        raise DomainError(
            _(
                "Le fournisseur d'identité n'a pas transmis votre adresse électronique académique :"
                " connexion impossible."
            )
        )
    records = [
        record
        for record in queries.staff_records_for_email(identity.email, provider.academie_id)
        if policy.may_sign_in_through(record, provider)
    ]
    if not records:
        raise DomainError(
            _("L'adresse %(email)s ne correspond à aucun personnel de l'annuaire de Préau dans cette académie.")
            % {"email": identity.email}
        )
    link = queries.link_for(provider, identity.subject)
    chosen = next((record for record in records if link is not None and record.pk == link.person_id), None)
    if chosen is None and len(records) > 1:
        _remember_pending(request, provider, identity, "choose", records, context)
        return Outcome("choose", "")
    account = chosen or records[0]
    link = link if chosen else _link(provider, identity.subject, account, how="academic_email")
    return _sign_in(request, provider, account, link, context, uais=identity.uais)


# --- Questions before the session opens ---------------------------------------------------------


def _remember_pending(
    request: HttpRequest,
    provider: IdentityProvider,
    identity: InboundIdentity,
    step: str,
    records: list[Person],
    context: dict,
) -> None:
    request.session[PENDING_KEY] = {
        "step": step,
        "provider": provider.pk,
        "subject": identity.subject,
        "records": [record.pk for record in records],
        "pupil": identity.is_pupil,
        "uais": identity.uais,
        "attempts": 0,
        "expires": time.time() + PENDING_SECONDS,
        **context,
    }


def pending(request: HttpRequest, step: str) -> dict:
    """The question waiting in this session, or a DomainError when there is none (or it expired)."""
    waiting = request.session.get(PENDING_KEY)
    if not waiting or waiting.get("step") != step or waiting.get("expires", 0) < time.time():
        raise DomainError(_("Aucune connexion en attente, ou elle a expiré : recommencez depuis la page de connexion."))
    return waiting


def pending_provider(waiting: dict) -> IdentityProvider:
    provider = IdentityProvider.objects.filter(pk=waiting["provider"], is_active=True).first()
    if provider is None:
        raise DomainError(_("Ce fournisseur d'identité n'est plus disponible."))
    return provider


def confirm_identity(request: HttpRequest, *, first_name: str, birth_date: datetime.date) -> Outcome:
    """The person proves the first match: the first name and birth date of one of their children
    (a pupil: their own). Five wrong answers end the attempt. Links and folds the records."""
    waiting = pending(request, "confirm")
    provider = pending_provider(waiting)
    refuse_if_over_limit()
    records = list(Person.objects.filter(pk__in=waiting["records"], is_active=True).order_by("pk"))
    if waiting["pupil"]:
        known = [(record.first_name, record.birth_date) for record in records]
    else:
        known = [
            (link.child.first_name, link.child.birth_date) for link in queries.children_of_records(waiting["records"])
        ]
    if not any(_same_name(name, first_name) and born == birth_date for name, born in known):
        ratelimit.count(ratelimit.address_scope("sso"))
        waiting["attempts"] += 1
        audit.record(None, "sso.confirmation_failed", target=provider, attempts=waiting["attempts"])
        if waiting["attempts"] >= MAX_CONFIRMATION_ATTEMPTS:
            del request.session[PENDING_KEY]
            raise DomainError(
                _("Trop de réponses inexactes : la connexion est annulée. Contactez l'école de votre enfant.")
            )
        request.session[PENDING_KEY] = waiting
        message = (
            _("Ce prénom et cette date de naissance ne correspondent pas à votre fiche.")
            if waiting["pupil"]
            else _("Ce prénom et cette date de naissance ne correspondent à aucun de vos enfants inscrits.")
        )
        raise DomainError(message)
    account = _primary(records)
    with transaction.atomic():
        link = _link(provider, waiting["subject"], account, how="confirmed")
        _fold(link, account, records, pupils=waiting["pupil"])
    del request.session[PENDING_KEY]
    return _sign_in(request, provider, account, link, waiting)


def choose_account(request: HttpRequest, *, record_id: int) -> Outcome:
    """An agent with several directory records (several académie files) chooses one."""
    waiting = pending(request, "choose")
    provider = pending_provider(waiting)
    if record_id not in waiting["records"]:
        raise DomainError(_("Ce choix ne fait pas partie des comptes proposés."))
    account = Person.objects.filter(pk=record_id, is_active=True).first()
    if account is None:
        raise DomainError(_("Ce compte n'est plus actif."))
    link = _link(provider, waiting["subject"], account, how="chosen")
    del request.session[PENDING_KEY]
    return _sign_in(request, provider, account, link, waiting, uais=waiting["uais"])


# --- Links and folded records -----------------------------------------------------------------


def _link(provider: IdentityProvider, subject: str, person: Person, *, how: str) -> FederatedLink:
    link, created = FederatedLink.objects.update_or_create(
        provider=provider, subject=subject, defaults={"person": person}
    )
    audit.record(
        person,
        "sso.identity_linked",
        target=link,
        subject=person,
        academie_id=provider.academie_id,
        provider=provider.slug,
        how=how,
        new=created,
    )
    return link


def _primary(records: list[Person]) -> Person:
    """The record that becomes the account: the one already used, else the first created."""
    used = [record for record in records if record.last_login or record.activated_at]
    return max(used, key=lambda r: r.last_login or r.activated_at) if used else records[0]


def _fold(link: FederatedLink, account: Person, records: list[Person], *, pupils: bool) -> None:
    """The guardian's other records (other académies) join the account: their children with them."""
    others = [record for record in records if record.pk != account.pk]
    if pupils or not others:
        return
    existing = {merge.record_id: merge for merge in MergedRecord.objects.filter(record__in=others)}
    merges = []
    for record in others:
        merge = existing.get(record.pk)
        if merge is not None and merge.account_id != account.pk:
            audit.record(None, "sso.merge_skipped", subject=record, account=account.pk, folded_into=merge.account_id)
            continue
        if merge is None:
            merge = MergedRecord.objects.create(account=account, record=record, link=link)
            audit.record(account, "sso.records_merged", target=merge, subject=account, record=record.pk, link=link.pk)
        merges.append(merge)
    sync_mirrored_children(merges)


def sync_mirrored_children(merges: list[MergedRecord]) -> None:
    """Each account holds a guardian link to each active child of its folded records, no more.

    A constant number of queries however many merges: an académie's import syncs all of its own.
    """
    if not merges:
        return
    with transaction.atomic():
        wanted: dict[int, dict[int, GuardianLink]] = defaultdict(dict)
        for source in GuardianLink.objects.filter(
            guardian_id__in={merge.record_id for merge in merges}, child__is_active=True
        ):
            wanted[source.guardian_id][source.child_id] = source
        mirrored: dict[int, dict[int, int]] = defaultdict(dict)  # merge → child → mirrored link
        for merge_id, link_id, child_id in MirroredGuardianLink.objects.filter(merge__in=merges).values_list(
            "merge_id", "guardian_link_id", "guardian_link__child_id"
        ):
            mirrored[merge_id][child_id] = link_id
        held: dict[int, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))  # account → child → links
        for link_id, account_id, child_id in GuardianLink.objects.filter(
            guardian_id__in={merge.account_id for merge in merges}
        ).values_list("pk", "guardian_id", "child_id"):
            held[account_id][child_id].add(link_id)
        stale: list[int] = []
        made: list[GuardianLink] = []
        made_for: list[MergedRecord] = []
        for merge in merges:
            mine, children = mirrored[merge.pk], held[merge.account_id]
            # The account's own links, and those mirrored for its other folded records.
            own = {child_id for child_id, links in children.items() if links - {mine.get(child_id)}}
            for child_id, link_id in mine.items():
                if child_id not in wanted[merge.record_id] or child_id in own:
                    stale.append(link_id)
                    children[child_id].discard(link_id)
            for child_id, source in wanted[merge.record_id].items():
                if child_id in own or child_id in mine:
                    continue
                made_for.append(merge)
                made.append(
                    GuardianLink(
                        guardian_id=merge.account_id,
                        child_id=child_id,
                        relationship=source.relationship,
                        parental_authority=source.parental_authority,
                        source=Source.MANUAL,
                    )
                )
                children[child_id].add(0)  # held from now on: another merge of the account skips it
        GuardianLink.objects.filter(pk__in=stale).delete()
        created = GuardianLink.objects.bulk_create(made)
        MirroredGuardianLink.objects.bulk_create(
            MirroredGuardianLink(merge=merge, guardian_link=link) for merge, link in zip(made_for, created, strict=True)
        )


def sync_merges_of_academie(academie_id: int) -> int:
    """After an import of the académie: the folded records' children follow the feed."""
    merges = list(queries.merges_of_academie(academie_id))
    sync_mirrored_children(merges)
    return len(merges)


# --- The session --------------------------------------------------------------------------------


def _sign_in(
    request: HttpRequest,
    provider: IdentityProvider,
    person: Person,
    link: FederatedLink,
    context: dict,
    *,
    uais: list[str] | None = None,
) -> Outcome:
    # Read by the `user_logged_in` receiver: a federated sign-in asks no second factor here.
    request.preau_federated = True
    open_session(request, person, method=f"{provider.kind}-{provider.protocol}")
    info = {"provider": provider.pk, "protocol": provider.protocol, **context["session_info"]}
    info["url_retour"] = context.get("url_retour", "")
    request.session[SESSION_KEY] = info
    FederatedLink.objects.filter(pk=link.pk).update(last_used_at=timezone.now())
    remember_provider_session(provider, info, request.session.session_key)
    emit("sso.signed_in", actor=person, provider_id=provider.pk)
    next_url = context.get("next") or ""
    if provider.kind == IdentityProvider.Kind.AGENTS:
        schools = queries.schools_of_staff(person)
        if len(schools) > 1:
            preferred = uais or []
            schools.sort(key=lambda s: (s.uai not in preferred, s.name))
            request.session[SCHOOLS_KEY] = [school.pk for school in schools]
            return Outcome("choose_school", next_url)
    return Outcome("signed_in", next_url)


def _provider_session_key(provider_id: int, value: str) -> str:
    return f"preau:sso:provider-session:{provider_id}:{value}"


def remember_provider_session(provider: IdentityProvider, info: dict, session_key: str | None) -> None:
    """Which Préau session an IdP session (OIDC sid, SAML session index) opened, so that the
    IdP's logout can end it even when the browser's cookie does not come with the request."""
    for value in (info.get("sid"), info.get("session_index")):
        if value and session_key:
            cache.set(_provider_session_key(provider.pk, value), session_key, settings.SESSION_COOKIE_AGE)


def end_provider_session(provider: IdentityProvider, values: list[str]) -> int:
    """The IdP signed the person out: end the Préau sessions its session opened."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for value in values:
        key = _provider_session_key(provider.pk, value)
        session_key = cache.get(key)
        if session_key:
            store(session_key=session_key).delete()
            cache.delete(key)
            ended += 1
    if ended:
        audit.record(None, "sso.signed_out_by_provider", target=provider, sessions=ended)
    return ended


# --- Names, never used to find anyone ---------------------------------------------------------


def _normalized(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if c.isalnum()).casefold()


def _same_name(a: str, b: str) -> bool:
    return bool(_normalized(a)) and _normalized(a) == _normalized(b)


def _names_agree(record: Person, identity: InboundIdentity) -> bool:
    """Whether the provider's names are the directory's: only makes a reference-based match
    certain enough to skip the confirmation."""
    first = (identity.first_name or "").split()[:1]
    record_first = (record.first_name or "").split()[:1]
    if not (first and record_first):
        return False
    return _same_name(record.last_name, identity.last_name) and _same_name(record_first[0], first[0])
