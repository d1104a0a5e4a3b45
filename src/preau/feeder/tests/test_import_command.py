import io
import json

import pytest
from django.core.management import call_command

from preau.directory.models import Person

from .conftest import rewrite

pytestmark = pytest.mark.django_db
KINDS = {"schools", "classes", "pupils", "guardians", "staff"}


def run_command(*args) -> tuple[int, dict]:
    out = io.StringIO()
    try:
        call_command("import_aaf", *args, stdout=out, stderr=io.StringIO())
        code = 0
    except SystemExit as exit:
        code = exit.code
    return code, json.loads(out.getvalue().strip().splitlines()[-1])


def test_command_prints_the_json_summary_on_its_last_line(complet, toulouse):
    code, summary = run_command(str(complet), "--academie", "Toulouse")
    assert code == 0
    assert summary["applied"] is True and summary["errors"] == [] and isinstance(summary["warnings"], list)
    for key in ("created", "updated", "detached", "reattached"):
        assert set(summary[key]) == KINDS
    assert summary["created"]["pupils"] == 3


def test_command_finds_the_academie_from_the_folder_name(complet, toulouse):
    code, summary = run_command(str(complet))
    assert code == 0 and summary["applied"]


def test_dry_run_exits_zero_and_writes_nothing(complet, toulouse):
    code, summary = run_command(str(complet), "--academie", "16", "--dry-run")
    assert code == 0 and summary["applied"] is False
    assert summary["created"]["pupils"] == 3
    assert not Person.objects.exists()


def test_blocking_errors_exit_one_with_file_line_and_id(complet, toulouse):
    rewrite(next(complet.glob("*_EtabEducNat_0000.xml")), "<value>0651067G</value>", "<value>0651067H</value>")
    code, summary = run_command(str(complet), "--academie", "Toulouse")
    assert code == 1 and summary["applied"] is False
    assert set(summary["errors"][0]) == {"file", "line", "id", "message"}


def test_single_files_can_be_given(complet, toulouse):
    code, summary = run_command(*map(str, sorted(complet.glob("*.xml"))), "--academie", "Toulouse")
    assert code == 0 and summary["created"]["staff"] == 3
