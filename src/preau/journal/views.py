"""Pages of the cahier journal. Thin: parse, call actions and queries, render."""

import datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from preau.core.errors import DomainError, NotAllowed
from preau.core.forms import show_error
from preau.homework.subjects import subject_label

from . import actions, policy, queries
from .forms import CopyForm, ReviewForm, ShareForm, SlotForm, TemplateApplyForm, TemplateSaveForm


def parse_day(value: str | None) -> datetime.date:
    """A date of the query string (YYYY-MM-DD), today when absent or malformed."""
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        return timezone.localdate()


def classes_or_refuse(request) -> list:
    classes = queries.journal_classes(request.user)
    if not classes:
        raise NotAllowed(_("Le cahier journal est celui des enseignants d'une classe de cette année."))
    return classes


def _chosen_class(request, classes):
    wanted = request.GET.get("classe") or request.POST.get("classe")
    if not wanted:
        return classes[0]
    found = next((c for c in classes if str(c.pk) == wanted), None)
    if found is None:
        raise Http404
    return found


def _sessions_added(count: int) -> str:
    return ngettext("%(n)d séance ajoutée.", "%(n)d séances ajoutées.", count) % {"n": count}


def _sessions_copied(count: int) -> str:
    return ngettext("%(n)d séance copiée.", "%(n)d séances copiées.", count) % {"n": count}


def _with_labels(slots):
    slots = list(slots)
    for slot in slots:
        slot.subject_label = subject_label(slot.subject)
    return slots


def day_url(day: datetime.date, school_class) -> str:
    return f"{reverse('journal:day')}?{urlencode({'date': day.isoformat(), 'classe': school_class.pk})}"


def _slot_or_404(request, slot_id: int):
    slot = queries.slot_of_author(request.user, slot_id)
    if slot is None:
        raise Http404
    return slot


@require_GET
def day(request):
    """A day of a class: its sessions, the bilan of each, journées types and copies."""
    if not policy.keeps_journal(request.user) and queries.shares_received_by(request.user):
        return redirect("journal:shares")
    classes = classes_or_refuse(request)
    school_class = _chosen_class(request, classes)
    current = parse_day(request.GET.get("date"))
    slots = _with_labels(queries.slots_of(request.user, start=current, end=current, school_class_id=school_class.pk))
    templates = list(queries.templates_of(request.user))
    for slot in slots:
        slot.review_form = ReviewForm(prefix=f"bilan-{slot.pk}", initial={"review": slot.review})
    return render(
        request,
        "journal/day.html",
        {
            "title": _("Cahier journal — %(day)s") % {"day": date_format(current, "l j F Y")},
            "day": current,
            "previous_url": day_url(current - datetime.timedelta(days=1), school_class),
            "next_url": day_url(current + datetime.timedelta(days=1), school_class),
            "today_url": day_url(timezone.localdate(), school_class),
            "classes": classes,
            "school_class": school_class,
            "slots": slots,
            "templates": templates,
            "save_form": TemplateSaveForm(),
            "apply_form": TemplateApplyForm(templates=templates) if templates else None,
        },
    )


@require_GET
def week(request):
    """The week of a date for a class, day by day."""
    classes = classes_or_refuse(request)
    school_class = _chosen_class(request, classes)
    monday = queries.monday_of(parse_day(request.GET.get("date")))
    sunday = monday + datetime.timedelta(days=6)
    slots = _with_labels(queries.slots_of(request.user, start=monday, end=sunday, school_class_id=school_class.pk))
    days = []
    for offset in range(7):
        current = monday + datetime.timedelta(days=offset)
        of_day = [slot for slot in slots if slot.date == current]
        if offset < 5 or of_day:
            days.append({"day": current, "slots": of_day, "url": day_url(current, school_class)})

    def week_url(start):
        return f"{reverse('journal:week')}?{urlencode({'date': start.isoformat(), 'classe': school_class.pk})}"

    return render(
        request,
        "journal/week.html",
        {
            "title": _("Cahier journal — semaine du %(day)s") % {"day": date_format(monday, "j F Y")},
            "monday": monday,
            "days": days,
            "classes": classes,
            "school_class": school_class,
            "previous_url": week_url(monday - datetime.timedelta(days=7)),
            "next_url": week_url(monday + datetime.timedelta(days=7)),
            "copy_url": f"{reverse('journal:copy')}?"
            + urlencode({"source": monday.isoformat(), "quoi": "semaine", "classe": school_class.pk}),
        },
    )


