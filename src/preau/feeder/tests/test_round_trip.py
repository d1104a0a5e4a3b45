import io
import re

import pytest
from django.core.management import call_command

from preau.directory.models import GuardianLink, Person, Profile, Role, School, SchoolClass
from preau.feeder.actions import import_aaf_files

pytestmark = pytest.mark.django_db


def test_generated_files_import_into_a_directory_that_matches_them(tmp_path, toulouse):
    out = io.StringIO()
    call_command(
        "generate_aaf",
        "--schools",
        "4",
        "--seed",
        "7",
        "--out",
        str(tmp_path / "toulouse"),
        "--date",
        "20260901",
        stdout=out,
    )
    counts = dict(
        zip(
            ("schools", "pupils", "guardians", "staff"),
            map(int, re.findall(r"(\d+) (?:écoles|élèves|responsables|personnels)", out.getvalue())),
            strict=True,
        )
    )
    summary = import_aaf_files(None, paths=[tmp_path / "toulouse"], academie=toulouse).report["summary"]
    assert summary["errors"] == [], summary["errors"][:3]
    assert summary["created"] == {
        "schools": counts["schools"],
        "classes": counts["staff"],
        "pupils": counts["pupils"],
        "guardians": counts["guardians"],
        "staff": counts["staff"],
    }
    assert School.objects.count() == 4 and SchoolClass.objects.count() == counts["staff"]
    assert (
        Person.objects.filter(external_category="Eleve", enrolments__isnull=False).distinct().count()
        == counts["pupils"]
    )
    assert Role.objects.filter(profile=Profile.DIRECTOR).count() == 4
    assert not Person.objects.filter(external_category="Eleve", guardian_links__isnull=True).exists()
    assert GuardianLink.objects.count() >= counts["pupils"]
    again = import_aaf_files(None, paths=[tmp_path / "toulouse"], academie=toulouse).report["summary"]
    assert all(set(again[key].values()) == {0} for key in ("created", "updated", "detached", "reattached"))
