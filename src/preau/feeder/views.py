"""The académie console's directory imports: upload, follow, read the report."""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from preau.core.errors import DomainError, NotAllowed
from preau.core.pagination import page_of

from . import actions
from .forms import UploadForm
from .queries import academies_importable_by, import_runs_visible_to


def imports(request):
    """The list of runs and the upload form (académie administrators)."""
    academies = academies_importable_by(request.user)
    if not academies.exists():
        raise NotAllowed(_("Réservé aux administrateurs de l'académie."))
    form = UploadForm(request.POST or None, request.FILES or None, academies=academies)
    if request.method == "POST" and form.is_valid():
        try:
            run = actions.queue_uploaded_import(
                request.user,
                academie=form.cleaned_data["academie"],
                files=form.cleaned_data["files"],
                dry_run=form.cleaned_data["dry_run"],
                source=form.cleaned_data["source"],
            )
        except DomainError as error:
            form.add_error("files", error.message)
        else:
            messages.success(request, _("Fichiers reçus : l'import est en file d'attente."))
            return redirect("feeder:run", run_id=run.pk)
    page = page_of(request, import_runs_visible_to(request.user), per_page=25)
    return render(
        request,
        "feeder/imports.html",
        {"form": form, "page": page, "title": _("Imports de l'annuaire")},
        status=400 if form.errors else 200,
    )


def _run_or_404(request, run_id: int):
    return get_object_or_404(import_runs_visible_to(request.user), pk=run_id)


ACTION_LABELS = {
    "created": gettext_lazy("créé"),
    "updated": gettext_lazy("modifié"),
    "detached": gettext_lazy("détaché"),
    "reattached": gettext_lazy("rattaché à nouveau"),
}
KIND_LABELS = {
    "schools": gettext_lazy("école"),
    "classes": gettext_lazy("classe"),
    "pupils": gettext_lazy("élève"),
    "guardians": gettext_lazy("responsable"),
    "staff": gettext_lazy("personnel"),
}


def run_detail(request, run_id: int):
    run = _run_or_404(request, run_id)
    summary = run.report.get("summary", {})
    changes = [
        {
            **change,
            "action": ACTION_LABELS.get(change["action"], change["action"]),
            "kind": KIND_LABELS.get(change["kind"], change["kind"]),
        }
        for change in run.report.get("changes", [])
    ]
    return render(
        request,
        "feeder/run.html",
        {
            "run": run,
            "summary": summary,
            "changes": changes,
            "in_progress": run.status in (run.Status.QUEUED, run.Status.RUNNING),
            "title": _("Import du %(date)s") % {"date": run.created_at.strftime("%d/%m/%Y %H:%M")},
        },
    )


def run_report_json(request, run_id: int):
    run = _run_or_404(request, run_id)
    if not run.report:
        raise Http404(_("Le rapport n'est pas encore prêt."))
    response = JsonResponse(
        {"run": run.pk, "academie": run.academie.name, "status": run.status, "files": run.files, **run.report},
        json_dumps_params={"ensure_ascii": False},
    )
    response["Content-Disposition"] = f'attachment; filename="import-aaf-{run.pk}.json"'
    return response