def slot_create(request):
    classes = classes_or_refuse(request)
    initial = {"date": parse_day(request.GET.get("date")), "school_class": str(_chosen_class(request, classes).pk)}
    form = SlotForm(request.POST or None, classes=classes, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            slot = actions.plan_slot(
                request.user, school_class=data["school_class"], date=data["date"], **form.content()
            )
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("La séance est ajoutée à votre cahier journal."))
            return redirect(day_url(slot.date, slot.school_class) + f"#seance-{slot.pk}")
    return render(request, "journal/slot_form.html", {"title": _("Nouvelle séance"), "form": form})


def slot_edit(request, slot_id: int):
    slot = _slot_or_404(request, slot_id)
    initial = {**slot.content(), "review": slot.review}
    form = SlotForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_slot(request.user, slot, review=form.cleaned_data["review"], **form.content())
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("La séance est modifiée."))
            return redirect(day_url(slot.date, slot.school_class) + f"#seance-{slot.pk}")
    return render(
        request,
        "journal/slot_form.html",
        {
            "title": _("Modifier la séance"),
            "form": form,
            "slot": slot,
            "back_url": day_url(slot.date, slot.school_class),
        },
    )


@require_POST
def slot_review(request, slot_id: int):
    slot = _slot_or_404(request, slot_id)
    form = ReviewForm(request.POST, prefix=f"bilan-{slot.pk}")
    if form.is_valid():
        actions.write_review(request.user, slot, review=form.cleaned_data["review"])
        messages.success(request, _("Le bilan est enregistré."))
    else:
        messages.error(request, _("Le bilan est trop long."))
    return redirect(day_url(slot.date, slot.school_class) + f"#seance-{slot.pk}")


@require_POST
def slot_delete(request, slot_id: int):
    slot = _slot_or_404(request, slot_id)
    back = day_url(slot.date, slot.school_class)
    actions.delete_slot(request.user, slot)
    messages.success(request, _("La séance est supprimée."))
    return redirect(back)


@require_POST
def slot_report(request, slot_id: int):
    """Report the session to the cahier de textes in one step."""
    slot = _slot_or_404(request, slot_id)
    try:
        actions.report_slot_to_homework(request.user, slot)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("La séance est reportée dans le cahier de textes de la classe."))
    return redirect(day_url(slot.date, slot.school_class) + f"#seance-{slot.pk}")


@require_GET
def templates(request):
    classes_or_refuse(request)
    return render(
        request,
        "journal/templates.html",
        {"title": _("Mes journées types"), "templates": queries.templates_of(request.user)},
    )


