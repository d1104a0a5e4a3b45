"""Pages of the conventions: list, detail and its steps, fees, model, coverage. Thin views.

The dashboard and its export are in `dashboard_views.py`, terminations in `termination_views.py`.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from preau.core.errors import DomainError, NotAllowed
from preau.core.files import serve
from preau.core.forms import show_error
from preau.core.pagination import page_of
from preau.directory.queries import access_of

from . import actions, pdf, policy, queries, terms
from .forms import CommuneChoiceForm, ConventionForm, SchoolsForm, SignedCopyForm, TitreForm
from .models import Convention


def parse_year(request, default: int) -> int:
    value = request.GET.get("annee", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else default


def _convention_or_404(request, convention_id: int) -> Convention:
    convention = queries.convention_for(request.user, convention_id)
    if convention is None:
        raise Http404(_("Cette convention n'existe pas ou ne vous est pas accessible."))
    return convention


def _require_manager(request) -> None:
    if not access_of(request.user).academie_ids:
        raise NotAllowed(_("Réservé aux administrateurs de l'académie."))


# --- List and detail ------------------------------------------------------------------------


@require_GET
def index(request):
    """The conventions in the person's scope, by year and state; directors go to their coverage."""
    person = request.user
    if not policy.can_use_conventions(person):
        if policy.can_see_school_coverage_page(person):
            return redirect("conventions:coverage")
        raise NotAllowed(_("Les conventions sont réservées à l'académie, aux DSDEN et aux référents ville."))
    year = parse_year(request, 0)
    state = request.GET.get("etat", "")
    state = state if state in Convention.State.values else ""
    search = request.GET.get("q", "")[:100]
    page = page_of(request, queries.conventions_visible_to(person, year=year, state=state, search=search))
    current = access_of(person).year
    return render(
        request,
        "conventions/index.html",
        {
            "title": _("Conventions"),
            "page": page,
            "year": year,
            "years": [(y, f"{y}-{y + 1}") for y in range(current + 1, current - 5, -1)],
            "state": state,
            "states": Convention.State.choices,
            "search": search,
            "manages": bool(access_of(person).academie_ids),
            "sees_dashboard": policy.can_view_dashboard(person),
        },
    )


def _abilities(person, convention: Convention) -> dict[str, bool]:
    return {
        "edit": policy.can_edit_convention(person, convention),
        "delete": policy.can_delete_convention(person, convention),
        "generate": policy.can_generate_pdf(person, convention),
        "send": policy.can_send_convention(person, convention),
        "upload": policy.can_upload_signed_copy(person, convention),
        "titre": policy.can_record_titre(person, convention),
        "renew": policy.can_renew_convention(person, convention) and not convention.renewals.all(),
        "terminate": policy.can_request_termination(person, convention)
        and not any(t.is_open for t in convention.terminations.all()),
    }


@require_GET
def detail(request, convention_id: int):
    convention = _convention_or_404(request, convention_id)
    return render(
        request,
        "conventions/detail.html",
        {
            "title": str(convention),
            "convention": convention,
            "schools": convention.enrolled.all(),
            "terminations": convention.terminations.all(),
            "renewal": next(iter(convention.renewals.all()), None),
            "can": _abilities(request.user, convention),
            "titre_form": TitreForm(),
            "total": pdf.euros(convention.amount_due),
            "fee": pdf.euros(convention.fee_per_school),
        },
    )


# --- Drawing up -----------------------------------------------------------------------------


def create(request):
    """A new convention: choose the commune (GET), then its schools and signatories (POST)."""
    _require_manager(request)
    person = request.user
    communes = queries.communes_for_conventions(person)
    chosen = request.POST.get("commune") or request.GET.get("commune", "")
    commune = communes.filter(pk=chosen).first() if str(chosen).isdigit() else None
    if commune is None:
        form = CommuneChoiceForm(communes=communes)
        return render(request, "conventions/create_commune.html", {"title": _("Nouvelle convention"), "form": form})
    schools = queries.enrollable_schools(commune)
    data = request.POST if request.method == "POST" else None
    party = terms.template_defaults(commune.departement.academie)
    initial = {
        "commune": commune,
        "academie_signatory_name": party["signatory_name"],
        "academie_signatory_title": party["signatory_title"],
    }
    form = ConventionForm(data, communes=communes, current_year=access_of(person).year, initial=initial)
    form.fields["commune"].widget = form.fields["commune"].hidden_widget()
    schools_form = SchoolsForm(data, schools=schools, initial={"schools": list(schools)})
    if data is not None and form.is_valid() & schools_form.is_valid():
        try:
            convention = actions.create_convention(
                person,
                commune=commune,
                school_year=form.cleaned_data["school_year"],
                schools=schools_form.cleaned_data["schools"],
                collectivite_name=form.cleaned_data["collectivite_name"],
                commune_signatory_name=form.cleaned_data["commune_signatory_name"],
                commune_signatory_title=form.cleaned_data["commune_signatory_title"],
                academie_signatory_name=form.cleaned_data["academie_signatory_name"],
                academie_signatory_title=form.cleaned_data["academie_signatory_title"],
            )
        except DomainError as error:
            show_error(schools_form if error.field == "schools" else form, error)
        else:
            messages.success(request, _("Convention créée en brouillon : vérifiez-la, générez-la puis envoyez-la."))
            return redirect("conventions:detail", convention_id=convention.pk)
    return render(
        request,
        "conventions/form.html",
        {
            "title": _("Nouvelle convention : %(commune)s") % {"commune": commune.name},
            "form": form,
            "schools_form": schools_form,
            "commune": commune,
        },
        status=400 if form.errors or schools_form.errors else 200,
    )


