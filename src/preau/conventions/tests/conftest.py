"""The seeds' world: Lannemezan and Rodez (académie de Toulouse), Le Boulou (Montpellier), with
their real SIRET and UAI, an administrator per académie and a référent per commune."""

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from preau.conventions.factories import seed_commune
from preau.core import events
from preau.directory.factories import person_with_role
from preau.directory.models import Academie, Commune, Person, Profile, School, current_school_year


@dataclass
class Seeds:
    toulouse: Academie
    montpellier: Academie
    lannemezan: Commune
    lannemezan_schools: list[School]
    rodez: Commune
    rodez_schools: list[School]
    le_boulou: Commune
    le_boulou_schools: list[School]
    admin: Person  # académie de Toulouse
    montpellier_admin: Person
    referent: Person  # Lannemezan
    rodez_referent: Person
    year: int


@pytest.fixture
def seeds(db, settings, tmp_path) -> Seeds:
    settings.MEDIA_ROOT = tmp_path / "media"
    academies: dict = {}
    lannemezan, lannemezan_schools = seed_commune("Lannemezan", academies=academies)
    rodez, rodez_schools = seed_commune("Rodez", academies=academies)
    le_boulou, le_boulou_schools = seed_commune("Le Boulou", academies=academies)
    toulouse, montpellier = academies["Académie de Toulouse"], academies["Académie de Montpellier"]
    return Seeds(
        toulouse=toulouse,
        montpellier=montpellier,
        lannemezan=lannemezan,
        lannemezan_schools=lannemezan_schools,
        rodez=rodez,
        rodez_schools=rodez_schools,
        le_boulou=le_boulou,
        le_boulou_schools=le_boulou_schools,
        admin=person_with_role(Profile.ACADEMIE_ADMIN, toulouse, first_name="Marc", last_name="Rouzaud"),
        montpellier_admin=person_with_role(Profile.ACADEMIE_ADMIN, montpellier),
        referent=person_with_role(Profile.CITY_REFERENT, lannemezan, first_name="Nathalie", last_name="Cazaux"),
        rodez_referent=person_with_role(Profile.CITY_REFERENT, rodez),
        year=current_school_year(),
    )


def pdf_upload(content: bytes | None = None, name: str = "convention-signee.pdf") -> SimpleUploadedFile:
    """A small real PDF (or the given bytes) as an upload."""
    if content is None:
        from io import BytesIO

        from reportlab.pdfgen.canvas import Canvas

        buffer = BytesIO()
        canvas = Canvas(buffer)
        canvas.drawString(100, 750, "Convention signée")
        canvas.save()
        content = buffer.getvalue()
    return SimpleUploadedFile(name, content, content_type="application/pdf")


_received: list = []


@events.subscriber("notice")
def _collect_notice(name, notice):
    _received.append(notice)


class _Notices:
    """Call it to run the on-commit callbacks registered so far and get the notices sent.

    Tests run inside one transaction that never commits: this runs what would have run at
    each action's commit, in order.
    """

    def __init__(self) -> None:
        self.done = len(connection.run_on_commit)

    def __call__(self) -> list:
        while self.done < len(connection.run_on_commit):
            callback = connection.run_on_commit[self.done][1]
            self.done += 1
            callback()
        return list(_received)


@pytest.fixture
def sent_notices(db):
    """`sent_notices()`: the notices announced so far, as if each transaction had committed."""
    _received.clear()
    return _Notices()
