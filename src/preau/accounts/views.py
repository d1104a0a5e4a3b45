"""Sign-in pages. Thin: parse the form, call an action, render or redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from preau.core.errors import DomainError

from . import actions
from .charte import current_charte_for
from .forms import ChoosePasswordForm, LoginForm


def _next_url(request, default: str = "/") -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return candidate
    return default


@login_not_required
def login_view(request):
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.sign_in(request, username=form.cleaned_data["username"],
                            password=form.cleaned_data["password"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect(_next_url(request))
    status = 400 if form.errors else 200
    return render(request, "accounts/login.html",
                  {"form": form, "next": _next_url(request, ""), "title": _("Connexion")}, status=status)


@require_POST
@login_not_required
def logout_view(request):
    actions.sign_out(request)
    messages.success(request, _("Vous êtes déconnecté·e. À bientôt !"))
    return redirect("accounts:login")


@require_POST
def logout_everywhere_view(request):
    actions.sign_out_everywhere(request)
    messages.success(request, _("Vous êtes déconnecté·e de tous vos appareils."))
    return redirect("accounts:login")


@login_not_required
def charte_view(request):
    academie_id = request.user.academie_id if request.user.is_authenticated else None
    return render(request, "accounts/charte.html",
                  {"charte": current_charte_for(academie_id), "title": _("Charte d'utilisation")})


def accept_charte_view(request):
    charte = current_charte_for(request.user.academie_id)
    if charte is None:
        return redirect(_next_url(request))
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
                return redirect(_next_url(request))
    return render(request, "accounts/accept_charte.html",
                  {"charte": charte, "error": error, "next": _next_url(request, ""),
                   "title": _("Charte d'utilisation")}, status=400 if error else 200)


def choose_password_view(request):
    form = ChoosePasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_own_password(request, new_password=form.cleaned_data["new_password1"])
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("Votre mot de passe est enregistré."))
            return redirect("portal:home")
    return render(request, "accounts/choose_password.html",
                  {"form": form, "title": _("Choisir mon mot de passe")}, status=400 if form.errors else 200)


def my_account_view(request):
    return render(request, "accounts/my_account.html", {"title": _("Mon compte")})
