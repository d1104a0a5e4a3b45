import pytest

from preau.directory.models import (
    Circonscription,
    Enrolment,
    Group,
    GuardianLink,
    Person,
    Profile,
    PupilRecord,
    Role,
    School,
    SchoolClass,
    Teaching,
)
from preau.feeder.actions import import_aaf_files
from preau.feeder.models import ImportRun

pytestmark = pytest.mark.django_db


def run_import(complet, academie, **options):
    return import_aaf_files(None, paths=[complet], academie=academie, **options)


def test_full_set_creates_schools_classes_people_roles_and_links(complet, toulouse):
    run = run_import(complet, toulouse)
    summary = run.report["summary"]
    assert run.status == ImportRun.Status.APPLIED, summary["errors"]
    assert summary["applied"] is True and summary["errors"] == []
    assert summary["created"] == {"schools": 2, "classes": 2, "pupils": 3, "guardians": 3, "staff": 3}

    school = School.objects.get(uai="0651067G")
    assert school.external_id == "E100" and school.kind == School.Kind.PRIMAIRE
    assert school.address == "RUE DES ÉCOLES"  # HTML entity translated
    assert school.circonscription.departement.code == "65"
    assert School.objects.get(uai="0650768G").kind == School.Kind.MATERNELLE
    assert Circonscription.objects.filter(external_id="C65-LANNEMEZAN").count() == 1

    lea = Person.objects.get(external_id="P1", academie=toulouse)
    assert lea.first_name == "Léa" and lea.birth_date.isoformat() == "2018-05-03"
    assert lea.source == "aaf" and not lea.has_usable_password() and lea.username == "lea.martin"
    record = PupilRecord.objects.get(pupil=lea)
    assert (record.ine, record.canteen, record.transport, record.morning_care) == ("123456789AB", True, False, True)
    assert record.level == "CE1"

    ce1 = SchoolClass.objects.get(school=school, external_code="CL1")
    assert ce1.name == "CE1 A" and ce1.levels == "CE1" and ce1.year == 2026
    assert set(Enrolment.objects.filter(school_class=ce1).values_list("pupil__external_id", flat=True)) == {"P1", "P3"}
    assert SchoolClass.objects.get(external_code="CL9").levels == "PS MS"
    assert Group.objects.get(external_code="G1").members.get() == lea

    sophie = Person.objects.get(external_id="R1")
    assert sophie.phone == "0611223344" and sophie.email == "sophie.martin@example.org"
    assert set(GuardianLink.objects.filter(guardian=sophie).values_list("child__external_id", flat=True)) == {
        "P1",
        "P2",
    }
    assert GuardianLink.objects.filter(child=lea).count() == 2  # R1 from both sides, R2 from the pupil's side

    claire, julien, anne = (Person.objects.get(external_id=i) for i in ("S1", "S2", "S3"))
    assert set(Role.objects.filter(person=claire).values_list("profile", flat=True)) == {
        Profile.TEACHER,
        Profile.DIRECTOR,
    }
    assert set(Role.objects.filter(person=julien).values_list("profile", flat=True)) == {Profile.TEACHER}
    assert Teaching.objects.filter(teacher=julien, school_class=ce1).exists()
    assert Role.objects.filter(person=anne, profile=Profile.DIRECTOR, school__uai="0650768G").exists()
    assert Role.objects.filter(person=lea, profile=Profile.PUPIL, school=school).exists()


def test_importing_the_same_files_twice_changes_nothing_the_second_time(complet, toulouse):
    run_import(complet, toulouse)
    snapshot = (Person.objects.count(), Role.objects.count(), Enrolment.objects.count(), GuardianLink.objects.count())
    second = run_import(complet, toulouse).report["summary"]
    for key in ("created", "updated", "detached", "reattached"):
        assert set(second[key].values()) == {0}, (key, second[key])
    assert second["links"] == {"added": 0, "removed": 0}
    assert snapshot == (
        Person.objects.count(),
        Role.objects.count(),
        Enrolment.objects.count(),
        GuardianLink.objects.count(),
    )


def test_the_run_is_recorded_with_its_files_and_checksums(complet, toulouse):
    run = run_import(complet, toulouse)
    assert {f["category"] for f in run.files} == {"EtabEducNat", "Eleve", "PersEducNat", "PersRelEleve"}
    assert all(len(f["sha256"]) == 64 for f in run.files)
    assert run.finished_at is not None
