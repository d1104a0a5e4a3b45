import pytest

pytestmark = pytest.mark.django_db


def test_healthz_answers_without_signing_in_with_each_part_state(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {"database", "cache", "tasks"} <= set(body["checks"])
    assert all(check["state"] == "ok" for check in body["checks"].values())


def test_every_response_carries_a_request_id(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="abc123")
    assert response["X-Request-Id"] == "abc123"
    assert len(client.get("/healthz")["X-Request-Id"]) == 32


def test_responses_carry_the_security_headers(client):
    response = client.get("/connexion/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
