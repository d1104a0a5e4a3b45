"""Pages of the académie's terms: the fee of each year and the model of the convention."""

from decimal import Decimal

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from preau.core.errors import DomainError
from preau.core.forms import show_error
from preau.directory.queries import access_of

from . import pdf, queries, terms
from .forms import FeeForm, TemplateForm
from .views import _require_manager


def _chosen_academie(request):
    """The académie the page works on, among those the person manages (?academie=)."""
    academies = queries.academies_managed_by(request.user)
    chosen = request.GET.get("academie", "")
    academie = academies.filter(pk=chosen).first() if chosen.isdigit() else None
    return academies, academie or academies.first()


def fees(request):
    """The fee per school of each year, per académie (art. 4), and the form to set one."""
    _require_manager(request)
    academies = queries.academies_managed_by(request.user)
    form = FeeForm(
        request.POST or None,
        academies=academies,
        current_year=access_of(request.user).year,
        initial={"academie": academies.first()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            fee = terms.set_fee(
                request.user,
                academie=form.cleaned_data["academie"],
                school_year=form.cleaned_data["school_year"],
                amount=form.cleaned_data["amount"],
                end_date=form.cleaned_data["end_date"],
            )
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(
                request,
                _("Participation %(year)s : %(amount)s par école.")
                % {"year": fee.year_label, "amount": pdf.euros(fee.amount_per_school)},
            )
            return redirect("conventions:fees")
    return render(
        request,
        "conventions/fees.html",
        {"title": _("Participations financières"), "form": form, "fees": queries.fee_schedules_of(request.user)},
        status=400 if form.errors else 200,
    )


def template(request):
    """The académie's convention model: edit it (a new version each time) and preview it."""
    _require_manager(request)
    academies, academie = _chosen_academie(request)
    form = TemplateForm(request.POST or None, initial=terms.template_defaults(academie))
    if request.method == "POST" and form.is_valid():
        try:
            saved = terms.save_template(request.user, academie=academie, **form.cleaned_data)
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Modèle enregistré (version %(version)s).") % {"version": saved.version})
            return redirect(f"{request.path}?academie={academie.pk}")
    current = queries.current_template(academie.pk)
    return render(
        request,
        "conventions/template.html",
        {
            "title": _("Modèle de convention"),
            "form": form,
            "academie": academie,
            "academies": academies,
            "current": current,
        },
        status=400 if form.errors else 200,
    )


@require_GET
def template_preview(request):
    """The current model as a PDF, filled with example values (marked as a preview)."""
    _require_manager(request)
    _academies, academie = _chosen_academie(request)
    values = terms.template_defaults(academie)
    year = access_of(request.user).year
    fee = queries.fee_for(academie.pk, year)
    today = timezone.localdate()
    rendering = pdf.Rendering(
        title=values["title"],
        preamble=values["preamble"],
        articles=values["articles"],
        academie_party=values["party_name"],
        academie_address=values["party_address"],
        academie_signatory_name=values["signatory_name"],
        academie_signatory_title=values["signatory_title"],
        collectivite_name=_("Commune d'exemple"),
        commune_name=_("Exemple"),
        commune_siret="",
        commune_address="",
        commune_signatory_name=_("Prénom Nom"),
        commune_signatory_title=_("Maire"),
        place=values["place"],
        court=values["court"],
        year_label=f"{year}-{year + 1}",
        fee_per_school=fee.amount_per_school if fee else Decimal("40"),
        schools=[("0000000A", _("École d'exemple"))],
        end_date_label=_("(date de fin de l'année)"),
        date_label=date_format(today, "j F Y"),
        is_preview=True,
    )
    response = HttpResponse(pdf.convention_pdf(rendering), content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="modele-convention.pdf"'
    return response
