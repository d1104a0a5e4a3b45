"""What a later import does to what an earlier one created, and to what people did since."""

import shutil

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from preau.directory.factories import PersonFactory
from preau.directory.models import Enrolment, GuardianLink, Person, School, SchoolClass, Source
from preau.feeder.actions import import_aaf_files

from .conftest import rewrite

pytestmark = pytest.mark.django_db


def run_import(path, academie, **options):
    return import_aaf_files(None, paths=[path], academie=academie, **options).report["summary"]


def eleve_file(folder):
    return next(folder.glob("*_Eleve_0000.xml"))


def test_dry_run_reports_what_would_change_and_writes_nothing(complet, toulouse):
    summary = run_import(complet, toulouse, dry_run=True)
    assert summary["applied"] is False and summary["dry_run"] is True
    assert summary["created"]["pupils"] == 3
    assert not Person.objects.exists() and not School.objects.exists()


def test_a_changed_name_is_reported_field_by_field(complet, toulouse):
    run_import(complet, toulouse)
    rewrite(eleve_file(complet), "<value>Hugo</value>", "<value>Hugues</value>")
    summary = run_import(complet, toulouse, dry_run=True)
    assert summary["updated"]["pupils"] == 1
    assert summary["changed_fields"] == {"pupils.first_name": 1}
    assert Person.objects.get(external_id="P2").first_name == "Hugo"
    run_import(complet, toulouse)
    assert Person.objects.get(external_id="P2").first_name == "Hugues"


def test_what_people_did_survives_an_import(complet, toulouse):
    run_import(complet, toulouse)
    sophie = Person.objects.get(external_id="R1")
    sophie.username = "sophie.choisi"
    sophie.password = make_password("Mon-mot-de-passe-2026")
    sophie.email = "adresse.donnee@example.org"
    sophie.activated_at = timezone.now()
    sophie.save()
    run_import(complet, toulouse)
    sophie.refresh_from_db()
    assert sophie.username == "sophie.choisi" and sophie.check_password("Mon-mot-de-passe-2026")
    assert sophie.email == "adresse.donnee@example.org" and sophie.activated_at is not None


def test_full_import_detaches_who_is_missing_and_reattaches_who_comes_back(complet, toulouse, tmp_path):
    run_import(complet, toulouse)
    original = tmp_path / "original"
    shutil.copytree(complet, original)
    text = eleve_file(complet).read_text()
    start = text.index("<addRequest>", text.index("<id>P3</id>") - 200)
    end = text.index("</addRequest>", start) + len("</addRequest>")
    eleve_file(complet).write_text(text[:start] + text[end:])
    rewrite(next(complet.glob("*_PersRelEleve_0000.xml")), "<value>P3</value>", "")
    summary = run_import(complet, toulouse)
    assert summary["detached"]["pupils"] == 1
    chloe = Person.objects.get(external_id="P3")
    assert not chloe.is_active and chloe.detached_at is not None
    assert Enrolment.objects.filter(pupil=chloe).exists()  # data kept for the retention period

    shutil.rmtree(complet)
    shutil.copytree(original, complet)
    summary = run_import(complet, toulouse)
    assert summary["reattached"]["pupils"] == 1
    chloe.refresh_from_db()
    assert chloe.is_active and chloe.detached_at is None


def test_people_created_by_hand_are_never_touched_by_the_feed(complet, toulouse):
    run_import(complet, toulouse)
    partner = PersonFactory(academie=toulouse, first_name="Inès", source=Source.MANUAL)
    run_import(complet, toulouse)
    partner.refresh_from_db()
    assert partner.is_active and partner.first_name == "Inès"


def test_a_pupil_who_changes_class_keeps_the_account(complet, toulouse):
    run_import(complet, toulouse)
    lea = Person.objects.get(external_id="P1")
    rewrite(
        eleve_file(complet),
        '<value>E100$$$CL1$CE1 A</value></attr>\n  <attr name="ENTPersonGroupes">',
        '<value>E100$$$CL2$CE2 B</value></attr>\n  <attr name="ENTPersonGroupes">',
    )
    run_import(complet, toulouse)
    assert Person.objects.get(external_id="P1").pk == lea.pk
    assert list(Enrolment.objects.filter(pupil=lea).values_list("school_class__name", flat=True)) == ["CE2 B"]


