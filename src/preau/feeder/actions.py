"""Feeding the directory from the académie's files."""

from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.core import audit
from preau.core.errors import DomainError, NotAllowed
from preau.core.events import emit
from preau.directory.models import Academie, Person

from .aaf import AafFileError, describe_file
from .apply import KINDS, Applier
from .models import ImportRun
from .policy import can_import_into
from .validation import read_set

MAX_LISTED_ISSUES = 1000


class _DryRunRollback(Exception):
    pass


def import_aaf_files(
    actor: Person | None,
    *,
    paths: list[Path],
    academie: Academie,
    dry_run: bool = False,
    run: ImportRun | None = None,
    progress=None,
) -> ImportRun:
    """Validate a set of AAF files, then apply it (or only report, under `dry_run`).

    Who: the académie's administrators and operators (`actor=None` is the operator's
    command line). A set with blocking errors changes nothing; applying is one transaction.
    Records the run with its files' checksums and its report, journals it and emits
    `directory.imported` when something was applied.
    """
    if actor is not None and not can_import_into(actor, academie):
        raise NotAllowed(_("Seuls les administrateurs de l'académie peuvent importer son annuaire."))
    run = run or ImportRun.objects.create(academie=academie, started_by=actor, dry_run=dry_run)
    run.status, run.started_at = ImportRun.Status.RUNNING, timezone.now()
    run.save(update_fields=["status", "started_at"])

    def report_progress(done: int, total: int, step: str) -> None:
        ImportRun.objects.filter(pk=run.pk).update(progress_done=done, progress_total=total, progress_step=step)
        if progress:
            progress(done, total, step)

    fileset = read_set(paths, academie, progress=report_progress)
    run.files = fileset.file_facts
    summary = {
        "applied": False, "dry_run": dry_run, "run": run.pk,
        "errors": [issue.as_dict() for issue in fileset.errors[:MAX_LISTED_ISSUES]],
        "error_count": len(fileset.errors),
        "warnings": [issue.as_dict() for issue in fileset.warnings[:MAX_LISTED_ISSUES]],
        "warning_count": len(fileset.warnings),
        **{key: dict.fromkeys(KINDS, 0) for key in ("created", "updated", "detached", "reattached")},
    }
    if not fileset.files and not fileset.errors:
        fileset.error("", _("Aucun fichier de l'AAF à importer."))
        summary["errors"] = [issue.as_dict() for issue in fileset.errors]
        summary["error_count"] = 1
    if fileset.errors:
        run.status = ImportRun.Status.REJECTED
    else:
        details = _apply(fileset, dry_run, report_progress)
        summary.update({key: details[key] for key in ("created", "updated", "detached", "reattached")})
        summary["applied"] = not dry_run
        summary["links"] = details["links"]
        summary["changed_fields"] = details["changed_fields"]
        run.report = {"changes": details["changes"]}
        run.status = ImportRun.Status.SIMULATED if dry_run else ImportRun.Status.APPLIED
    run.report = {**run.report, "summary": summary}
    run.finished_at = timezone.now()
    run.save()
    audit.record(actor, "feeder.aaf_imported", target=run, academie_id=academie.id,
                 status=run.status, files=[f["name"] for f in run.files], dry_run=dry_run)
    if summary["applied"]:
        emit("directory.imported", actor=actor, run_id=run.pk, academie_id=academie.id)
    return run


def _apply(fileset, dry_run: bool, progress) -> dict:
    details: dict = {}
    try:
        with transaction.atomic():
            details.update(Applier(fileset, progress=progress).run().as_dict())
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        pass
    return details


def queue_uploaded_import(actor: Person, *, academie: Academie, files, dry_run: bool) -> ImportRun:
    """Keep the uploaded files and queue their import as a background task.

    Who: the académie's administrators. Files whose name is not an AAF page name are refused
    before anything is kept. The task runs after the transaction commits.
    """
    if not can_import_into(actor, academie):
        raise NotAllowed(_("Seuls les administrateurs de l'académie peuvent importer son annuaire."))
    names = []
    for upload in files:
        name = Path(upload.name).name
        try:
            describe_file(Path(name))
        except AafFileError as error:
            raise DomainError(_("« %(name)s » : %(message)s") % {"name": name, "message": error.message}) from error
        if upload.size > settings.PREAU_AAF_MAX_FILE_BYTES:
            raise DomainError(_("« %(name)s » est trop volumineux.") % {"name": name})
        names.append(name)
    if len(set(names)) != len(names):
        raise DomainError(_("Le même fichier a été envoyé deux fois."))
    run = ImportRun.objects.create(academie=academie, started_by=actor, dry_run=dry_run)
    upload_dir = Path(settings.PREAU_AAF_UPLOAD_DIR) / str(run.pk)
    upload_dir.mkdir(parents=True, exist_ok=True)
    for upload, name in zip(files, names, strict=True):
        with open(upload_dir / name, "wb") as target:
            for chunk in upload.chunks():
                target.write(chunk)
    run.upload_dir = str(upload_dir)
    run.save(update_fields=["upload_dir"])
    audit.record(actor, "feeder.aaf_uploaded", target=run, academie_id=academie.id, files=names, dry_run=dry_run)
    from .tasks import run_uploaded_import

    transaction.on_commit(lambda: run_uploaded_import.enqueue(run.pk))
    return run
