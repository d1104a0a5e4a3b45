"""The académie's terms for each year: the fee per school (art. 4) and the model of the text.

Writes, like `actions.py`: each checks the policy, changes data in one transaction and
journals itself with the académie it concerns.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from preau.core import audit
from preau.core.errors import DomainError, NotAllowed
from preau.directory.models import Academie, Person, school_year_label

from . import dates, policy, queries, template_text
from .models import MAX_FEE, Convention, FeeSchedule, TemplateVersion


def require_manager(actor: Person, academie_id: int) -> None:
    """Refuse (NotAllowed) anyone but the académie's administrators."""
    if not policy.can_manage_conventions(actor, academie_id):
        raise NotAllowed(_("Seuls les administrateurs de l'académie gèrent ses conventions."))


# --- Fees -----------------------------------------------------------------------------------


def set_fee(
    actor: Person,
    *,
    academie: Academie,
    school_year: int,
    amount: Decimal | str,
    end_date: datetime.date | None = None,
) -> FeeSchedule:
    """An académie administrator sets the fee per school of a year and the conventions' end date.

    Drafts of that year take the new fee and end date; conventions already sent keep theirs.
    Journal: `conventions.fee_set`.
    """
    require_manager(actor, academie.id)
    try:
        amount = Decimal(str(amount)).quantize(Decimal("0.01"))
    except InvalidOperation as error:
        raise DomainError(_("Indiquez un montant en euros, par exemple 40 ou 42,50."), field="amount") from error
    if not Decimal("0") <= amount <= MAX_FEE:
        raise DomainError(_("La participation doit être comprise entre 0 et 9 999,99 €."), field="amount")
    end_date = end_date or dates.default_end_date(school_year)
    if not datetime.date(school_year + 1, 6, 1) <= end_date <= datetime.date(school_year + 1, 12, 31):
        raise DomainError(
            _("La fin des conventions %(year)s doit tomber entre juin et décembre %(next)s.")
            % {"year": school_year_label(school_year), "next": school_year + 1},
            field="end_date",
        )
    with transaction.atomic():
        fee, created = FeeSchedule.objects.update_or_create(
            academie=academie,
            school_year=school_year,
            defaults={"amount_per_school": amount, "end_date": end_date, "set_by": actor},
        )
        drafts = list(
            Convention.objects.filter(academie=academie, school_year=school_year, state=Convention.State.DRAFT)
        )
        for convention in drafts:
            convention.fee_per_school, convention.end_date = amount, end_date
            convention.amount_due = amount * convention.school_count
        Convention.objects.bulk_update(drafts, ["fee_per_school", "end_date", "amount_due"])
        audit.record(
            actor,
            "conventions.fee_set",
            target=fee,
            academie_id=academie.id,
            year=school_year,
            amount=str(amount),
            end_date=end_date.isoformat(),
            drafts_updated=len(drafts),
        )
    return fee


# --- Models ---------------------------------------------------------------------------------

TEMPLATE_FIELDS = (
    "title",
    "party_name",
    "party_address",
    "signatory_name",
    "signatory_title",
    "place",
    "court",
    "preamble",
    "articles",
)


def template_defaults(academie: Academie) -> dict[str, str]:
    """The académie's current model as field values, or Préau's default text."""
    current = queries.current_template(academie.id)
    if current is not None:
        return {name: getattr(current, name) for name in TEMPLATE_FIELDS}
    city = academie.name.removeprefix("Académie de ").removeprefix("Académie d'")
    return {
        "title": template_text.DEFAULT_TITLE,
        "party_name": _("Région académique %(region)s") % {"region": academie.region.name},
        "party_address": "",
        "signatory_name": "",
        "signatory_title": _("recteur ou rectrice de l'%(academie)s")
        % {"academie": academie.name[:1].lower() + academie.name[1:]},
        "place": city,
        "court": _("tribunal administratif territorialement compétent"),
        "preamble": template_text.DEFAULT_PREAMBLE,
        "articles": template_text.DEFAULT_ARTICLES,
    }


def save_template(actor: Person, *, academie: Academie, **values: str) -> TemplateVersion:
    """An académie administrator saves a new version of the convention model.

    Conventions already generated keep the version they were made from. Journal:
    `conventions.template_saved`.
    """
    require_manager(actor, academie.id)
    values = {name: (values.get(name) or "").strip() for name in TEMPLATE_FIELDS}
    for name in ("title", "party_name", "signatory_name", "signatory_title", "place", "court", "articles"):
        if not values[name]:
            raise DomainError(_("Ce champ est obligatoire."), field=name)
    for name in ("preamble", "articles"):
        problems = template_text.check_articles(values[name]) if name == "articles" else []
        unknown = template_text.unknown_placeholders(values[name]) if name == "preamble" else []
        if unknown:
            problems.append(_("Champs inconnus : %(unknown)s.") % {"unknown": ", ".join(unknown)})
        if problems:
            raise DomainError(" ".join(problems), field=name)
    with transaction.atomic():
        latest = TemplateVersion.objects.select_for_update().filter(academie=academie).order_by("-version").first()
        template = TemplateVersion.objects.create(
            academie=academie, version=(latest.version + 1 if latest else 1), created_by=actor, **values
        )
        audit.record(
            actor, "conventions.template_saved", target=template, academie_id=academie.id, version=template.version
        )
    return template
