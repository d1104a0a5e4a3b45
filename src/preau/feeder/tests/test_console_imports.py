import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from preau.directory.factories import AcademieFactory, PersonFactory, make_school, person_with_role
from preau.directory.models import Person, Profile
from preau.feeder.models import ImportRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(toulouse):
    return person_with_role(Profile.ACADEMIE_ADMIN, toulouse)


def uploads(folder):
    return [
        SimpleUploadedFile(p.name, p.read_bytes(), content_type="application/xml") for p in sorted(folder.glob("*.xml"))
    ]


def test_admin_uploads_files_and_the_background_task_applies_them(
    client_for, admin, toulouse, complet, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.PREAU_AAF_UPLOAD_DIR = tmp_path / "uploads"
    from django_tasks_db.models import DBTaskResult

    client = client_for(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/annuaire/imports/", {"academie": toulouse.pk, "source": "aaf", "files": uploads(complet)}
        )
    run = ImportRun.objects.get()
    assert DBTaskResult.objects.filter(args_kwargs__args=[run.pk]).count() == 1  # queued for the worker
    assert response.status_code == 302 and response["Location"] == f"/annuaire/imports/{run.pk}/"
    assert run.status == ImportRun.Status.QUEUED
    page = client.get(f"/annuaire/imports/{run.pk}/").content.decode()
    assert 'http-equiv="refresh"' in page and "<progress" in page

    # The worker's turn: the task queued on commit runs now (the immediate backend runs it in-process).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    from preau.feeder.tasks import run_uploaded_import

    run_uploaded_import.enqueue(run.pk)
    run.refresh_from_db()
    assert run.status == ImportRun.Status.APPLIED
    assert Person.objects.filter(external_id="P1").exists()
    assert not any((tmp_path / "uploads").iterdir())  # uploaded files are not kept
    page = client.get(f"/annuaire/imports/{run.pk}/").content.decode()
    assert "Résumé" in page and "http-equiv" not in page
    report = client.get(f"/annuaire/imports/{run.pk}/rapport.json").json()
    assert report["summary"]["created"]["pupils"] == 3 and report["status"] == "applied"


def test_a_file_with_a_foreign_name_is_refused_at_upload(client_for, admin, toulouse):
    response = client_for(admin).post(
        "/annuaire/imports/",
        {"academie": toulouse.pk, "source": "aaf", "files": [SimpleUploadedFile("photo.xml", b"<x/>")]},
    )
    assert response.status_code == 400
    assert "Nom de fichier non conforme" in response.content.decode()
    assert not ImportRun.objects.exists()


def test_admin_cannot_import_into_another_academie(client_for, admin, complet):
    montpellier = AcademieFactory(name="Montpellier", code="11")
    response = client_for(admin).post(
        "/annuaire/imports/", {"academie": montpellier.pk, "source": "aaf", "files": uploads(complet)}
    )
    assert response.status_code == 400
    assert not ImportRun.objects.exists()


def test_runs_of_another_academie_are_not_shown(client_for, admin, complet):
    montpellier = AcademieFactory(name="Montpellier", code="11")
    other = ImportRun.objects.create(academie=montpellier)
    assert client_for(admin).get(f"/annuaire/imports/{other.pk}/").status_code == 404


def test_import_list_has_a_bounded_query_count(client_for, admin, toulouse, django_assert_max_num_queries):
    for _ in range(30):
        ImportRun.objects.create(academie=toulouse, started_by=admin)
    client = client_for(admin)
    with django_assert_max_num_queries(num=12):
        assert client.get("/annuaire/imports/").status_code == 200


# Who may import: only académie administrators (of that académie) and operators.
def _people(toulouse):
    built = make_school(classes=1, pupils=1)
    pupil = built.pupils[built.classes[0].id][0]
    return {
        "pupil": (pupil, False),
        "parent": (built.parents[pupil.id][0], False),
        "teacher": (built.teachers[0], False),
        "director": (built.director, False),
        "dsden_admin": (person_with_role(Profile.DSDEN_ADMIN, built.school.circonscription.departement), False),
        "ien": (person_with_role(Profile.IEN, built.school.circonscription), False),
        "city_referent": (person_with_role(Profile.CITY_REFERENT, built.school.commune), False),
        "other_academie_admin": (person_with_role(Profile.ACADEMIE_ADMIN, AcademieFactory()), False),
        "academie_admin": (person_with_role(Profile.ACADEMIE_ADMIN, toulouse), True),
        "operator": (PersonFactory(is_superuser=True, is_staff=True), True),
    }


@pytest.mark.parametrize(
    "profile",
    [
        "pupil",
        "parent",
        "teacher",
        "director",
        "dsden_admin",
        "ien",
        "city_referent",
        "other_academie_admin",
        "academie_admin",
        "operator",
    ],
)
def test_only_academie_administrators_and_operators_may_import(profile, toulouse, client_for):
    from preau.feeder.policy import can_import_into

    person, allowed = _people(toulouse)[profile]
    assert can_import_into(person, toulouse) is allowed
    status = client_for(person).get("/annuaire/imports/").status_code
    expected_page = 200 if allowed or profile == "other_academie_admin" else 403
    assert status == expected_page


def test_the_progress_of_a_running_import_is_shown_from_the_shared_cache(client_for, admin, toulouse, complet):
    from preau.feeder.actions import import_aaf_files
    from preau.feeder.models import save_progress

    run = ImportRun.objects.create(academie=toulouse, started_by=admin, status=ImportRun.Status.RUNNING)
    save_progress(run.pk, 1200, 4800, "Élèves")
    page = client_for(admin).get(f"/annuaire/imports/{run.pk}/").content.decode()
    assert 'value="1200"' in page and "25 %" in page and "Élèves" in page

    finished = import_aaf_files(admin, paths=[complet], academie=toulouse)
    assert finished.progress["percent"] == 100 and finished.progress["step"] == "Terminé"
