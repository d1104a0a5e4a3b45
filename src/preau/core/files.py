"""Serving stored files to the people allowed to see them.

Uploaded files are never under a public URL: each app's download view checks its policy,
then answers with `serve()`, which forbids the browser from running or sniffing the file.
When rows holding files are deleted, `delete_unused_files()` takes the files out of storage.
"""

import logging
from collections.abc import Iterable

from django.db import models, transaction
from django.http import FileResponse

log = logging.getLogger(__name__)


def serve(field_file, *, name: str, content_type: str, inline: bool = False) -> FileResponse:
    field_file.open("rb")
    response = FileResponse(
        field_file, as_attachment=not inline, filename=name, content_type=content_type or "application/octet-stream"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def delete_unused_files(model: type[models.Model], field_name: str, names: Iterable[str]) -> None:
    """Delete from storage, once the transaction commits, the files among `names` that no row of
    `model` points to any more (the same file may be joined to several rows).

    Call it after deleting the rows. A rollback deletes nothing; a file the storage fails to
    delete is logged and left: the rows are gone either way.
    """
    names = {name for name in names if name}
    if not names:
        return
    still_used = set(model._default_manager.filter(**{f"{field_name}__in": names}).values_list(field_name, flat=True))
    orphans = sorted(names - still_used)
    storage = model._meta.get_field(field_name).storage

    def delete() -> None:
        for name in orphans:
            try:
                storage.delete(name)
            except Exception:
                log.exception("stored file not deleted", extra={"file": name})

    if orphans:
        transaction.on_commit(delete)