@require_POST
def template_save(request):
    classes = classes_or_refuse(request)
    school_class = _chosen_class(request, classes)
    current = parse_day(request.POST.get("date"))
    form = TemplateSaveForm(request.POST)
    if form.is_valid():
        try:
            template = actions.save_day_as_template(
                request.user, school_class=school_class, date=current, name=form.cleaned_data["name"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("La journée type « %(name)s » est enregistrée.") % {"name": template.name})
    else:
        messages.error(request, _("Donnez un nom à la journée type."))
    return redirect(day_url(current, school_class))


@require_POST
def template_apply(request):
    classes = classes_or_refuse(request)
    school_class = _chosen_class(request, classes)
    current = parse_day(request.POST.get("date"))
    form = TemplateApplyForm(request.POST, templates=queries.templates_of(request.user))
    if form.is_valid():
        try:
            created = actions.apply_template(
                request.user,
                form.cleaned_data["template"],
                school_class=school_class,
                date=current,
                replace=form.cleaned_data["replace"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _sessions_added(len(created)))
    else:
        messages.error(request, _("Choisissez une de vos journées types."))
    return redirect(day_url(current, school_class))


@require_POST
def template_delete(request, template_id: int):
    template = queries.template_of_author(request.user, template_id)
    if template is None:
        raise Http404
    actions.delete_template(request.user, template)
    messages.success(request, _("La journée type est supprimée."))
    return redirect("journal:templates")


def copy(request):
    """Copy a day or a week of a class onto other dates."""
    classes = classes_or_refuse(request)
    initial = {
        "school_class": str(_chosen_class(request, classes).pk),
        "source": parse_day(request.GET.get("source")),
        "what": "semaine" if request.GET.get("quoi") == "semaine" else "jour",
        "repeat": 1,
    }
    form = CopyForm(request.POST or None, classes=classes, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = actions.copy_days(
                request.user,
                school_class=data["school_class"],
                source=data["source"],
                target=data["target"],
                week=data["what"] == "semaine",
                repeat=data["repeat"],
                replace=data["replace"],
            )
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _sessions_copied(len(created)))
            return redirect(day_url(data["target"], data["school_class"]))
    return render(request, "journal/copy.html", {"title": _("Copier une journée ou une semaine"), "form": form})


def shares(request):
    """The replacements the teacher lends their journal to, and the journals lent to them."""
    received = queries.shares_received_by(request.user)
    keeps = policy.keeps_journal(request.user)
    if not keeps and not received:
        raise NotAllowed(_("Le cahier journal est celui des enseignants d'une classe de cette année."))
    form = None
    if keeps:
        form = ShareForm(request.POST or None, candidates=queries.replacement_candidates(request.user))
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                actions.share_journal(
                    request.user, replacement=data["replacement"], starts_on=data["starts_on"], ends_on=data["ends_on"]
                )
            except DomainError as error:
                show_error(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s peut lire votre cahier journal pour ces dates.")
                    % {"name": data["replacement"].full_name},
                )
                return redirect("journal:shares")
    elif request.method == "POST":
        raise NotAllowed(_("Le cahier journal est celui des enseignants d'une classe de cette année."))
    given = list(queries.shares_given_by(request.user)[:50]) if keeps else []
    today = timezone.localdate()
    for share in given:
        share.running = policy.is_running(share, today)
    return render(
        request,
        "journal/shares.html",
        {"title": _("Partager mon cahier journal"), "form": form, "given": given, "received": received},
    )


@require_POST
def share_revoke(request, share_id: int):
    share = queries.share_given_by(request.user, share_id)
    if share is None:
        raise Http404
    try:
        actions.revoke_share(request.user, share)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Le partage est arrêté."))
    return redirect("journal:shares")


@require_GET
def shared(request, share_id: int):
    """A lent journal, read-only: the author's sessions of one day within the loan."""
    share = next((s for s in queries.shares_received_by(request.user) if s.pk == share_id), None)
    if share is None:
        raise Http404
    current = parse_day(request.GET.get("date") or max(share.starts_on, timezone.localdate()).isoformat())
    current = min(max(current, share.starts_on), share.ends_on)
    actions.record_shared_read(request.user, share, current)
    slots = _with_labels(queries.shared_slots(share, start=current, end=current))

    def url(day):
        if not share.covers(day):
            return ""
        return f"{reverse('journal:shared', args=[share.pk])}?{urlencode({'date': day.isoformat()})}"

    return render(
        request,
        "journal/shared.html",
        {
            "title": _("Cahier journal de %(name)s — %(day)s")
            % {"name": share.author.full_name, "day": date_format(current, "l j F Y")},
            "share": share,
            "day": current,
            "slots": slots,
            "previous_url": url(current - datetime.timedelta(days=1)),
            "next_url": url(current + datetime.timedelta(days=1)),
        },
    )
