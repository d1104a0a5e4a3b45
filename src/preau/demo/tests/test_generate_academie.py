"""`preau generate_academie`: families across schools, progress, and the services' history hook."""

import sys
import types
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from preau.core.models import AuditEntry
from preau.directory.models import Enrolment, GuardianLink, Person, Profile, Role, School, Teaching

pytestmark = pytest.mark.django_db


def generate(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("generate_academie", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_some_families_have_children_in_two_schools_of_their_commune():
    generate("--schools", "12", "--seed", "3")
    across = (
        GuardianLink.objects.values("guardian")
        .annotate(schools=Count("child__enrolments__school_class__school", distinct=True))
        .filter(schools=2)
    )
    assert across.exists()
    guardian = across.order_by("guardian").first()["guardian"]
    communes = School.objects.filter(classes__enrolments__pupil__guardian_links__guardian=guardian)
    assert communes.values("commune").distinct().count() == 1


def test_it_reports_its_progress_on_stderr_and_its_speed():
    out, err = generate("--schools", "4", "--seed", "2")
    assert "Écoles [" in err and "100%" in err and "4/4 écoles" in err
    assert "lignes/s" in out and "Fini en" in out


def test_the_services_history_gets_the_ids_of_what_was_built(monkeypatch):
    seen = {}

    def history(academie, rng, progress):
        seen["academie"] = academie
        progress.stage("Historique d'essai", len(academie.schools), "écoles")
        entries = [AuditEntry(action="bench.history", school_id=school.id) for school in academie.schools]
        progress.advance(len(academie.schools), rows=academie.insert(entries))
        seen["ids"] = [entry.pk for entry in entries]
        return {"entrées d'essai": len(entries)}

    module = types.ModuleType("preau.core.bench_history")
    module.generate = history
    monkeypatch.setitem(sys.modules, "preau.core.bench_history", module)
    out, err = generate("--schools", "3", "--seed", "5")

    academie = seen["academie"]
    assert "Historique : entrées d'essai 3" in out and "Historique d'essai" in err
    assert [s.id for s in academie.schools] == list(School.objects.order_by("pk").values_list("pk", flat=True))
    assert all(seen["ids"]) and AuditEntry.objects.filter(action="bench.history").count() == 3
    school = academie.schools[0]
    assert Role.objects.filter(person_id=school.director_id, school_id=school.id, profile=Profile.DIRECTOR).exists()
    school_class = school.classes[0]
    assert set(school_class.pupil_ids) == set(
        Enrolment.objects.filter(school_class_id=school_class.id).values_list("pupil_id", flat=True)
    )
    assert set(school_class.teacher_ids) == set(
        Teaching.objects.filter(school_class_id=school_class.id).values_list("teacher_id", flat=True)
    )
    pupil = school_class.pupil_ids[0]
    assert set(academie.guardians[pupil]) == set(
        GuardianLink.objects.filter(child_id=pupil).values_list("guardian_id", flat=True)
    )
    assert Person.objects.filter(pk__in=academie.staff[Profile.CITY_REFERENT]).count() >= 1


def test_no_history_skips_the_services(monkeypatch):
    module = types.ModuleType("preau.core.bench_history")
    module.generate = lambda academie, rng, progress: pytest.fail("history was generated")
    monkeypatch.setitem(sys.modules, "preau.core.bench_history", module)
    out, _err = generate("--schools", "1", "--no-history")
    assert "Historique" not in out
