"""The consoles of the directory: school, class, rentrée, académie and journal. Thin views."""

import csv

from django.contrib import messages
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from preau.core import audit
from preau.core.errors import DomainError, NotAllowed
from preau.core.forms import show_error
from preau.core.pagination import page_of

from . import actions, policy, queries
from .forms import (
    AdministratorForm,
    AuditSearchForm,
    CirconscriptionForm,
    CommuneForm,
    RolloverForm,
    SchoolForm,
)
from .models import Person, School, SchoolClass, school_year_label
from .validators import normalize_uai


def _school_or_404(uai: str) -> School:
    return get_object_or_404(
        School.objects.select_related("commune", "circonscription__departement__academie"),
        uai=normalize_uai(uai),
    )


def account_state(person: Person) -> tuple[str, str]:
    """(label, DSFR badge modifier) of an account: détaché, activé or pas encore activé."""
    if person.detached_at is not None:
        return _("détaché"), "warning"
    if person.activated_at is not None:
        return _("activé"), "success"
    return _("pas encore activé"), "info"


# --- School and class ------------------------------------------------------------------------


@require_GET
def my_schools(request):
    """The schools whose console the person may open; straight to it when there is only one."""
    schools = queries.schools_overseen_by(request.user)
    search = request.GET.get("q", "")
    page = page_of(request, queries.search_schools(schools, search))
    if page.paginator.count == 1 and not search:
        return redirect("directory:school_console", uai=page[0].uai)
    return render(
        request,
        "directory/my_schools.html",
        {"page": page, "search": search, "title": _("Mes écoles")},
    )


@require_GET
def school_console(request, uai: str):
    school = _school_or_404(uai)
    if not policy.can_oversee_school(request.user, school):
        raise NotAllowed(_("Cette console est réservée à la direction de l'école et à ses autorités."))
    year = queries.access_of(request.user).year
    return render(
        request,
        "directory/school_console.html",
        {
            "title": school.name,
            "school": school,
            "year_label": school_year_label(year),
            "classes": queries.school_classes_overview(school, year),
            "teachers": queries.teachers_of_school(school, year),
            "can_manage": policy.can_manage_school(request.user, school),
            "can_prepare_year": policy.can_prepare_school_year(request.user, school),
        },
    )


@require_GET
def class_detail(request, uai: str, class_id: int):
    school = _school_or_404(uai)
    school_class = get_object_or_404(SchoolClass, pk=class_id, school=school)
    school_class.school = school
    if not policy.can_view_class_register(request.user, school_class):
        raise NotAllowed(_("La liste de cette classe est réservée à ses enseignants et à la direction."))
    pupils = list(queries.class_register(school_class))
    rows = [
        {
            "pupil": pupil,
            "state": account_state(pupil),
            "guardians": [(link, account_state(link.guardian)) for link in pupil.guardian_links.all()],
        }
        for pupil in pupils
    ]
    actions.record_class_viewed(request.user, school_class, page="classe", people=len(pupils))
    return render(
        request,
        "directory/class_detail.html",
        {
            "title": _("Classe %(name)s") % {"name": school_class.name},
            "school": school,
            "school_class": school_class,
            "teachers": school_class.teachers.order_by("last_name"),
            "rows": rows,
            "can_oversee": policy.can_oversee_school(request.user, school),
            "can_manage_cards": policy.can_manage_class_cards(request.user, school_class),
            "can_manage_parents": policy.can_manage_parent_account(request.user, [school]),
        },
    )


@require_GET
def my_classes(request):
    return render(
        request,
        "directory/my_classes.html",
        {
            "title": _("Mes classes"),
            "classes": queries.classes_taught_by(request.user),
        },
    )


def school_rollover(request, uai: str):
    """The rentrée: last year's classes → this year's (or next year's, prepared in June)."""
    school = _school_or_404(uai)
    if not policy.can_prepare_school_year(request.user, school):
        raise NotAllowed(_("Seuls la direction de l'école et l'académie préparent la rentrée."))
    current = queries.access_of(request.user).year
    has_current = SchoolClass.objects.filter(school=school, year=current).exists()
    to_year = current + 1 if has_current else current
    old_classes = list(
        SchoolClass.objects.filter(school=school, year=to_year - 1)
        .prefetch_related("teachers", "pupils")
        .order_by("name")
    )
    teachers = queries.teachers_of_school(school, to_year - 1)
    form = RolloverForm(request.POST or None, old_classes=old_classes, teachers=teachers)
    if request.method == "POST" and form.is_valid():
        try:
            created = actions.roll_over_school_year(request.user, school, to_year, classes=form.plan())
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(
                request,
                _("La rentrée %(year)s est prête : %(count)s classes ouvertes.")
                % {"year": school_year_label(to_year), "count": len(created)},
            )
            return redirect("directory:school_console", uai=school.uai)
    return render(
        request,
        "directory/school_rollover.html",
        {
            "title": _("Préparer la rentrée"),
            "school": school,
            "form": form,
            "from_label": school_year_label(to_year - 1),
            "to_label": school_year_label(to_year),
            "already_done": SchoolClass.objects.filter(school=school, year=to_year).exists(),
        },
        status=400 if form.errors else 200,
    )


# --- Académie console ------------------------------------------------------------------------


def _administered_academie(request, academie_id=None):
    academies = list(queries.academies_administered_by(request.user))
    if not policy.can_use_academie_console(request.user) or not academies:
        raise NotAllowed(_("La console académique est réservée aux administrateurs d'académie."))
    wanted = academie_id or request.GET.get("academie")
    if not wanted:
        return academies[0], academies
    chosen = next((a for a in academies if str(a.id) == str(wanted)), None)
    if chosen is None:
        raise Http404
    return chosen, academies


