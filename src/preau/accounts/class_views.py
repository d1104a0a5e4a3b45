"""Pages of the school staff: login cards, the class tablet, activation letters, resets.

Thin: load the class, check the policy, call an action, answer a page or a PDF.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from preau.core.errors import DomainError, NotAllowed
from preau.directory.actions import record_class_viewed
from preau.directory.models import Person

from . import actions, card_actions, pdf, policy, queries
from .models import LoginCard
from .views import TABLET_COOKIE, TABLET_MAX_AGE, TABLET_SALT


def _class_or_404(class_id: int):
    return get_object_or_404(queries.class_for_staff(class_id))


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # The PDF carries secrets: no cache may keep it.
    response["Cache-Control"] = "no-store"
    return response


def _posted_class(request):
    class_id = request.POST.get("class_id", "")
    if not class_id.isdigit():
        raise DomainError(_("La classe manque dans le formulaire."))
    return _class_or_404(int(class_id))


def class_login_cards_view(request, class_id: int):
    """The class's pupils and their cards: print, reprint, revoke; open the class tablet."""
    school_class = _class_or_404(class_id)
    if not policy.can_manage_cards_of(request.user, school_class):
        raise PermissionDenied
    rows = [
        {"pupil": pupil, "card": queries.active_card(pupil), "last": pupil.cards[0] if pupil.cards else None}
        for pupil in queries.pupils_with_cards(school_class)
    ]
    record_class_viewed(request.user, school_class, page="cartes", people=len(rows))
    return render(
        request,
        "accounts/class_login_cards.html",
        {
            "title": _("Cartes de connexion — %(name)s") % {"name": school_class.name},
            "school_class": school_class,
            "rows": rows,
            "missing": sum(1 for row in rows if row["card"] is None),
            "can_issue_letters": policy.can_issue_activation_letters(request.user, school_class),
        },
    )


@require_POST
def class_login_cards_pdf_view(request, class_id: int):
    """Print cards for every pupil who has none in use."""
    school_class = _class_or_404(class_id)
    try:
        cards = card_actions.issue_missing_login_cards(request.user, school_class)
    except NotAllowed:
        raise
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("accounts:class_login_cards", class_id=class_id)
    return _pdf_response(pdf.login_cards_pdf(cards), f"cartes-{school_class.pk}.pdf")


@require_POST
def pupil_login_card_pdf_view(request, class_id: int, pupil_id: int):
    """Print one pupil's card; a card they had stops working (reprint)."""
    school_class = _class_or_404(class_id)
    pupil = get_object_or_404(Person, pk=pupil_id)
    try:
        card = card_actions.issue_login_card(request.user, pupil, school_class)
    except NotAllowed:
        raise
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("accounts:class_login_cards", class_id=class_id)
    return _pdf_response(pdf.login_cards_pdf([card]), f"carte-{pupil.pk}.pdf")


@require_POST
def revoke_login_card_view(request, card_id: int):
    card = get_object_or_404(LoginCard.objects.select_related("pupil"), pk=card_id)
    try:
        school_class = _posted_class(request)
        card_actions.revoke_login_card(request.user, card)
    except NotAllowed:
        raise
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("portal:home")
    messages.success(request, _("La carte de %(name)s ne fonctionne plus.") % {"name": card.pupil.first_name})
    return redirect("accounts:class_login_cards", class_id=school_class.pk)


@require_POST
def class_tablet_enable_view(request, class_id: int):
    """Make this device the class's tablet (a signed cookie, for a year) and sign the teacher
    out of it, so that the next person at the screen is a pupil choosing their name."""
    school_class = _class_or_404(class_id)
    card_actions.open_class_tablet(request.user, school_class)
    actions.sign_out(request)
    response = redirect("accounts:class_tablet_login")
    response.set_signed_cookie(
        TABLET_COOKIE,
        str(school_class.pk),
        salt=TABLET_SALT,
        max_age=TABLET_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    messages.success(
        request,
        _(
            "Cet appareil est maintenant la tablette de la classe %(name)s."
            " Vous êtes déconnecté·e : les élèves peuvent se connecter."
        )
        % {"name": school_class.name},
    )
    return response


def class_activation_view(request, class_id: int):
    """The parents of a class and the state of their accounts; print the letters."""
    school_class = _class_or_404(class_id)
    if not policy.can_issue_activation_letters(request.user, school_class):
        raise PermissionDenied
    rows = queries.parents_of_class(school_class)
    record_class_viewed(request.user, school_class, page="parents", people=len(rows))
    return render(
        request,
        "accounts/class_activation.html",
        {
            "title": _("Comptes des parents — %(name)s") % {"name": school_class.name},
            "school_class": school_class,
            "rows": rows,
            "waiting": sum(1 for row in rows if not row.parent.is_activated),
        },
    )


@require_POST
def class_activation_letters_pdf_view(request, class_id: int):
    """One activation letter per parent not yet activated (or every parent, if asked)."""
    school_class = _class_or_404(class_id)
    try:
        letters = actions.issue_activation_letters(
            request.user, school_class, include_activated=request.POST.get("tous") == "oui"
        )
    except NotAllowed:
        raise
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("accounts:class_activation", class_id=class_id)
    return _pdf_response(pdf.activation_letters_pdf(letters), f"lettres-activation-{school_class.pk}.pdf")


@require_POST
def reset_parent_access_view(request, person_id: int):
    """A new activation letter for one parent who lost their access."""
    parent = get_object_or_404(Person, pk=person_id, is_active=True)
    try:
        letter = actions.reset_parent_access(request.user, parent)
    except NotAllowed:
        raise
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("portal:home")
    return _pdf_response(pdf.activation_letters_pdf([letter]), f"lettre-activation-{parent.pk}.pdf")


@require_POST
def reset_pupil_password_view(request, pupil_id: int):
    """A provisional password for a pupil, shown once on this page and never stored in clear."""
    pupil = get_object_or_404(Person, pk=pupil_id)
    try:
        school_class = _posted_class(request)
        password = actions.reset_pupil_password(request.user, pupil, school_class)
    except NotAllowed:
        raise
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("portal:home")
    response = render(
        request,
        "accounts/pupil_password_reset.html",
        {
            "title": _("Nouveau mot de passe provisoire"),
            "pupil": pupil,
            "school_class": school_class,
            "password": password,
        },
    )
    response["Cache-Control"] = "no-store"
    return response
