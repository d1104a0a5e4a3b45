"""Writes of the conventions: from draft to signature, titres de perception, renewal.

Each action checks the policy, changes data in one transaction, journals itself with the
académie it concerns and tells the other party with a notice. Terminations are in
`termination.py`, the académie's fees and model in `terms.py`, and what time does (expiry,
coverage, deletion, reminders) in `lifecycle.py`.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from preau.core import audit, events, notices
from preau.core.errors import DomainError, NotAllowed
from preau.core.uploads import check_upload
from preau.directory.models import Commune, Person, School, school_year_label

from . import lifecycle, pdf, policy, queries, terms
from .models import Convention, ConventionSchool, FeeSchedule

PDF_ONLY = {"application/pdf": "PDF"}


def _url(convention: Convention) -> str:
    return reverse("conventions:detail", args=[convention.pk])


def _tell_referents(convention: Convention, kind: str, title: str, actor: Person | None, body: str = "") -> None:
    recipients = queries.referent_ids([convention.commune_id]).get(convention.commune_id, set())
    notices.announce(
        kind,
        recipients,
        title=title,
        url=_url(convention),
        actor_id=getattr(actor, "pk", None),
        body=body,
        group_key=f"convention:{convention.pk}",
    )


def _tell_academie(convention: Convention, kind: str, title: str, actor: Person | None, body: str = "") -> None:
    recipients = queries.academie_admin_ids([convention.academie_id]).get(convention.academie_id, set())
    notices.announce(
        kind,
        recipients,
        title=title,
        url=_url(convention),
        actor_id=getattr(actor, "pk", None),
        body=body,
        group_key=f"convention:{convention.pk}",
    )


def _journal(actor: Person | None, action: str, convention: Convention, **details) -> None:
    audit.record(
        actor,
        f"conventions.{action}",
        target=convention,
        academie_id=convention.academie_id,
        commune_id=convention.commune_id,
        year=convention.school_year,
        **details,
    )


# --- Conventions ----------------------------------------------------------------------------


def _check_schools(commune: Commune, schools: list[School]) -> list[School]:
    schools = list({school.pk: school for school in schools}.values())
    if not schools:
        raise DomainError(_("Inscrivez au moins une école de la commune."), field="schools")
    strangers = [school for school in schools if school.commune_id != commune.pk]
    if strangers:
        raise DomainError(
            _("%(school)s n'est pas une école de la commune %(commune)s : chaque commune signe pour ses écoles.")
            % {"school": strangers[0].name, "commune": commune.name},
            field="schools",
        )
    return sorted(schools, key=lambda school: school.uai)


def _set_schools(convention: Convention, schools: list[School]) -> None:
    convention.enrolled.all().delete()
    ConventionSchool.objects.bulk_create(
        ConventionSchool(convention=convention, school=school, uai=school.uai, name=school.name) for school in schools
    )
    convention.school_count = len(schools)
    convention.amount_due = convention.fee_per_school * len(schools)


def _fee_or_error(academie_id: int, school_year: int) -> FeeSchedule:
    fee = queries.fee_for(academie_id, school_year)
    if fee is None:
        raise DomainError(
            _("Fixez d'abord la participation par école de l'année %(year)s (page « Participations »).")
            % {"year": school_year_label(school_year)},
            field="school_year",
        )
    return fee


def create_convention(
    actor: Person,
    *,
    commune: Commune,
    school_year: int,
    schools: list[School],
    commune_signatory_name: str,
    commune_signatory_title: str,
    collectivite_name: str = "",
    academie_signatory_name: str = "",
    academie_signatory_title: str = "",
    renewed_from: Convention | None = None,
) -> Convention:
    """An académie administrator draws up a commune's convention for a year, with its schools.

    The fee and end date come from the year's FeeSchedule; the académie's party, place and
    court from its current model, and its signatory too unless given. Journal:
    `conventions.created`.
    """
    academie_id = commune.departement.academie_id
    terms.require_manager(actor, academie_id)
    fee = _fee_or_error(academie_id, school_year)
    schools = _check_schools(commune, schools)
    party = terms.template_defaults(commune.departement.academie)
    if not commune_signatory_name.strip() or not commune_signatory_title.strip():
        raise DomainError(
            _("Indiquez le nom et la qualité du signataire de la collectivité."), field="commune_signatory_name"
        )
    academie_signatory_name = academie_signatory_name.strip() or party["signatory_name"]
    academie_signatory_title = academie_signatory_title.strip() or party["signatory_title"]
    if not academie_signatory_name or not academie_signatory_title:
        raise DomainError(
            _("Indiquez le signataire de l'académie (ou inscrivez-le dans le modèle de convention)."),
            field="academie_signatory_name",
        )
    convention = Convention(
        academie_id=academie_id,
        departement_id=commune.departement_id,
        commune=commune,
        school_year=school_year,
        academie_party=party["party_name"],
        academie_address=party["party_address"],
        academie_signatory_name=academie_signatory_name,
        academie_signatory_title=academie_signatory_title,
        place=party["place"],
        court=party["court"],
        collectivite_name=collectivite_name.strip() or _("Commune de %(name)s") % {"name": commune.name},
        commune_signatory_name=commune_signatory_name.strip(),
        commune_signatory_title=commune_signatory_title.strip(),
        fee_per_school=fee.amount_per_school,
        end_date=fee.end_date,
        renewed_from=renewed_from,
        created_by=actor,
    )
    try:
        with transaction.atomic():
            convention.save()
            _set_schools(convention, schools)
            convention.save(update_fields=["school_count", "amount_due"])
            _journal(
                actor,
                "created",
                convention,
                schools=[school.uai for school in schools],
                renewed_from=renewed_from.pk if renewed_from else None,
            )
    except IntegrityError as error:
        raise DomainError(
            _("La commune %(commune)s a déjà une convention pour %(year)s.")
            % {"commune": commune.name, "year": school_year_label(school_year)},
            field="commune",
        ) from error
    return convention


def update_convention(actor: Person, convention: Convention, *, schools: list[School], **values: str) -> Convention:
    """Change a draft's schools, collectivité name and signatories. Journal: `conventions.updated`."""
    if not policy.can_edit_convention(actor, convention):
        raise NotAllowed(_("Seul un brouillon se modifie, par l'académie."))
    schools = _check_schools(convention.commune, schools)
    fields = (
        "collectivite_name",
        "commune_signatory_name",
        "commune_signatory_title",
        "academie_signatory_name",
        "academie_signatory_title",
    )
    for name in fields:
        value = (values.get(name) or "").strip()
        if not value:
            raise DomainError(_("Ce champ est obligatoire."), field=name)
        setattr(convention, name, value)
    with transaction.atomic():
        _set_schools(convention, schools)
        convention.save()
        _journal(actor, "updated", convention, schools=[school.uai for school in schools])
    return convention


