"""Who may do what with conventions: the tables below ARE the rule book, checked cell by cell.

The world: académie A with two départements, each with a circonscription, a commune and a
school; the commune observed is M1 (département 1) with school S1 and class K1; M1 has a signed
convention C (with its PDF), a draft D and a sent convention E. Académie B is another one.
Columns of RULES:
  use        the conventions service at all (portal tile)           can_use_conventions
  dashboard  the dashboard of their scope                           can_view_dashboard
  read       reads C, downloads its PDF                             can_read_convention
  manage     manages A's conventions, fees and model                can_manage_conventions
  edit       edits draft D                                          can_edit_convention
  upload     uploads the signed copy of E                           can_upload_signed_copy
  titre      records C's titre de perception                        can_record_titre
  terminate  starts C's termination                                 can_request_termination
  coverage   sees whether S1 is covered                             can_see_school_coverage
  cov_page   the page "Convention de l'école"                       can_see_school_coverage_page
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.test import Client

from preau.conventions import policy
from preau.conventions.factories import ConventionFactory
from preau.conventions.models import Convention
from preau.directory.factories import policy_world, world_person

pytestmark = pytest.mark.django_db

RULES = """
                      use  dashb read manage edit upload titre termin cover cov_page
pupil                 -    -     -    -      -    -      -     -      -     -
parent                -    -     -    -      -    -      -     -      -     -
teacher               -    -     -    -      -    -      -     -      -     -
director              -    -     -    -      -    -      -     -      yes   yes
elected_parent        -    -     -    -      -    -      -     -      -     -
city_referent         yes  -     yes  -      -    yes    -     yes    yes   yes
city_contributor      -    -     -    -      -    -      -     -      -     -
periscolaire          -    -     -    -      -    -      -     -      -     -
advisor               -    -     -    -      -    -      -     -      -     -
erun                  -    -     -    -      -    -      -     -      -     -
ien                   -    -     -    -      -    -      -     -      -     -
dsden_admin           yes  yes   yes  -      -    -      -     -      yes   -
academie_admin        yes  yes   yes  yes    yes  yes    yes   yes    yes   -
operator              -    -     -    -      -    -      -     -      -     -
other_school_director -    -     -    -      -    -      -     -      -     yes
other_school_teacher  -    -     -    -      -    -      -     -      -     -
other_school_parent   -    -     -    -      -    -      -     -      -     -
other_city_referent   yes  -     -    -      -    -      -     -      -     yes
other_academie_admin  yes  yes   -    -      -    -      -     -      -     -
anonymous             -    -     -    -      -    -      -     -      -     -
"""

ACTIONS = {
    "use": lambda p, w: policy.can_use_conventions(p),
    "dashboard": lambda p, w: policy.can_view_dashboard(p),
    "read": lambda p, w: policy.can_read_convention(p, w["signed"]),
    "manage": lambda p, w: policy.can_manage_conventions(p, w["academie"].id),
    "edit": lambda p, w: policy.can_edit_convention(p, w["draft"]),
    "upload": lambda p, w: policy.can_upload_signed_copy(p, w["sent"]),
    "titre": lambda p, w: policy.can_record_titre(p, w["signed"]),
    "terminate": lambda p, w: policy.can_request_termination(p, w["signed"]),
    "coverage": lambda p, w: policy.can_see_school_coverage(p, w["school"]),
    "cov_page": lambda p, w: policy.can_see_school_coverage_page(p),
}

# What each page answers: 200, 302 (to the sign-in page, or directors to their coverage page),
# 403 (not for this profile), 404 (outside their scope).
PAGES = """
                      index detail pdf  dashb cover fees create api
pupil                 403   404    404  403   403   403  403    404
parent                403   404    404  403   403   403  403    404
teacher               403   404    404  403   403   403  403    404
director              302   404    404  403   200   403  403    404
elected_parent        403   404    404  403   403   403  403    404
city_referent         200   200    200  403   200   403  403    200
city_contributor      403   404    404  403   403   403  403    404
periscolaire          403   404    404  403   403   403  403    404
advisor               403   404    404  403   403   403  403    404
erun                  403   404    404  403   403   403  403    404
ien                   403   404    404  403   403   403  403    404
dsden_admin           200   200    200  200   403   403  403    200
academie_admin        200   200    200  200   403   200  200    200
operator              403   404    404  403   403   403  403    404
other_school_director 302   404    404  403   200   403  403    404
other_school_teacher  403   404    404  403   403   403  403    404
other_school_parent   403   404    404  403   403   403  403    404
other_city_referent   200   404    404  403   200   403  403    404
other_academie_admin  200   404    404  200   403   200  200    404
anonymous             302   302    302  302   302   302  302    302
"""

PAGE_URLS = {
    "index": lambda w: "/conventions/",
    "detail": lambda w: f"/conventions/{w['signed'].pk}/",
    "pdf": lambda w: f"/conventions/{w['signed'].pk}/convention.pdf",
    "dashboard": lambda w: "/conventions/tableau-de-bord/",
    "coverage": lambda w: "/conventions/ecoles/",
    "fees": lambda w: "/conventions/participations/",
    "create": lambda w: "/conventions/nouvelle/",
    "api": lambda w: f"/conventions/api/conventions/{w['signed'].pk}/",
}


def _parse(table: str, columns) -> dict[tuple[str, str], str]:
    rows = [line.split() for line in table.strip().splitlines()[1:]]
    return {(row[0], column): cell for row in rows for column, cell in zip(columns, row[1:], strict=True)}


EXPECTED = _parse(RULES, ACTIONS)
EXPECTED_PAGES = _parse(PAGES, PAGE_URLS)


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    w = policy_world()
    signed = ConventionFactory(
        commune=w["commune"],
        schools=[w["school"]],
        state=Convention.State.SIGNED,
        signed_on=datetime.date(2025, 6, 1),
        school_year=2025,
    )
    signed.pdf.save("c.pdf", ContentFile(b"%PDF-1.4 test"))
    w["signed"] = signed
    w["draft"] = ConventionFactory(commune=w["commune"], schools=[w["school"]], school_year=2026)
    w["sent"] = ConventionFactory(
        commune=w["commune"], schools=[w["school"]], school_year=2027, state=Convention.State.SENT
    )
    return w


def make_person(name: str, w):
    """The person of row `name`, in the world (None for the anonymous visitor)."""
    return None if name == "anonymous" else world_person(name, w)


@pytest.mark.parametrize(("person_name", "action"), list(EXPECTED), ids=[f"{p}-{a}" for p, a in EXPECTED])
def test_policy_matrix(world, person_name, action):
    person = make_person(person_name, world) or AnonymousUser()
    assert ACTIONS[action](person, world) is (EXPECTED[(person_name, action)] == "yes")


@pytest.mark.parametrize(("person_name", "page"), list(EXPECTED_PAGES), ids=[f"{p}-{a}" for p, a in EXPECTED_PAGES])
def test_pages_matrix(world, person_name, page):
    person = make_person(person_name, world)
    client = Client()
    if person is not None:
        client.force_login(person)
    response = client.get(PAGE_URLS[page](world))
    assert response.status_code == int(EXPECTED_PAGES[(person_name, page)])


def test_matrix_covers_every_profile():
    rows = {person for person, _ in EXPECTED}
    assert len(rows) == 20 and rows == {person for person, _ in EXPECTED_PAGES}
    assert len(EXPECTED) == 20 * len(ACTIONS)
