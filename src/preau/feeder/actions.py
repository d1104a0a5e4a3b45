"""Feeding the directory from the académie's files (AAF XML) and from CSV files."""

import hashlib
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.core import audit
from preau.core.errors import DomainError, NotAllowed
from preau.core.events import emit
from preau.directory.models import Academie, Person

from . import csv_import
from .aaf import AafFileError, describe_file
from .apply import KINDS, Applier
from .models import ImportRun, save_progress
from .policy import can_import_into
from .validation import read_set

MAX_LISTED_ISSUES = 1000


class _DryRunRollback(Exception):
    pass


def _check(actor: Person | None, academie: Academie) -> None:
    if actor is not None and not can_import_into(actor, academie):
        raise NotAllowed(_("Seuls les administrateurs de l'académie peuvent importer son annuaire."))


def _start(actor, academie, dry_run, run, source) -> ImportRun:
    run = run or ImportRun.objects.create(academie=academie, started_by=actor, dry_run=dry_run, source=source)
    run.status, run.started_at = ImportRun.Status.RUNNING, timezone.now()
    run.save(update_fields=["status", "started_at"])
    return run


def _progress_of(run: ImportRun, progress):
    """Progress goes to the shared cache: the import's own transaction hides its database writes."""

    def report(done: int, total: int, step: str) -> None:
        save_progress(run.pk, done, total, step)
        if progress:
            progress(done, total, step)

    return report


def _apply_and_finish(actor, run: ImportRun, *, errors, warnings, dry_run: bool, apply) -> ImportRun:
    """Apply (unless there are errors) in one transaction, rolled back under dry_run; record the run."""
    summary = {
        "applied": False,
        "dry_run": dry_run,
        "run": run.pk,
        "errors": [issue.as_dict() for issue in errors[:MAX_LISTED_ISSUES]],
        "error_count": len(errors),
        "warnings": [issue.as_dict() for issue in warnings[:MAX_LISTED_ISSUES]],
        "warning_count": len(warnings),
        **{key: dict.fromkeys(KINDS, 0) for key in ("created", "updated", "detached", "reattached")},
    }
    changes: list = []
    if errors:
        run.status = ImportRun.Status.REJECTED
    else:
        details: dict = {}
        try:
            with transaction.atomic():
                details.update(apply().as_dict())
                if dry_run:
                    raise _DryRunRollback
        except _DryRunRollback:
            pass
        summary.update(
            {key: details[key] for key in ("created", "updated", "detached", "reattached", "links", "changed_fields")}
        )
        summary["applied"] = not dry_run
        changes = details["changes"]
        run.status = ImportRun.Status.SIMULATED if dry_run else ImportRun.Status.APPLIED
    run.report = {"summary": summary, "changes": changes}
    run.finished_at = timezone.now()
    run.save()
    audit.record(
        actor,
        f"feeder.{run.source}_imported",
        target=run,
        academie_id=run.academie_id,
        status=run.status,
        files=[f["name"] for f in run.files],
        dry_run=dry_run,
    )
    if summary["applied"]:
        emit("directory.imported", actor=actor, run_id=run.pk, academie_id=run.academie_id)
    return run


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
    _check(actor, academie)
    run = _start(actor, academie, dry_run, run, "aaf")
    report_progress = _progress_of(run, progress)
    fileset = read_set(paths, academie, progress=report_progress)
    if not fileset.files and not fileset.errors:
        fileset.error("", _("Aucun fichier de l'AAF à importer."))
    run.files = fileset.file_facts
    return _apply_and_finish(
        actor,
        run,
        errors=fileset.errors,
        warnings=fileset.warnings,
        dry_run=dry_run,
        apply=lambda: Applier(fileset, progress=report_progress).run(),
    )


def import_csv_file(
    actor: Person | None,
    *,
    name: str,
    data: bytes,
    academie: Academie,
    dry_run: bool = False,
    run: ImportRun | None = None,
) -> ImportRun:
    """Import people outside the AAF from a CSV file (docs/import-csv.md). Same rules as the AAF import."""
    _check(actor, academie)
    run = _start(actor, academie, dry_run, run, "csv")
    csv_set = csv_import.read_csv(name, data, academie)
    run.files = [
        {"name": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data), "kind": "CSV", "category": "CSV"}
    ]
    return _apply_and_finish(
        actor,
        run,
        errors=csv_set.errors,
        warnings=csv_set.warnings,
        dry_run=dry_run,
        apply=lambda: csv_import.apply_csv(csv_set, academie),
    )


def queue_uploaded_import(actor: Person, *, academie: Academie, files, dry_run: bool, source: str = "aaf") -> ImportRun:
    """Keep the uploaded files and queue their import as a background task.

    Who: the académie's administrators. AAF files whose name is not an AAF page name, or a
    CSV upload of more than one file, are refused before anything is kept. The task runs
    after the transaction commits.
    """
    _check(actor, academie)
    names = []
    for upload in files:
        name = Path(upload.name).name
        if source == "aaf":
            try:
                describe_file(Path(name))
            except AafFileError as error:
                raise DomainError(_("« %(name)s » : %(message)s") % {"name": name, "message": error.message}) from error
        if upload.size > settings.PREAU_AAF_MAX_FILE_BYTES:
            raise DomainError(_("« %(name)s » est trop volumineux.") % {"name": name})
        names.append(name)
    if source == "csv" and len(names) != 1:
        raise DomainError(_("Envoyez un seul fichier CSV à la fois."))
    if len(set(names)) != len(names):
        raise DomainError(_("Le même fichier a été envoyé deux fois."))
    run = ImportRun.objects.create(academie=academie, started_by=actor, dry_run=dry_run, source=source)
    upload_dir = Path(settings.PREAU_AAF_UPLOAD_DIR) / str(run.pk)
    upload_dir.mkdir(parents=True, exist_ok=True)
    for upload, name in zip(files, names, strict=True):
        with open(upload_dir / name, "wb") as target:
            for chunk in upload.chunks():
                target.write(chunk)
    run.upload_dir = str(upload_dir)
    run.save(update_fields=["upload_dir"])
    audit.record(actor, "feeder.files_uploaded", target=run, academie_id=academie.id, files=names, dry_run=dry_run)
    from .tasks import run_uploaded_import

    transaction.on_commit(lambda: run_uploaded_import.enqueue(run.pk))
    return run
