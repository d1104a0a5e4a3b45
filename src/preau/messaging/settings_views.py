"""The messagerie's settings: answering hours, class rule, school and académie rules, suspensions."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from preau.core.errors import DomainError, NotAllowed
from preau.core.forms import show_error
from preau.directory.models import Academie, Person, School, SchoolClass
from preau.directory.queries import access_of

from . import policy, queries, rule_actions, rules
from .display import hours_label
from .forms import AnsweringHoursForm, ClassRuleForm, RulesForm, SuspensionForm
from .models import CommunicationRules, Suspension


def settings_home(request):
    """What the person may set: their answering hours, their classes, their school's rules."""
    user = request.user
    if not policy.can_use_settings(user):
        raise NotAllowed(_("Ces réglages sont ceux des enseignant·es, de la direction et de l'académie."))
    hours = queries.answering_hours_of([user.pk]).get(user.pk)
    form = None
    if policy.can_set_answering_hours(user):
        initial = {"days": list("12345")}
        if hours is not None:
            initial = {"days": list(hours.days), "start": hours.start, "end": hours.end, "note": hours.note}
        form = AnsweringHoursForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                rule_actions.set_answering_hours(
                    user, days="".join(data["days"]), start=data["start"], end=data["end"], note=data["note"]
                )
            except DomainError as error:
                show_error(form, error)
            else:
                messages.success(request, _("Vos heures de réponse sont enregistrées."))
                return redirect("messaging:settings")
    classes = queries.taught_classes_with_rules(user)
    return render(
        request,
        "messaging/settings.html",
        {
            "title": _("Réglages de la messagerie"),
            "hours": hours,
            "hours_label": hours_label(hours) if hours else "",
            "form": form,
            "classes": classes,
            "schools": queries.directed_schools(user),
            "academies": queries.ruled_academies(user),
        },
    )


@require_POST
def clear_hours(request):
    rule_actions.clear_answering_hours(request.user)
    messages.success(request, _("Vos heures de réponse ne sont plus affichées."))
    return redirect("messaging:settings")


@require_POST
def class_rule(request, pk: int):
    school_class = get_object_or_404(SchoolClass.objects.select_related("school"), pk=pk)
    if not policy.can_manage_class_rule(request.user, school_class):
        raise Http404(_("Cette classe n'est pas la vôtre."))
    form = ClassRuleForm(request.POST)
    form.is_valid()
    allowed = form.cleaned_data.get("pupils_write_classmates", False)
    rule_actions.set_class_rule(request.user, school_class, pupils_write_classmates=allowed)
    if allowed:
        messages.success(request, _("Les élèves de %(class)s peuvent s'écrire.") % {"class": school_class.name})
    else:
        messages.success(request, _("Les élèves de %(class)s ne s'écrivent plus.") % {"class": school_class.name})
    return redirect("messaging:settings")


def _rules_page(request, *, title: str, current: rules.Rules, own: bool, scope_note: str, save, reset=None):
    initial = {name: getattr(current, name) for name in CommunicationRules.RULE_FIELDS}
    form = RulesForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if request.POST.get("intent") == "reset" and reset is not None:
            reset()
            messages.success(request, _("L'école suit de nouveau les règles de l'académie."))
            return redirect(request.path)
        if form.is_valid():
            save(form.cleaned_data)
            messages.success(request, _("Les règles de communication sont enregistrées."))
            return redirect(request.path)
    return render(
        request,
        "messaging/rules.html",
        {"title": title, "form": form, "own": own, "scope_note": scope_note, "may_reset": reset is not None and own},
    )


def school_rules(request, pk: int):
    """The director decides the school's own rules, or goes back to the académie's."""
    school = get_object_or_404(School.objects.select_related("circonscription__departement__academie"), pk=pk)
    if not policy.can_manage_school_rules(request.user, school):
        raise NotAllowed(_("Seule la direction de l'école règle sa communication."))
    own = queries.own_rules_of(school=school) is not None
    note = (
        _("L'école a ses propres règles.")
        if own
        else _("L'école suit les règles de l'académie ; les enregistrer ici lui donne les siennes.")
    )
    return _rules_page(
        request,
        title=_("Règles de communication — %(school)s") % {"school": school.name},
        current=rules.rules_for_school(school),
        own=own,
        scope_note=note,
        save=lambda values: rule_actions.save_school_rules(request.user, school, values),
        reset=lambda: rule_actions.reset_school_rules(request.user, school),
    )


def academie_rules(request, pk: int):
    """An académie administrator sets the rules of the schools that have none of their own."""
    academie = get_object_or_404(Academie, pk=pk)
    if not policy.can_manage_academie_rules(request.user, academie):
        raise NotAllowed(_("Seule l'administration de l'académie règle sa communication."))
    row = queries.own_rules_of(academie=academie)
    return _rules_page(
        request,
        title=_("Règles de communication — %(academie)s") % {"academie": academie.name},
        current=rules.Rules.of(row),
        own=row is not None,
        scope_note=_("Ces règles valent pour les écoles de l'académie qui n'ont pas choisi les leurs."),
        save=lambda values: rule_actions.save_academie_rules(request.user, academie, values),
    )


# --- Suspensions --------------------------------------------------------------------------------


def _require_director(request) -> None:
    if not policy.can_manage_suspensions(request.user):
        raise NotAllowed(_("La gestion des droits d'écrire est réservée à la direction de l'école."))


def suspensions(request):
    """The suspensions in force in the director's schools, and a search to suspend someone."""
    _require_director(request)
    text = request.GET.get("q", "").strip()[:100]
    found = queries.people_of_schools(policy.directed_school_ids(request.user), text, year=access_of(request.user).year)
    return render(
        request,
        "messaging/suspensions.html",
        {
            "title": _("Droits d'écrire"),
            "suspensions": queries.suspensions_visible_to(request.user),
            "text": text,
            "found": found,
        },
    )


def suspend(request, person_id: int):
    _require_director(request)
    person = get_object_or_404(Person, pk=person_id, is_active=True)
    schools = queries.directed_schools(request.user)
    form = SuspensionForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        try:
            rule_actions.suspend_writing(
                request.user, person=person, school=form.cleaned_data["school"], reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Le droit d'écrire de %(person)s est suspendu.") % {"person": person.full_name})
            return redirect("messaging:suspensions")
    return render(
        request,
        "messaging/suspend.html",
        {"title": _("Suspendre le droit d'écrire"), "person": person, "form": form},
    )


@require_POST
def lift(request, pk: int):
    _require_director(request)
    suspension = get_object_or_404(Suspension.objects.select_related("school", "person"), pk=pk)
    try:
        rule_actions.lift_suspension(request.user, suspension)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(person)s peut de nouveau écrire.") % {"person": suspension.person.full_name})
    return redirect("messaging:suspensions")
