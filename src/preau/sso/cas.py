"""Préau as a CAS 3 server for older partner services (protocol 3.0: login, serviceValidate,
p3/serviceValidate, logout). Service tickets: 256 random bits, one service URL, a few seconds,
used once (the first validation spends them, successful or not). No proxy tickets.
"""

import datetime
import secrets
from urllib.parse import urlsplit
from xml.etree import ElementTree

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.core import audit
from preau.core.errors import DomainError
from preau.directory.models import Person

from .models import PartnerService, ServiceTicket
from .outbound import Released, as_attributes, journal_release, release_for

CAS_NS = "http://www.yale.edu/tp/cas"
ElementTree.register_namespace("cas", CAS_NS)


class ValidationFailure(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def serves(registered: str, service: str) -> bool:
    """Whether `service` lies under the registered address: the same scheme, host and port, and
    a path below the registered one by whole segments. A bare string prefix would let
    "https://portail.example" vouch for "https://portail.example.evil.test/" or
    "https://portail.example@evil.test/", and the ticket would go to the stranger."""
    try:
        mine, theirs = urlsplit(registered), urlsplit(service)
        same_origin = (mine.scheme, mine.hostname, mine.port) == (theirs.scheme, theirs.hostname, theirs.port)
    except ValueError:
        return False
    if not same_origin or theirs.username is not None or theirs.password is not None:
        return False
    base = mine.path if mine.path.endswith("/") else f"{mine.path}/"
    return theirs.path == mine.path or (theirs.path or "/").startswith(base)


def partner_for_service(service: str) -> PartnerService:
    """The registered CAS partner whose service address this one lies under (the longest)."""
    if not service or not service.startswith(("https://", "http://")):
        raise DomainError(_("Adresse de service manquante ou invalide."))
    candidates = PartnerService.objects.filter(protocol=PartnerService.Protocol.CAS, is_active=True).exclude(
        service_url=""
    )
    matching = [p for p in candidates if serves(p.service_url, service)]
    if not matching:
        raise DomainError(_("Ce service n'est pas inscrit auprès de Préau : connexion refusée."))
    return max(matching, key=lambda p: len(p.service_url))


def issue_ticket(person: Person, partner: PartnerService, service: str) -> ServiceTicket:
    """A service ticket for the signed-in person (the view checked the partner's policy)."""
    now = timezone.now()
    ServiceTicket.objects.filter(expires_at__lt=now - datetime.timedelta(hours=1)).delete()
    ticket = ServiceTicket.objects.create(
        ticket=f"ST-{secrets.token_urlsafe(32)}",
        partner=partner,
        person=person,
        service=service,
        expires_at=now + datetime.timedelta(seconds=settings.PREAU_SSO_CAS_TICKET_SECONDS),
    )
    audit.record(person, "sso.cas_ticket_issued", target=partner, subject=person, academie_id=partner.academie_id)
    return ticket


def validate(service: str, ticket: str, *, renew: bool) -> tuple[Person, Released]:
    """serviceValidate: the person and what their partner may receive, or a ValidationFailure."""
    if not service or not ticket:
        raise ValidationFailure("INVALID_REQUEST", "Paramètres service et ticket requis.")
    now = timezone.now()
    # Spent at the first attempt, whatever comes next (CAS 3.0 §3.1).
    if not ServiceTicket.objects.filter(ticket=ticket, consumed_at__isnull=True).update(consumed_at=now):
        raise ValidationFailure("INVALID_TICKET", f"Ticket {ticket[:40]} inconnu ou déjà utilisé.")
    found = ServiceTicket.objects.select_related("partner", "person").get(ticket=ticket)
    if renew:
        raise ValidationFailure("INVALID_TICKET", "Ce ticket ne vient pas d'une authentification renouvelée.")
    if found.expires_at < now:
        raise ValidationFailure("INVALID_TICKET", "Ticket expiré.")
    if found.service != service:
        raise ValidationFailure("INVALID_SERVICE", "Ce ticket a été délivré pour un autre service.")
    if not (found.partner.is_active and found.person.is_active):
        raise ValidationFailure("INVALID_TICKET", "Service désactivé ou compte inactif.")
    released = release_for(found.person, found.partner)
    journal_release(found.person, found.partner, released, protocol="cas")
    return found.person, released


def success_xml(released: Released) -> bytes:
    root = ElementTree.Element(f"{{{CAS_NS}}}serviceResponse")
    success = ElementTree.SubElement(root, f"{{{CAS_NS}}}authenticationSuccess")
    ElementTree.SubElement(success, f"{{{CAS_NS}}}user").text = released.identifier
    attributes = ElementTree.SubElement(success, f"{{{CAS_NS}}}attributes")
    for name, values in as_attributes(released).items():
        for value in values:
            ElementTree.SubElement(attributes, f"{{{CAS_NS}}}{name}").text = value
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=False)


def failure_xml(failure: ValidationFailure) -> bytes:
    root = ElementTree.Element(f"{{{CAS_NS}}}serviceResponse")
    element = ElementTree.SubElement(root, f"{{{CAS_NS}}}authenticationFailure", code=failure.code)
    element.text = failure.message
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=False)
