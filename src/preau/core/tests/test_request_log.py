import json
import logging

import pytest
from pythonjsonlogger.json import JsonFormatter

from preau.core.middleware import RequestIdFilter

pytestmark = pytest.mark.django_db


def test_each_request_writes_one_json_line_with_its_request_id(client):
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    handler = Keep()
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("preau.request")
    logger.addHandler(handler)
    try:
        response = client.get("/connexion/", HTTP_X_REQUEST_ID="req-42")
    finally:
        logger.removeHandler(handler)
    assert len(records) == 1
    line = json.loads(JsonFormatter("%(message)s %(request_id)s").format(records[0]))
    assert line["request_id"] == "req-42" == response["X-Request-Id"]
    assert line["path"] == "/connexion/" and line["status"] == 200
    assert "duration_ms" in line