def delete_convention(actor: Person, convention: Convention) -> None:
    """Delete a draft that will not be sent. Journal: `conventions.deleted`."""
    if not policy.can_delete_convention(actor, convention):
        raise NotAllowed(_("Seul un brouillon se supprime, par l'académie."))
    with transaction.atomic():
        _journal(actor, "deleted", convention)
        convention.delete()


def generate_convention_pdf(actor: Person, convention: Convention, *, today: datetime.date | None = None) -> Convention:
    """Make the convention's PDF from the académie's current model, for signature.

    Journal: `conventions.pdf_generated` with the model's version (0: Préau's default text).
    """
    if not policy.can_generate_pdf(actor, convention):
        raise NotAllowed(_("La convention ne se régénère plus une fois signée."))
    template = queries.current_template(convention.academie_id)
    rendering = pdf.rendering_of(convention, template, today=today or timezone.localdate())
    content = pdf.convention_pdf(rendering)
    name = f"convention-{convention.commune.name}-{convention.year_label}.pdf".replace(" ", "-")
    with transaction.atomic():
        old = convention.pdf.name
        convention.template = template
        convention.pdf.save(name, ContentFile(content), save=False)
        convention.pdf_generated_at = timezone.now()
        convention.save(update_fields=["template", "pdf", "pdf_generated_at"])
        _journal(actor, "pdf_generated", convention, version=template.version if template else 0)
        if old:
            transaction.on_commit(lambda: convention.pdf.storage.delete(old))
    return convention