@require_GET
def academie_console(request):
    academie, academies = _administered_academie(request)
    search = request.GET.get("q", "")
    schools = queries.search_schools(
        queries.schools_administered_by(request.user)
        .filter(circonscription__departement__academie=academie)
        .order_by("name"),
        search,
    )
    communes = queries.communes_administered_by(request.user).filter(departement__academie=academie).order_by("name")
    return render(
        request,
        "directory/academie_console.html",
        {
            "title": _("Console académique"),
            "academie": academie,
            "academies": academies,
            "departements": academie.departements.prefetch_related("circonscriptions"),
            "search": search,
            "schools": page_of(request, schools),
            "communes": page_of(request, communes, "communes"),
            "administrators": queries.academie_administrators(academie),
            # Operators edit structures but open no school's personal data.
            "opens_consoles": academie.id in queries.access_of(request.user).academie_ids,
        },
    )


def _academie_form(request, academie_id, form_class, action, *, title, success, **initial):
    """A creation form of the académie console: bind, call the action, show its refusal."""
    academie, _academies = _administered_academie(request, academie_id)
    form = form_class(request.POST or None, academie_ids=[academie.id], initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            action(request.user, academie, form.cleaned_data)
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, success)
            return redirect(_console_url(academie))
    return render(
        request,
        "directory/academie_form.html",
        {"title": title, "academie": academie, "form": form},
        status=400 if form.errors else 200,
    )


def _console_url(academie) -> str:
    return f"{reverse('directory:academie_console')}?academie={academie.id}"


def school_create(request, academie_id: int):
    return _academie_form(
        request,
        academie_id,
        SchoolForm,
        lambda actor, _academie, data: actions.create_school(actor, **data),
        title=_("Ajouter une école"),
        success=_("L'école est ajoutée."),
    )


def commune_create(request, academie_id: int):
    return _academie_form(
        request,
        academie_id,
        CommuneForm,
        lambda actor, _academie, data: actions.create_commune(actor, **data),
        title=_("Ajouter une commune"),
        success=_("La commune est ajoutée."),
    )


def circonscription_create(request, academie_id: int):
    return _academie_form(
        request,
        academie_id,
        CirconscriptionForm,
        lambda actor, _academie, data: actions.create_circonscription(actor, **data),
        title=_("Ajouter une circonscription"),
        success=_("La circonscription est ajoutée."),
    )


def administrator_add(request, academie_id: int):
    return _academie_form(
        request,
        academie_id,
        AdministratorForm,
        lambda actor, academie, data: actions.add_academie_admin(actor, academie, **data),
        title=_("Ajouter un administrateur"),
        success=_("Le profil d'administrateur académique est donné."),
    )


def school_edit(request, school_id: int):
    school = get_object_or_404(queries.schools_administered_by(request.user), pk=school_id)
    academie = school.circonscription.departement.academie
    initial = {name: getattr(school, name) for name in actions.SCHOOL_FIELDS}
    form = SchoolForm(
        request.POST or None,
        initial=initial,
        academie_ids=sorted(queries.academies_administered_by(request.user).values_list("id", flat=True)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_school(request.user, school, **form.cleaned_data)
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("L'école est modifiée."))
            return redirect(_console_url(academie))
    return render(
        request,
        "directory/academie_form.html",
        {
            "title": _("Modifier l'école %(name)s") % {"name": school.name},
            "academie": academie,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


def commune_edit(request, commune_id: int):
    commune = get_object_or_404(queries.communes_administered_by(request.user), pk=commune_id)
    academie = commune.departement.academie
    initial = {name: getattr(commune, name) for name in actions.COMMUNE_FIELDS}
    form = CommuneForm(request.POST or None, initial=initial, academie_ids=[academie.id])
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_commune(request.user, commune, **form.cleaned_data)
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("La commune est modifiée."))
            return redirect(_console_url(academie))
    return render(
        request,
        "directory/academie_form.html",
        {
            "title": _("Modifier la commune %(name)s") % {"name": commune.name},
            "academie": academie,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


# --- Journal -------------------------------------------------------------------------------


def _audit_entries(request):
    if not policy.can_read_audit_log(request.user):
        raise NotAllowed(_("Le journal est réservé aux administrateurs d'académie."))
    form = AuditSearchForm(request.GET or None)
    return form, queries.audit_entries_visible_to(request.user, **form.filters())


@require_GET
def audit_log(request):
    form, entries = _audit_entries(request)
    return render(
        request,
        "directory/audit_log.html",
        {
            "title": _("Journal"),
            "form": form,
            "entries": page_of(request, entries),
            "export_query": request.GET.urlencode(),
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@require_GET
def audit_log_export(request):
    """The current search as CSV (semicolons, UTF-8 with BOM for French spreadsheets), streamed."""
    form, entries = _audit_entries(request)
    audit.record(request.user, "directory.audit_exported", filters=request.GET.dict())
    writer = csv.writer(_Echo(), delimiter=";")
    header = [
        _("date"),
        _("auteur"),
        _("action"),
        _("personne concernée"),
        _("objet"),
        _("adresse IP"),
        _("académie"),
        _("école"),
        _("détails"),
    ]

    def rows():
        yield "\ufeff" + writer.writerow(header)
        for entry in entries.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    _cell(v)
                    for v in (
                        timezone.localtime(entry.at).isoformat(timespec="seconds"),
                        entry.actor_label,
                        entry.action,
                        entry.subject_label,
                        entry.target_label,
                        entry.ip,
                        entry.academie_id,
                        entry.school_id,
                        entry.details,
                    )
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="journal-preau.csv"'
    return response
