"""Every bad input gets a clear French message, no network access, and no change."""

import os
import socket
import threading

import pytest

from preau.directory.models import Person, School
from preau.feeder.actions import import_aaf_files
from preau.feeder.models import ImportRun

from .conftest import rewrite

pytestmark = pytest.mark.django_db

HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n'


def run_import(path, academie):
    run = import_aaf_files(None, paths=[path], academie=academie)
    return run, run.report["summary"]


def assert_rejected_without_change(run, summary, fragment: str):
    assert run.status == ImportRun.Status.REJECTED
    assert summary["applied"] is False
    messages = " | ".join(error["message"] for error in summary["errors"])
    assert fragment in messages, messages
    assert not Person.objects.exists() and not School.objects.exists()


def school_file(folder):
    return next(folder.glob("*_EtabEducNat_0000.xml"))


def test_malformed_xml_names_the_file_and_line(complet, toulouse):
    rewrite(
        school_file(complet),
        '<attr name="ENTStructureUAI"><value>0651067G</value></attr>',
        '<attr name="ENTStructureUAI"><value>0651067G</attr>',
    )
    run, summary = run_import(complet, toulouse)
    assert_rejected_without_change(run, summary, "XML mal formé")
    error = summary["errors"][0]
    assert error["file"].endswith("_EtabEducNat_0000.xml") and error["line"] > 1


def test_truncated_file_is_refused(complet, toulouse):
    path = school_file(complet)
    path.write_bytes(path.read_bytes()[:900])
    run, summary = run_import(complet, toulouse)
    assert_rejected_without_change(run, summary, "tronqué")


def test_wrong_encoding_is_refused(complet, toulouse):
    path = next(complet.glob("*_Eleve_0000.xml"))
    path.write_bytes(path.read_bytes().replace(b"Hugo", "Hélène".encode("latin-1")))
    run, summary = run_import(complet, toulouse)
    assert_rejected_without_change(run, summary, "Encodage invalide")


def test_billion_laughs_is_refused_before_any_expansion(complet, toulouse):
    bomb = (
        HEADER
        + """<!DOCTYPE ficAlimMENESR [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<ficAlimMENESR><addRequest><identifier><id>&lol3;</id></identifier></addRequest></ficAlimMENESR>"""
    )
    school_file(complet).write_text(bomb)
    run, summary = run_import(complet, toulouse)
    assert_rejected_without_change(run, summary, "entités XML")


class _Listener:
    """A local TCP port that records whether anybody connected to it."""

    def __init__(self):
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(1)
        self.server.settimeout(0.5)
        self.port = self.server.getsockname()[1]
        self.connected = False
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        try:
            connection, _ = self.server.accept()
            self.connected = True
            connection.close()
        except OSError:
            pass

    def close(self):
        self.thread.join(1)
        self.server.close()


