"""Uploads are judged by their content: a renamed page or program never gets in."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from preau.core.uploads import IMAGE_TYPES, check_upload, safe_name

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6300010000050001"
    "0d0a2db40000000049454e44ae426082"
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_a_real_pdf_and_png_are_accepted():
    assert check_upload(upload("devoir.pdf", PDF), max_bytes=10_000).content_type == "application/pdf"
    checked = check_upload(upload("dessin.png", PNG), max_bytes=10_000, allowed=IMAGE_TYPES)
    assert checked.is_image


def test_an_office_document_is_recognised_inside_its_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    checked = check_upload(upload("lettre.odt", buffer.getvalue()), max_bytes=100_000)
    assert checked.content_type == "application/vnd.oasis.opendocument.text"


@pytest.mark.parametrize(
    "name, content",
    [
        ("devoir.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("image.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("cours.pdf", b"\x7fELF\x02\x01\x01" + b"\0" * 64),
        ("photo.jpg", b"MZ\x90\x00\x03" + b"\0" * 64),
    ],
)
def test_disguised_files_are_refused_in_french(name, content):
    with pytest.raises(ValidationError) as refused:
        check_upload(upload(name, content), max_bytes=10_000)
    assert "n'est pas d'un type accepté" in refused.value.messages[0]


def test_size_and_emptiness_are_checked_before_the_content():
    with pytest.raises(ValidationError, match="la limite est de"):
        check_upload(upload("gros.pdf", PDF * 100), max_bytes=100)
    with pytest.raises(ValidationError, match="est vide"):
        check_upload(upload("vide.pdf", b""), max_bytes=100)


def test_names_lose_their_folders_and_hidden_dots():
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("C:\\Users\\eleve\\.devoir.pdf") == "devoir.pdf"
    assert safe_name("..") == "fichier"
