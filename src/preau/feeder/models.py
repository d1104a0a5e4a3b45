from django.conf import settings
from django.core.cache import caches
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    """One import of a set of directory files: who, when, which files, and what it did."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("en attente")
        RUNNING = "running", _("en cours")
        APPLIED = "applied", _("appliqué")
        SIMULATED = "simulated", _("simulé (aucune modification)")
        REJECTED = "rejected", _("refusé (erreurs bloquantes)")
        FAILED = "failed", _("échec technique")

    academie = models.ForeignKey("directory.Academie", on_delete=models.PROTECT, related_name="import_runs")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(_("format"), max_length=8, default="aaf")
    dry_run = models.BooleanField(_("simulation"), default=False)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    created_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    # [{"name", "sha256", "size", "kind", "category"}]
    files = models.JSONField(_("fichiers"), default=list)
    # Where the uploaded files wait for the background task (console uploads only).
    upload_dir = models.CharField(max_length=500, blank=True)
    # The report: the command's JSON summary plus the detail of changes.
    report = models.JSONField(_("rapport"), default=dict)

    class Meta:
        verbose_name = _("import de l'annuaire")
        verbose_name_plural = _("imports de l'annuaire")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.academie} — {self.created_at:%d/%m/%Y %H:%M} — {self.get_status_display()}"

    @property
    def progress(self) -> dict:
        """Where a running import is: {"done", "total", "step", "percent"}."""
        done, total, step = caches["shared"].get(_progress_key(self.pk)) or (0, 0, "")
        return {"done": done, "total": total, "step": step, "percent": int(100 * done / total) if total else 0}


def _progress_key(run_id: int) -> str:
    return f"preau:import-progress:{run_id}"


def save_progress(run_id: int, done: int, total: int, step: str) -> None:
    caches["shared"].set(_progress_key(run_id), (done, total, step), 24 * 3600)
