"""Pages of a termination (art. 11): start it, follow its dates, notify it or give it up."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from preau.core.errors import DomainError, NotAllowed
from preau.core.forms import show_error

from . import dates, policy, queries, termination
from .forms import AbandonForm, TerminationForm, TerminationLetterForm
from .views import _convention_or_404


def start(request, convention_id: int):
    """Record the formal notice sent to the other party; shows the dates it sets off."""
    convention = _convention_or_404(request, convention_id)
    if not policy.can_request_termination(request.user, convention):
        raise NotAllowed(_("Seules les parties d'une convention signée peuvent engager sa résiliation."))
    form = TerminationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            started = termination.start_termination(request.user, convention, **form.cleaned_data)
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Mise en demeure enregistrée : l'autre partie est prévenue."))
            return redirect("conventions:termination", termination_id=started.pk)
    today = timezone.localdate()
    return render(
        request,
        "conventions/termination_start.html",
        {
            "title": _("Engager la résiliation"),
            "form": form,
            "convention": convention,
            "side": policy.termination_side_of(request.user, convention),
            "example": {
                "notice": today,
                "conciliation": dates.conciliation_deadline(today),
                "earliest": dates.earliest_effective_date(today),
            },
        },
        status=400 if form.errors else 200,
    )


def detail(request, termination_id: int):
    """The procedure's dates; its parties record the letter or the success of conciliation."""
    found = queries.termination_for(request.user, termination_id)
    if found is None:
        raise Http404(_("Cette résiliation n'existe pas ou ne vous est pas accessible."))
    can_pursue = policy.can_pursue_termination(request.user, found)
    step = request.POST.get("step", "")
    letter_form = TerminationLetterForm(request.POST if step == "letter" else None)
    abandon_form = AbandonForm(request.POST if step == "abandon" else None, prefix="abandon")
    if request.method == "POST":
        if not can_pursue:
            raise NotAllowed(_("Vous ne pouvez pas poursuivre cette résiliation."))
        form = letter_form if step == "letter" else abandon_form
        if form.is_valid():
            try:
                if step == "letter":
                    termination.notify_termination(request.user, found, **form.cleaned_data)
                    messages.success(request, _("Lettre de résiliation enregistrée."))
                else:
                    termination.abandon_termination(request.user, found, **form.cleaned_data)
                    messages.success(request, _("Résiliation abandonnée : la convention se poursuit."))
            except DomainError as error:
                show_error(form, error)
            else:
                return redirect("conventions:termination", termination_id=found.pk)
    has_errors = letter_form.errors or abandon_form.errors
    return render(
        request,
        "conventions/termination.html",
        {
            "title": _("Résiliation : %(convention)s") % {"convention": found.convention},
            "termination": found,
            "convention": found.convention,
            "can_pursue": can_pursue,
            "letter_form": letter_form,
            "abandon_form": abandon_form,
            "earliest": dates.earliest_effective_date(found.notice_date),
            "today": timezone.localdate(),
        },
        status=400 if has_errors else 200,
    )
