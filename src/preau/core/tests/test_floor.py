"""The bench's instruments: the floor page and the per-response query count."""

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from preau.directory.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_the_floor_is_not_found_unless_the_bench_turns_it_on(client_for):
    client = client_for(PersonFactory(first_name="Aline"))
    assert client.get("/bench/plancher").status_code == 404


def test_the_floor_reads_the_session_and_the_person_and_answers_a_few_bytes(settings, client_for):
    settings.PREAU_BENCH_FLOOR = True
    client = client_for(PersonFactory(first_name="Aline"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/bench/plancher")
    assert response.status_code == 200
    assert response.content.decode() == "plancher Aline"
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    assert "directory_person" in tables
    assert len(queries) <= 3


def test_the_floor_sends_anonymous_visitors_to_the_sign_in_page(settings, client):
    settings.PREAU_BENCH_FLOOR = True
    response = client.get("/bench/plancher")
    assert response.status_code == 302 and response["Location"].startswith("/connexion/")


def test_the_query_header_is_off_by_default(client_for):
    response = client_for(PersonFactory()).get("/")
    assert "X-Preau-Queries" not in response
    assert "preau.core.floor.QueryCountMiddleware" not in django_settings.MIDDLEWARE


def test_the_query_header_counts_every_query_of_the_response(settings, school, client_for):
    settings.MIDDLEWARE = ["preau.core.floor.QueryCountMiddleware", *settings.MIDDLEWARE]
    client = client_for(school.director)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/annuaire/mes-classes/")
    assert response.status_code == 200
    assert int(response["X-Preau-Queries"]) == len(queries) > 0