def test_external_entity_and_remote_dtd_are_never_fetched(complet, toulouse, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("mot de passe de la base")
    listener = _Listener()
    try:
        school_file(complet).write_text(
            HEADER
            + f"""<!DOCTYPE ficAlimMENESR SYSTEM "http://127.0.0.1:{listener.port}/x.dtd" [
 <!ENTITY xxe SYSTEM "file://{secret}">
]>
<ficAlimMENESR><addRequest><identifier><id>&xxe;</id></identifier></addRequest></ficAlimMENESR>"""
        )
        run, summary = run_import(complet, toulouse)
    finally:
        listener.close()
    assert_rejected_without_change(run, summary, "entités XML")
    assert not listener.connected
    assert "mot de passe de la base" not in str(run.report)


def test_remote_dtd_alone_is_not_fetched(complet, toulouse):
    listener = _Listener()
    try:
        path = school_file(complet)
        rewrite(path, 'SYSTEM "ficAlimMENESR.dtd"', f'SYSTEM "http://127.0.0.1:{listener.port}/ficAlimMENESR.dtd"')
        run, summary = run_import(complet, toulouse)
    finally:
        listener.close()
    assert not listener.connected
    assert summary["applied"] is True  # the DTD is never needed


def test_oversized_file_is_refused_without_being_read(complet, toulouse):
    path = school_file(complet)
    with open(path, "r+b") as stream:
        stream.truncate(2 * 2**30)  # 2 GB, sparse: costs no disk
    run, summary = run_import(complet, toulouse)
    assert_rejected_without_change(run, summary, "trop volumineux")
    os.truncate(path, 0)


def test_wrong_uai_check_letter_is_refused_with_the_expected_letter(complet, toulouse):
    rewrite(school_file(complet), "<value>0651067G</value>", "<value>0651067H</value>")
    run, summary = run_import(complet, toulouse)
    assert_rejected_without_change(run, summary, "devrait être « G »")
    assert summary["errors"][0]["id"] == "E100"


def test_pupil_of_an_unknown_school_is_refused(complet, toulouse):
    rewrite(next(complet.glob("*_Eleve_0000.xml")), "<value>E200</value></attr>", "<value>E999</value></attr>")
    run, summary = run_import(complet, toulouse)
    assert_rejected_without_change(run, summary, "École inconnue « E999 »")


def test_duplicate_jointure_is_refused_with_both_places(complet, toulouse):
    rewrite(next(complet.glob("*_Eleve_0000.xml")), "<identifier><id>P3</id>", "<identifier><id>P1</id>")
    run, summary = run_import(complet, toulouse)
    assert_rejected_without_change(run, summary, "en double")


def test_file_of_another_academie_is_refused(complet, toulouse):
    rewrite(
        school_file(complet),
        '<attr name="ENTServAcCodeAcademie"><value>16</value></attr>\n  <attr name="ENTEcoleSecteur">',
        '<attr name="ENTServAcCodeAcademie"><value>11</value></attr>\n  <attr name="ENTEcoleSecteur">',
    )
    run, summary = run_import(complet, toulouse)
    assert_rejected_without_change(run, summary, "autre académie")


def test_unknown_optional_attribute_and_guardian_without_child_only_warn(complet, toulouse):
    rewrite(next(complet.glob("*_PersRelEleve_0000.xml")), "<value>P3</value>", "")
    rewrite(
        school_file(complet),
        '<attr name="ENTEcoleRPI"><value/></attr>',
        '<attr name="ENTEcoleRPI"><value/></attr><attr name="ENTNouveauChamp"><value>x</value></attr>',
    )
    run, summary = run_import(complet, toulouse)
    assert summary["applied"] is True
    warnings = " | ".join(w["message"] for w in summary["warnings"])
    assert "ENTNouveauChamp" in warnings and "sans enfant" in warnings


def test_bad_date_and_boolean_are_refused(complet, toulouse):
    path = next(complet.glob("*_Eleve_0000.xml"))
    rewrite(path, "03/05/2018", "2018-05-03")
    rewrite(
        path,
        '<attr name="ENTEleveTransport"><value>N</value>',
        '<attr name="ENTEleveTransport"><value>peut-être</value>',
    )
    run, summary = run_import(complet, toulouse)
    assert_rejected_without_change(run, summary, "JJ/MM/AAAA")
    assert "attendu O ou N" in " ".join(e["message"] for e in summary["errors"])


def test_file_with_a_name_outside_the_pattern_is_refused(complet, toulouse):
    school_file(complet).rename(complet / "annuaire.xml")
    run, summary = run_import(complet, toulouse)
    assert_rejected_without_change(run, summary, "Nom de fichier non conforme")


def test_html_entities_of_real_files_are_translated(complet, toulouse):
    run, summary = run_import(complet, toulouse)
    assert Person.objects.get(external_id="P3").first_name == "Chloé"


@pytest.mark.parametrize("content", ["<annuaire><addRequest/></annuaire>", "<addRequest/>", "<vide/>"])
def test_a_file_that_is_not_an_aaf_export_is_refused(complet, toulouse, content):
    school_file(complet).write_text(HEADER + content)
    run, summary = run_import(complet, toulouse)
    assert_rejected_without_change(run, summary, "pas un fichier de l'AAF")
