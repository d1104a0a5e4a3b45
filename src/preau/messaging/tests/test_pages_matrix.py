"""Who opens which page of the messagerie: the table below, for every profile.

  inbox     /messagerie/                      compose   /messagerie/ecrire/
  search    /messagerie/recherche/?q=x        settings  /messagerie/reglages/
  s_rules   S1's communication rules          a_rules   académie A's communication rules
  suspend   the director's suspensions page   api       /messagerie/api/boite/
302 is the sign-in page (anonymous), 403 a refusal in French, 404 "not for you".
"""

import pytest
from django.test import Client

from .conftest import PEOPLE

MATRIX = """
                     inbox compose search settings s_rules a_rules suspend api
pupil                 200   200     200    403      403     403     403     200
classmate             200   200     200    403      403     403     403     200
teacher               200   200     200    200      403     403     403     200
director              200   200     200    200      200     403     200     200
parent                200   200     200    403      403     403     403     200
elected_parent        200   200     200    403      403     403     403     200
city_referent         200   200     200    403      403     403     403     200
city_contributor      200   200     200    403      403     403     403     200
periscolaire          200   200     200    403      403     403     403     200
advisor               200   200     200    403      403     403     403     200
erun                  200   200     200    403      403     403     403     200
ien                   200   200     200    403      403     403     403     200
dsden_admin           200   200     200    403      403     403     403     200
academie_admin        200   200     200    200      403     200     403     200
other_director        200   200     200    200      403     403     200     200
other_teacher         200   200     200    200      403     403     403     200
other_parent          200   200     200    403      403     403     403     200
other_pupil           200   200     200    403      403     403     403     200
other_city_referent   200   200     200    403      403     403     403     200
operator              404   404     404    403      403     403     403     404
anonymous             302   302     302    302      302     302     302     302
"""

PAGES = {
    "inbox": lambda w: "/messagerie/",
    "compose": lambda w: "/messagerie/ecrire/",
    "search": lambda w: "/messagerie/recherche/?q=sortie",
    "settings": lambda w: "/messagerie/reglages/",
    "s_rules": lambda w: f"/messagerie/regles/ecole/{w.school.pk}/",
    "a_rules": lambda w: f"/messagerie/regles/academie/{w.academie.pk}/",
    "suspend": lambda w: "/messagerie/suspensions/",
    "api": lambda w: "/messagerie/api/boite/",
}
EXPECTED = {
    row[0]: dict(zip(PAGES, map(int, row[1:]), strict=True))
    for row in (line.split() for line in MATRIX.strip().splitlines()[1:])
}


def test_the_table_covers_every_profile():
    assert list(EXPECTED) == [*PEOPLE, "anonymous"]


@pytest.mark.parametrize("name", list(EXPECTED))
def test_who_opens_which_page(world, name, django_assert_max_num_queries):
    client = Client()
    if name != "anonymous":
        client.force_login(world[name])
    wrong = []
    for page, url in PAGES.items():
        with django_assert_max_num_queries(20):
            status = client.get(url(world)).status_code
        if status != EXPECTED[name][page]:
            wrong.append(f"{page}: attendu {EXPECTED[name][page]}, obtenu {status}")
    assert not wrong, f"{name} → " + "; ".join(wrong)