def test_a_new_school_year_moves_pupils_and_keeps_last_years_classes(complet, toulouse):
    run_import(complet, toulouse)
    for path in complet.glob("*.xml"):
        path.rename(path.with_name(path.name.replace("20260901", "20270830")))
    rewrite(
        eleve_file(complet),
        'E100$$$CL1$CE1 A</value></attr>\n  <attr name="ENTPersonGroupes">',
        'E100$$$CL7$CE2 A</value></attr>\n  <attr name="ENTPersonGroupes">',
    )
    run_import(complet, toulouse)
    lea = Person.objects.get(external_id="P1")
    years = sorted(Enrolment.objects.filter(pupil=lea).values_list("school_class__year", "school_class__name"))
    assert years == [(2026, "CE1 A"), (2027, "CE2 A")]
    assert SchoolClass.objects.filter(year=2026, external_code="CL1").exists()


def test_a_removed_parental_link_goes_only_when_neither_side_names_it(complet, toulouse):
    run_import(complet, toulouse)
    rewrite(eleve_file(complet), "<value>R1</value><value>R2</value>", "<value>R1</value>")
    run_import(complet, toulouse)
    lea = Person.objects.get(external_id="P1")
    assert set(GuardianLink.objects.filter(child=lea).values_list("guardian__external_id", flat=True)) == {"R1"}


def test_delta_applies_its_operations_only(complet, toulouse, tmp_path):
    run_import(complet, toulouse)
    delta = tmp_path / "delta"
    delta.mkdir()
    (delta / "ENT1D_Delta_20261002_Eleve_0000.xml").write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<ficAlimMENESR>
<modifyRequest>
 <operationalAttributes><attr name="categoriePersonne"><value>Eleve</value></attr></operationalAttributes>
 <identifier><id>P3</id></identifier>
 <attributes><attr name="ENTPersonPrenom"><value>Chloé-Anne</value></attr></attributes>
</modifyRequest>
<deleteRequest>
 <operationalAttributes><attr name="categoriePersonne"><value>Eleve</value></attr></operationalAttributes>
 <identifier><id>P2</id></identifier>
 <attributes/>
</deleteRequest>
</ficAlimMENESR>""",
        encoding="utf-8",
    )
    summary = run_import(delta, toulouse)
    assert summary["errors"] == [] and summary["applied"]
    assert summary["updated"]["pupils"] == 1 and summary["detached"]["pupils"] == 1
    chloe = Person.objects.get(external_id="P3")
    assert chloe.first_name == "Chloé-Anne" and chloe.last_name == "DUPONT" and chloe.birth_date is not None
    assert Enrolment.objects.filter(pupil=chloe).exists()
    assert not Person.objects.get(external_id="P2").is_active
    assert Person.objects.get(external_id="P1").is_active  # a delta detaches no one else


def test_a_delta_checks_its_references_against_the_directory_in_one_query_per_family(
    complet, toulouse, tmp_path, django_assert_max_num_queries
):
    from preau.feeder.validation import read_set

    run_import(complet, toulouse)
    delta = tmp_path / "delta"
    delta.mkdir()
    modifications = "".join(
        f"""<modifyRequest>
 <operationalAttributes><attr name="categoriePersonne"><value>Eleve</value></attr></operationalAttributes>
 <identifier><id>{pupil}</id></identifier>
 <attributes><attr name="ENTEleveAutoriteParentale"><value>R1</value><value>R3</value></attr></attributes>
</modifyRequest>"""
        for pupil in ("P1", "P2", "P3")
    )
    (delta / "ENT1D_Delta_20261002_Eleve_0000.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ficAlimMENESR>{modifications}</ficAlimMENESR>', encoding="utf-8"
    )
    with django_assert_max_num_queries(num=3):
        fileset = read_set([delta], toulouse)
    assert fileset.errors == []


def test_a_pupil_who_changes_school_keeps_the_account(complet, toulouse):
    from preau.directory.models import Profile, Role

    run_import(complet, toulouse)
    chloe = Person.objects.get(external_id="P3")
    path = eleve_file(complet)
    text = path.read_text()
    start = text.index("<id>P3</id>")
    record = text[start:]
    record = record.replace("<value>E100</value>", "<value>E200</value>", 1).replace(
        "E100$$$CL1$CE1 A", "E200$$$CL9$PS-MS Les Lutins", 1
    )
    path.write_text(text[:start] + record)
    run_import(complet, toulouse)
    assert Person.objects.get(external_id="P3").pk == chloe.pk
    schools = set(Role.objects.filter(person=chloe, profile=Profile.PUPIL).values_list("school__uai", flat=True))
    assert schools == {"0650768G"}
    assert list(Enrolment.objects.filter(pupil=chloe).values_list("school_class__external_code", flat=True)) == ["CL9"]