def edit(request, convention_id: int):
    convention = _convention_or_404(request, convention_id)
    if not policy.can_edit_convention(request.user, convention):
        raise NotAllowed(_("Seul un brouillon se modifie, par l'académie."))
    data = request.POST if request.method == "POST" else None
    initial = {
        name: getattr(convention, name)
        for name in (
            "collectivite_name",
            "commune_signatory_name",
            "commune_signatory_title",
            "academie_signatory_name",
            "academie_signatory_title",
        )
    }
    form = ConventionForm(data, editing=True, initial=initial)
    schools_form = SchoolsForm(
        data,
        schools=queries.enrollable_schools(convention.commune),
        initial={"schools": [enrolled.school_id for enrolled in convention.enrolled.all()]},
    )
    if data is not None and form.is_valid() & schools_form.is_valid():
        try:
            actions.update_convention(
                request.user, convention, schools=schools_form.cleaned_data["schools"], **form.cleaned_data
            )
        except DomainError as error:
            show_error(schools_form if error.field == "schools" else form, error)
        else:
            messages.success(request, _("Convention enregistrée."))
            return redirect("conventions:detail", convention_id=convention.pk)
    return render(
        request,
        "conventions/form.html",
        {
            "title": _("Modifier la convention"),
            "form": form,
            "schools_form": schools_form,
            "commune": convention.commune,
            "convention": convention,
        },
        status=400 if form.errors or schools_form.errors else 200,
    )


def _step(request, convention_id: int, run, success: str, *, to_detail: bool = True):
    convention = _convention_or_404(request, convention_id)
    try:
        result = run(request.user, convention)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("conventions:detail", convention_id=convention.pk)
    messages.success(request, success)
    if to_detail:
        target = result if isinstance(result, Convention) else convention
        return redirect("conventions:detail", convention_id=target.pk)
    return redirect("conventions:index")


@require_POST
def generate(request, convention_id: int):
    return _step(request, convention_id, actions.generate_convention_pdf, _("La convention a été générée en PDF."))


@require_POST
def send(request, convention_id: int):
    return _step(
        request,
        convention_id,
        actions.send_convention,
        _("Convention envoyée : la commune est prévenue et peut la télécharger pour la signer."),
    )


@require_POST
def renew(request, convention_id: int):
    return _step(
        request, convention_id, actions.renew_convention, _("La convention de l'année suivante est créée en brouillon.")
    )


@require_POST
def delete(request, convention_id: int):
    return _step(request, convention_id, actions.delete_convention, _("Brouillon supprimé."), to_detail=False)


@require_POST
def titre(request, convention_id: int):
    convention = _convention_or_404(request, convention_id)
    form = TitreForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez l'étape et une date valide."))
        return redirect("conventions:detail", convention_id=convention.pk)
    try:
        actions.record_titre(request.user, convention, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Titre de perception : %(state)s.") % {"state": convention.get_titre_state_display()}
        )
    return redirect("conventions:detail", convention_id=convention.pk)


def upload_signed(request, convention_id: int):
    convention = _convention_or_404(request, convention_id)
    if not policy.can_upload_signed_copy(request.user, convention):
        raise NotAllowed(_("Vous ne pouvez pas déposer l'exemplaire signé de cette convention."))
    form = SignedCopyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.upload_signed_copy(request.user, convention, **form.cleaned_data)
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Exemplaire signé enregistré : la convention est signée."))
            return redirect("conventions:detail", convention_id=convention.pk)
    return render(
        request,
        "conventions/upload_signed.html",
        {"title": _("Déposer la convention signée"), "form": form, "convention": convention},
        status=400 if form.errors else 200,
    )


@require_GET
def convention_pdf(request, convention_id: int):
    convention = _convention_or_404(request, convention_id)
    if not convention.pdf:
        raise Http404(_("La convention n'a pas encore été générée."))
    name = f"convention-{convention.commune.name}-{convention.year_label}.pdf".replace(" ", "-")
    return serve(convention.pdf, name=name, content_type="application/pdf")


@require_GET
def signed_copy(request, convention_id: int):
    convention = _convention_or_404(request, convention_id)
    if not convention.signed_copy:
        raise Http404(_("Aucun exemplaire signé n'a été déposé."))
    name = f"convention-{convention.commune.name}-{convention.year_label}-signee.pdf".replace(" ", "-")
    return serve(convention.signed_copy, name=name, content_type="application/pdf")


# --- Coverage -------------------------------------------------------------------------------


@require_GET
def coverage(request):
    """Directors (and référents) see whether their schools are covered, until when, what follows."""
    if not policy.can_see_school_coverage_page(request.user):
        raise NotAllowed(_("Réservé à la direction des écoles et aux référents ville."))
    today = timezone.localdate()
    return render(
        request,
        "conventions/coverage.html",
        {"title": _("Convention de l'école"), "rows": queries.coverage_for(request.user, today=today), "today": today},
    )
