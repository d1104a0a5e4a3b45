"""Background work of the feeder: imports uploaded from the académie console."""

import shutil
from pathlib import Path

from django.utils import timezone
from django_tasks import task

from preau.directory.models import Person

from .actions import import_aaf_files, import_csv_file
from .models import ImportRun


@task()
def run_uploaded_import(run_id: int) -> str:
    """Run a queued import on its uploaded files, then delete the files."""
    run = ImportRun.objects.select_related("academie", "started_by").get(pk=run_id)
    if run.status != ImportRun.Status.QUEUED:
        return run.status
    actor: Person | None = run.started_by
    upload_dir = Path(run.upload_dir)
    try:
        if run.source == "csv":
            path = next(upload_dir.iterdir())
            import_csv_file(
                actor, name=path.name, data=path.read_bytes(), academie=run.academie, dry_run=run.dry_run, run=run
            )
        else:
            import_aaf_files(actor, paths=[upload_dir], academie=run.academie, dry_run=run.dry_run, run=run)
    except Exception:
        ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.FAILED, finished_at=timezone.now())
        raise
    finally:
        shutil.rmtree(upload_dir, ignore_errors=True)
    return ImportRun.objects.get(pk=run.pk).status
