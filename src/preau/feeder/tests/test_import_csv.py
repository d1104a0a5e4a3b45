import pytest

from preau.directory.factories import CommuneFactory, SchoolFactory, make_school
from preau.directory.models import Enrolment, GuardianLink, Person, Profile, Role, School, Source
from preau.feeder.actions import import_aaf_files, import_csv_file

pytestmark = pytest.mark.django_db

HEADER = "profil;identifiant;nom;prenom;date_naissance;courriel;telephone;uai;siret;classe;niveaux;enfants\n"


@pytest.fixture
def private_school(toulouse):
    from preau.directory.factories import CirconscriptionFactory, DepartementFactory

    departement = DepartementFactory(academie=toulouse, code="12")
    return SchoolFactory(
        uai="0121071Z",
        name="Sainte-Procule",
        sector=School.Sector.PRIVATE,
        circonscription=CirconscriptionFactory(departement=departement),
        commune=CommuneFactory(departement=departement, siret="21120202300019", name="Rodez"),
    )


def rows(*lines: str) -> bytes:
    return (HEADER + "\n".join(lines) + "\n").encode("utf-8")


def run(data: bytes, academie, **options):
    return import_csv_file(None, name="personnes.csv", data=data, academie=academie, **options).report["summary"]


FAMILY = rows(
    "eleve;E1;Durand;Léa;03/05/2018;;;0121071Z;;CE1 Sainte-Procule;CE1;",
    "responsable;R1;Durand;Anne;;anne@example.org;0612345678;;;;;E1",
    "enseignant;T1;Morel;Paul;;paul.morel@example.org;;0121071Z;;CE1 Sainte-Procule;;",
    "referent_ville;V1;Roux;Inès;;ines.roux@rodez.fr;;;21120202300019;;;",
    "periscolaire;P1;Blanc;Théo;;;;;21120202300019;;;",
)


def test_csv_creates_people_outside_the_aaf_with_their_roles_and_links(private_school, toulouse):
    summary = run(FAMILY, toulouse)
    assert summary["applied"] and summary["errors"] == []
    assert summary["created"]["pupils"] == 1 and summary["created"]["guardians"] == 1
    assert summary["created"]["staff"] == 3 and summary["created"]["classes"] == 1
    lea = Person.objects.get(external_id="csv:E1")
    assert lea.source == Source.CSV and lea.first_name == "Léa"
    assert Enrolment.objects.get(pupil=lea).school_class.levels == "CE1"
    assert GuardianLink.objects.filter(guardian__external_id="csv:R1", child=lea).exists()
    assert Role.objects.filter(
        person__external_id="csv:V1", profile=Profile.CITY_REFERENT, commune=private_school.commune
    ).exists()
    assert Role.objects.filter(person__external_id="csv:P1", profile=Profile.PERISCOLAIRE).exists()


def test_same_csv_twice_changes_nothing(private_school, toulouse):
    run(FAMILY, toulouse)
    again = run(FAMILY, toulouse)
    assert all(set(again[key].values()) == {0} for key in ("created", "updated", "detached", "reattached"))
    assert again["links"] == {"added": 0, "removed": 0}


def test_windows_1252_and_commas_are_read(private_school, toulouse):
    data = (HEADER.replace(";", ",") + "referent_ville,V2,Lefèvre,Zoé,,,,,21120202300019,,,\n").encode("cp1252")
    summary = run(data, toulouse)
    assert summary["errors"] == []
    assert Person.objects.get(external_id="csv:V2").last_name == "Lefèvre"


def test_a_bad_line_stops_the_whole_file_with_its_line_number(private_school, toulouse):
    data = rows("referent_ville;V1;Roux;Inès;;;;;21120202300019;;;", "enseignant;T9;Morel;Paul;;;;0121071A;;;;")
    summary = run(data, toulouse)
    assert summary["applied"] is False
    assert summary["errors"][0]["line"] == 3 and "lettre de contrôle" in summary["errors"][0]["message"]
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("directeur;D1;Morel;Paul;;;;0651067G;;;;", "inconnue dans cette académie"),
        ("contributeur;C1;Roux;Inès;;;;;21650258300019;;;", "Luhn"),
        ("responsable;R1;Durand;Anne;;;;;;;;E404", "Enfant « E404 » inconnu"),
        ("maire;M1;Plano;Bernard;;;;;;;;", "Profil inconnu"),
        ("eleve;E1;Durand;Léa;2018-05-03;;;0121071Z;;CE1;;", "JJ/MM/AAAA"),
        ("eleve;E1;Durand;Léa;;;;0121071Z;;;;", "« classe » obligatoire"),
    ],
)
def test_each_kind_of_bad_value_gets_a_french_message(private_school, toulouse, line, message):
    summary = run(rows(line), toulouse)
    assert summary["applied"] is False
    assert message in summary["errors"][0]["message"]


def test_missing_columns_are_named(toulouse):
    summary = run(b"nom;prenom\nRoux;Ines\n", toulouse)
    assert "profil, identifiant" in summary["errors"][0]["message"]


def test_the_aaf_never_touches_people_imported_by_csv(complet, toulouse, private_school):
    run(FAMILY, toulouse)
    import_aaf_files(None, paths=[complet], academie=toulouse)
    import_aaf_files(None, paths=[complet], academie=toulouse)
    assert Person.objects.get(external_id="csv:V1").is_active
    assert Role.objects.filter(person__external_id="csv:V1").count() == 1


def test_csv_never_touches_people_of_the_aaf(private_school, toulouse):
    built = make_school(school=private_school, classes=1, pupils=1)
    teacher = built.teachers[0]
    run(FAMILY, toulouse)
    assert Role.objects.filter(person=teacher).count() == 1


def test_dry_run_writes_nothing(private_school, toulouse):
    summary = run(FAMILY, toulouse, dry_run=True)
    assert summary["created"]["pupils"] == 1 and not summary["applied"]
    assert not Person.objects.filter(source=Source.CSV).exists()


def test_import_csv_command_prints_the_summary_and_exits_one_on_errors(private_school, toulouse, tmp_path):
    import io
    import json

    from django.core.management import call_command

    good, bad = tmp_path / "bon.csv", tmp_path / "mauvais.csv"
    good.write_bytes(FAMILY)
    bad.write_bytes(rows("maire;M1;Plano;Bernard;;;;;;;;"))
    out = io.StringIO()
    call_command("import_csv", str(good), "--academie", "Toulouse", stdout=out)
    assert json.loads(out.getvalue().splitlines()[-1])["created"]["pupils"] == 1
    with pytest.raises(SystemExit) as exit:
        call_command("import_csv", str(bad), "--academie", "16", stdout=io.StringIO(), stderr=io.StringIO())
    assert exit.value.code == 1


def test_csv_query_count_does_not_grow_with_the_number_of_pupils_of_a_class(
    private_school, toulouse, django_assert_max_num_queries
):
    def family_rows(count: int) -> bytes:
        return rows(*(f"eleve;E{n};Durand;Léa{n};;;;0121071Z;;CE1 Sainte-Procule;CE1;" for n in range(count)))

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        run(family_rows(2), toulouse)
    Person.objects.filter(source=Source.CSV).delete()
    with CaptureQueriesContext(connection) as large:
        run(family_rows(20), toulouse)
    # Each new pupil costs its own insert; nothing else grows (classes, lookups, syncs).
    assert len(large) - len(small) <= 18 * 3
