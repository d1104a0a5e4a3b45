"""The demo's conventions: the académie de Toulouse's fee for the year (40 € per school, as in
2025-2026), Lannemezan's convention (signed in May, titre de perception issued) and Rodez's (sent,
awaiting signature). Made through the actions, as the académie and the commune would."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from preau.directory.models import Profile, School, current_school_year

from . import actions, lifecycle, terms
from .models import Convention


def _sign(actor, convention: Convention, signed_on: datetime.date) -> None:
    """Sign with the generated PDF standing for the scanned signed copy."""
    convention.pdf.open("rb")
    content = convention.pdf.read()
    convention.pdf.close()
    upload = SimpleUploadedFile("convention-signee.pdf", content, content_type="application/pdf")
    actions.upload_signed_copy(actor, convention, upload=upload, signed_on=signed_on)


def _backdate(convention: Convention, day: datetime.date) -> None:
    """The demo's convention was drawn up before the school year (its signature date follows)."""
    Convention.objects.filter(pk=convention.pk).update(
        created_at=datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC)
    )
    convention.refresh_from_db()


def populate(world) -> dict[str, int]:
    admin = world.person(Profile.ACADEMIE_ADMIN)
    referent = world.person(Profile.CITY_REFERENT)
    today, year = world.now.date(), current_school_year()
    terms.set_fee(admin, academie=world.found["academie:16"], school_year=year, amount="40")
    lannemezan, rodez = world.found["commune:Lannemezan"], world.found["commune:Rodez"]

    signed = actions.create_convention(
        admin,
        commune=lannemezan,
        school_year=year,
        schools=list(School.objects.filter(commune=lannemezan)),
        commune_signatory_name="Bernard Plano",
        commune_signatory_title="Maire",
        academie_signatory_name="Karim Benmiloud",
        academie_signatory_title="recteur de l'académie de Toulouse",
    )
    _backdate(signed, min(today, datetime.date(year, 5, 19)))
    actions.send_convention(admin, signed)
    _sign(referent, signed, min(today, datetime.date(year, 5, 22)))
    actions.record_titre(
        admin, signed, step="issue", reference=f"{year}-TP-0412", on=min(today, datetime.date(year, 10, 6))
    )

    awaiting = actions.create_convention(
        admin,
        commune=rodez,
        school_year=year,
        schools=list(School.objects.filter(commune=rodez)),
        commune_signatory_name="Christian Teyssèdre",
        commune_signatory_title="Maire",
        academie_signatory_name="Karim Benmiloud",
        academie_signatory_title="recteur de l'académie de Toulouse",
    )
    actions.send_convention(admin, awaiting)
    lifecycle.apply_conventions(today)  # today's reminders (a titre not paid yet)
    return {
        "conventions": Convention.objects.count(),
        "conventions_schools": signed.school_count + awaiting.school_count,
    }