def send_convention(actor: Person, convention: Convention) -> Convention:
    """Send a draft to the commune for signature: its PDF is generated if needed, the fee frozen.

    Notice `conventions.to_sign` to the commune's référents. Journal: `conventions.sent`.
    """
    if not policy.can_send_convention(actor, convention):
        raise NotAllowed(_("Seul un brouillon s'envoie, par l'académie."))
    if convention.end_date < timezone.localdate():
        raise DomainError(_("Cette convention a déjà pris fin : établissez celle de l'année en cours."))
    with transaction.atomic():
        generate_convention_pdf(actor, convention)
        convention.state = Convention.State.SENT
        convention.sent_at = timezone.now()
        convention.save(update_fields=["state", "sent_at"])
        _journal(actor, "sent", convention)
        _tell_referents(
            convention,
            "conventions.to_sign",
            _("Convention ENT-école %(year)s à signer") % {"year": convention.year_label},
            actor,
            body=_("%(count)s école(s), %(amount)s.")
            % {"count": convention.school_count, "amount": pdf.euros(convention.amount_due)},
        )
    return convention


def upload_signed_copy(
    actor: Person,
    convention: Convention,
    *,
    upload,
    signed_on: datetime.date,
    mode: str = Convention.SignatureMode.ELECTRONIC,
) -> Convention:
    """The référent (or the académie) uploads the signed convention: a PDF, checked by content.

    The first upload signs the convention: it takes effect on `signed_on` and its schools'
    accounts are active (lifecycle.cover_schools). A later upload replaces a wrong copy.
    Notice `conventions.signed` to the other party. Journal: `conventions.signed` or
    `conventions.signed_copy_replaced`.
    """
    if not policy.can_upload_signed_copy(actor, convention):
        raise NotAllowed(_("Vous ne pouvez pas déposer l'exemplaire signé de cette convention."))
    today = timezone.localdate()
    if signed_on > today:
        raise DomainError(_("La date de signature ne peut pas être dans le futur."), field="signed_on")
    if signed_on > convention.end_date:
        raise DomainError(
            _("La convention prend fin le %(end)s : elle ne peut être signée après.")
            % {"end": date_format(convention.end_date, "j F Y")},
            field="signed_on",
        )
    if signed_on < timezone.localtime(convention.created_at).date():
        raise DomainError(_("La convention ne peut avoir été signée avant d'être établie."), field="signed_on")
    if mode not in Convention.SignatureMode.values:
        raise DomainError(_("Choisissez le mode de signature."), field="mode")
    try:
        checked = check_upload(upload, max_bytes=settings.PREAU_CONVENTIONS_SIGNED_MAX_BYTES, allowed=PDF_ONLY)
    except ValidationError as error:
        raise DomainError(error.messages[0], field="upload") from error
    first = convention.state == Convention.State.SENT
    with transaction.atomic():
        old = convention.signed_copy.name
        convention.signed_copy.save(f"convention-{convention.pk}-signee.pdf", checked.file, save=False)
        convention.signed_copy_name = checked.name
        convention.signed_copy_uploaded_at = timezone.now()
        convention.signed_copy_uploaded_by = actor
        convention.signed_on, convention.signature_mode = signed_on, mode
        convention.state = Convention.State.SIGNED
        convention.save()
        if old:
            transaction.on_commit(lambda: convention.signed_copy.storage.delete(old))
        _journal(
            actor,
            "signed" if first else "signed_copy_replaced",
            convention,
            signed_on=signed_on.isoformat(),
            mode=mode,
            size=checked.size,
        )
        if first:
            lifecycle.cover_schools(convention, today=today)
            title = _("Convention %(year)s signée : %(collectivite)s") % {
                "year": convention.year_label,
                "collectivite": convention.collectivite_name,
            }
            _tell_academie(convention, "conventions.signed", title, actor)
            _tell_referents(convention, "conventions.signed", title, actor)
            events.emit(
                "conventions.signed",
                convention_id=convention.pk,
                school_ids=list(convention.enrolled.values_list("school_id", flat=True)),
            )
    return convention


