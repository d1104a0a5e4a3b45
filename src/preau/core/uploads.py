"""Files that people upload: checked by their content, never by their name.

`check_upload` reads the first bytes with libmagic and accepts only the kinds on the
allow-list (documents, images, sound, video that a school exchanges); an HTML page, an SVG,
an executable or a script renamed `devoir.pdf` is refused with a French message.
"""

from dataclasses import dataclass

import magic
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Content type (as libmagic names it) → what the message calls it.
DOCUMENT_TYPES = {
    "application/pdf": "PDF",
    "application/vnd.oasis.opendocument.text": "ODT",
    "application/vnd.oasis.opendocument.spreadsheet": "ODS",
    "application/vnd.oasis.opendocument.presentation": "ODP",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PPTX",
    "application/msword": "DOC",
    "application/vnd.ms-excel": "XLS",
    "text/plain": "texte",
    "text/csv": "CSV",
}
IMAGE_TYPES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "GIF", "image/webp": "WebP"}
MEDIA_TYPES = {
    "audio/mpeg": "MP3",
    "audio/x-m4a": "M4A",
    "audio/mp4": "M4A",
    "audio/ogg": "OGG",
    "audio/x-wav": "WAV",
    "video/mp4": "MP4",
    "video/webm": "WebM",
}
SCHOOL_TYPES = {**DOCUMENT_TYPES, **IMAGE_TYPES, **MEDIA_TYPES}


@dataclass(frozen=True)
class CheckedUpload:
    file: UploadedFile
    name: str
    size: int
    content_type: str

    @property
    def is_image(self) -> bool:
        return self.content_type in IMAGE_TYPES


def safe_name(name: str) -> str:
    """The file's own name without any folder, control character or leading dot."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip().lstrip(".")
    return name[:200] or "fichier"


def check_upload(upload: UploadedFile, *, max_bytes: int, allowed: dict[str, str] = SCHOOL_TYPES) -> CheckedUpload:
    if upload.size is None or upload.size == 0:
        raise ValidationError(_("Le fichier « %(name)s » est vide.") % {"name": safe_name(upload.name or "")})
    if upload.size > max_bytes:
        raise ValidationError(
            _("Le fichier « %(name)s » pèse %(size)s ; la limite est de %(limit)s.")
            % {"name": safe_name(upload.name), "size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)}
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    content_type = magic.from_buffer(head, mime=True)
    if content_type == "application/zip" or content_type == "application/octet-stream":
        # Office files are zip archives; libmagic names them only when it sees their manifest.
        upload.seek(0)
        content_type = magic.from_buffer(upload.read(65536), mime=True)
        upload.seek(0)
    if content_type not in allowed:
        kinds = ", ".join(sorted(set(allowed.values())))
        raise ValidationError(
            _("Le fichier « %(name)s » n'est pas d'un type accepté (%(kinds)s).")
            % {"name": safe_name(upload.name), "kinds": kinds}
        )
    return CheckedUpload(file=upload, name=safe_name(upload.name), size=upload.size, content_type=content_type)
