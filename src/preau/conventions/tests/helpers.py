"""Steps of the conventions' life, through the real actions, for the tests."""

import datetime

from django.utils import timezone

from preau.conventions import actions, terms
from preau.conventions.models import Convention

from .conftest import pdf_upload


def draft(admin, commune, schools, year: int, *, fee: str = "40", academie=None) -> Convention:
    """Set the year's fee (if needed) and draw up the commune's convention."""
    academie = academie or commune.departement.academie
    terms.set_fee(admin, academie=academie, school_year=year, amount=fee)
    return actions.create_convention(
        admin,
        commune=commune,
        school_year=year,
        schools=schools,
        commune_signatory_name="Bernard Plano",
        commune_signatory_title="Maire",
        academie_signatory_name="Karim Benmiloud",
    )


def signed(admin, referent, commune, schools, year: int, *, signed_on: datetime.date | None = None) -> Convention:
    """Drawn up, sent and signed by the commune's référent today (or on `signed_on`)."""
    convention = draft(admin, commune, schools, year)
    actions.send_convention(admin, convention)
    actions.upload_signed_copy(referent, convention, upload=pdf_upload(), signed_on=signed_on or timezone.localdate())
    convention.refresh_from_db()
    return convention


def renew(admin, convention: Convention, *, fee: str = "40") -> Convention:
    """Set next year's fee and draw up the renewal."""
    terms.set_fee(admin, academie=convention.academie, school_year=convention.school_year + 1, amount=fee)
    return actions.renew_convention(admin, convention)


def sign(referent, convention: Convention, signed_on: datetime.date | None = None) -> Convention:
    """The commune's référent uploads the signed copy."""
    actions.upload_signed_copy(referent, convention, upload=pdf_upload(), signed_on=signed_on or timezone.localdate())
    convention.refresh_from_db()
    return convention