TITRE_STEPS = ("issue", "paid", "cancel")


def record_titre(
    actor: Person, convention: Convention, *, step: str, on: datetime.date, reference: str = ""
) -> Convention:
    """The académie records the titre de perception: issued (with its reference), paid, or undone.

    Notice `conventions.titre` to the référents when issued. Journal: `conventions.titre_<step>`.
    """
    if not policy.can_record_titre(actor, convention):
        raise NotAllowed(_("Le titre de perception se suit par l'académie, une fois la convention signée."))
    if on > timezone.localdate():
        raise DomainError(_("La date ne peut pas être dans le futur."), field="on")
    titre = Convention.Titre
    if step == "issue":
        if not reference.strip():
            raise DomainError(_("Indiquez la référence du titre de perception."), field="reference")
        convention.titre_state, convention.titre_reference = titre.ISSUED, reference.strip()
        convention.titre_issued_on, convention.titre_paid_on = on, None
    elif step == "paid":
        if convention.titre_state == titre.TO_ISSUE:
            raise DomainError(_("Le titre doit être émis avant d'être payé."), field="step")
        if on < convention.titre_issued_on:
            raise DomainError(_("Le paiement ne peut précéder l'émission du titre."), field="on")
        convention.titre_state, convention.titre_paid_on = titre.PAID, on
    elif step == "cancel":
        convention.titre_state, convention.titre_paid_on = (
            (titre.ISSUED, None) if convention.titre_state == titre.PAID else (titre.TO_ISSUE, None)
        )
        if convention.titre_state == titre.TO_ISSUE:
            convention.titre_reference, convention.titre_issued_on = "", None
    else:
        raise DomainError(_("Étape inconnue."), field="step")
    with transaction.atomic():
        convention.save(update_fields=["titre_state", "titre_reference", "titre_issued_on", "titre_paid_on"])
        _journal(
            actor,
            f"titre_{step}",
            convention,
            reference=convention.titre_reference,
            on=on.isoformat(),
            amount=str(convention.amount_due),
        )
        if step == "issue":
            _tell_referents(
                convention,
                "conventions.titre",
                _("Titre de perception %(reference)s émis : %(amount)s")
                % {"reference": convention.titre_reference, "amount": pdf.euros(convention.amount_due)},
                actor,
            )
    return convention


def renew_convention(actor: Person, convention: Convention) -> Convention:
    """Draw up next year's convention of the same commune: same schools (those still listed),
    same signatories, next year's fee. Journal: `conventions.created` with `renewed_from`."""
    if not policy.can_renew_convention(actor, convention):
        raise NotAllowed(_("Seule une convention signée ou expirée se renouvelle, par l'académie."))
    schools = list(
        School.objects.filter(id__in=convention.enrolled.values("school_id"), detached_at__isnull=True).order_by("uai")
    )
    return create_convention(
        actor,
        commune=convention.commune,
        school_year=convention.school_year + 1,
        schools=schools,
        collectivite_name=convention.collectivite_name,
        commune_signatory_name=convention.commune_signatory_name,
        commune_signatory_title=convention.commune_signatory_title,
        academie_signatory_name=convention.academie_signatory_name,
        academie_signatory_title=convention.academie_signatory_title,
        renewed_from=convention,
    )
