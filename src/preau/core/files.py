"""Serving stored files to the people allowed to see them.

Uploaded files are never under a public URL: each app's download view checks its policy,
then answers with `serve()`, which forbids the browser from running or sniffing the file.
"""

from django.http import FileResponse


def serve(field_file, *, name: str, content_type: str, inline: bool = False) -> FileResponse:
    field_file.open("rb")
    response = FileResponse(
        field_file, as_attachment=not inline, filename=name, content_type=content_type or "application/octet-stream"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response
