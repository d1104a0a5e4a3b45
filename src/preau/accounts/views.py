"""Sign-in pages. Thin: parse the form, call an action, render or redirect."""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.signing import BadSignature
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from preau.core.errors import DomainError
from preau.core.forms import show_error
from preau.core.redirects import next_url
from preau.directory.models import SchoolClass, current_school_year

from . import actions, card_actions, queries
from .charte import current_charte_for
from .forms import ActivationForm, ChoosePasswordForm, LoginForm
from .pictures import PICTURES

# The class tablet: a signed cookie names the class whose pupils may sign in on this device.
TABLET_COOKIE = "preau_classe"
TABLET_SALT = "preau.accounts.class_tablet"
TABLET_MAX_AGE = 365 * 24 * 3600


@login_not_required
def login_view(request):
    if request.user.is_authenticated:
        return redirect(next_url(request, "/"))
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.sign_in(request, username=form.cleaned_data["username"], password=form.cleaned_data["password"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect(next_url(request, "/"))
    status = 400 if form.errors else 200
    return render(
        request,
        "accounts/login.html",
        {"form": form, "next": next_url(request, ""), "title": _("Connexion")},
        status=status,
    )


@require_POST
@login_not_required
def logout_view(request):
    actions.sign_out(request)
    messages.success(request, _("Vous êtes déconnecté·e. À bientôt !"))
    # On a class tablet, the next pupil chooses their name.
    if TABLET_COOKIE in request.COOKIES:
        return redirect("accounts:class_tablet_login")
    return redirect("accounts:login")


@require_POST
def logout_everywhere_view(request):
    actions.sign_out_everywhere(request)
    messages.success(request, _("Vous êtes déconnecté·e de tous vos appareils."))
    return redirect("accounts:login")


@login_not_required
def charte_view(request):
    academie_id = request.user.academie_id if request.user.is_authenticated else None
    return render(
        request, "accounts/charte.html", {"charte": current_charte_for(academie_id), "title": _("Charte d'utilisation")}
    )


def accept_charte_view(request):
    charte = current_charte_for(request.user.academie_id)
    if charte is None:
        return redirect(next_url(request, "/"))
    error = None
    if request.method == "POST":
        if request.POST.get("accept") != "oui" or str(charte.pk) != request.POST.get("charte"):
            error = _("Cochez la case pour accepter la charte et continuer.")
        else:
            try:
                actions.accept_charte(request, charte)
            except DomainError as refused:
                error = refused.message
            else:
                return redirect(next_url(request, "/"))
    return render(
        request,
        "accounts/accept_charte.html",
        {"charte": charte, "error": error, "next": next_url(request, ""), "title": _("Charte d'utilisation")},
        status=400 if error else 200,
    )


def choose_password_view(request):
    form = ChoosePasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_own_password(request, new_password=form.cleaned_data["new_password1"])
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Votre mot de passe est enregistré."))
            return redirect("portal:home")
    return render(
        request,
        "accounts/choose_password.html",
        {"form": form, "title": _("Choisir mon mot de passe")},
        status=400 if form.errors else 200,
    )


def my_account_view(request):
    return render(request, "accounts/my_account.html", {"title": _("Mon compte")})


@login_not_required
def activate_view(request):
    """A parent's first visit, with the code of the letter the school gave them."""
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.activate_account(
                request, username=data["username"], code=data["code"], password=data["password1"], email=data["email"]
            )
        except DomainError as error:
            show_error(form, error)
        else:
            messages.success(request, _("Votre compte est activé. Bienvenue sur Préau !"))
            return redirect("portal:home")
    return render(
        request,
        "accounts/activate.html",
        {"form": form, "title": _("Activer mon compte")},
        status=400 if form.errors else 200,
    )


@never_cache
@login_not_required
def card_login_view(request, token: str):
    """The QR code of a login card. GET only asks "is it you?" so that link previews sign no one in."""
    try:
        if request.method == "POST":
            card_actions.sign_in_with_card(request, token=token)
            return redirect("portal:home")
        card = card_actions.card_for_token(token)
    except DomainError as error:
        return render(
            request, "accounts/card_login.html", {"error": error.message, "title": _("Carte de connexion")}, status=400
        )
    return render(request, "accounts/card_login.html", {"pupil": card.pupil, "title": _("Carte de connexion")})


def tablet_class(request) -> SchoolClass | None:
    """The class whose sign-in a teacher opened on this device (signed cookie), if any."""
    try:
        class_id = request.get_signed_cookie(TABLET_COOKIE, salt=TABLET_SALT, max_age=TABLET_MAX_AGE)
    except (KeyError, BadSignature):
        return None
    return SchoolClass.objects.filter(pk=class_id, year=current_school_year()).select_related("school").first()


def _display_names(pupils) -> dict[int, str]:
    """First names, with the last name's initial when two pupils share a first name."""
    counts = Counter(p.first_name for p in pupils)
    return {p.pk: p.first_name if counts[p.first_name] == 1 else f"{p.first_name} {p.last_name[:1]}." for p in pupils}


@never_cache
@login_not_required
def class_tablet_login_view(request):
    """The class tablet: a pupil taps their name, then their three pictures in order."""
    school_class = tablet_class(request)
    context = {"title": _("Connexion de la classe"), "school_class": school_class}
    if school_class is None:
        return render(request, "accounts/class_tablet.html", context)
    pupils = queries.pupils_for_tablet(school_class)
    names = _display_names(pupils)
    chosen = request.POST.get("eleve") or request.GET.get("eleve") or ""
    pupil = next((p for p in pupils if str(p.pk) == chosen), None)
    picked = []
    if request.method == "POST" and pupil is not None:
        picked = [key for key in request.POST.get("images", "").split(",") if key in PICTURES][:2]
        if request.POST.get("image") in PICTURES:
            picked.append(request.POST["image"])
    error = None
    if len(picked) == 3:
        try:
            card_actions.sign_in_with_pictures(request, school_class=school_class, pupil_id=pupil.pk, pictures=picked)
        except DomainError as refused:
            error, picked = refused.message, []
        else:
            return redirect("portal:home")
    context |= {
        "pupils": [(p, names[p.pk]) for p in pupils],
        "pupil": pupil,
        "pupil_name": names.get(pupil.pk) if pupil else "",
        "pictures": PICTURES.values(),
        "picked": ",".join(picked),
        "progress": [index < len(picked) for index in range(3)],
        "picked_count": len(picked),
        "error": error,
    }
    return render(request, "accounts/class_tablet.html", context, status=400 if error else 200)


@require_POST
@login_not_required
def class_tablet_close_view(request):
    response = redirect("accounts:class_tablet_login")
    response.delete_cookie(TABLET_COOKIE)
    return response
