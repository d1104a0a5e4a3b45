from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from preau.core.errors import DomainError
from preau.core.forms import DsfrForm, DsfrFormMixin

from . import actions


class LoginForm(DsfrForm):
    username = forms.CharField(
        label=_("Identifiant"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Mot de passe"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class ChoosePasswordForm(DsfrForm):
    new_password1 = forms.CharField(
        label=_("Nouveau mot de passe"),
        strip=False,
        help_text=_("Au moins 10 caractères, pas uniquement des chiffres, ni trop courant."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("Confirmez le mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", _("Les deux mots de passe ne sont pas identiques."))
        return data


class ActivationForm(DsfrForm):
    username = forms.CharField(
        label=_("Identifiant"),
        max_length=150,
        help_text=_("Tel qu'il est écrit sur la lettre."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    code = forms.CharField(
        label=_("Code d'activation"),
        max_length=40,
        help_text=_("Par exemple : K7QM-3XPA-R9TD"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label=_("Adresse électronique"),
        required=False,
        help_text=_("Obligatoire pour les parents : elle sert à retrouver votre mot de passe."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=_("Choisissez votre mot de passe"),
        strip=False,
        help_text=_("Au moins 10 caractères, pas uniquement des chiffres, ni trop courant."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Confirmez le mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("Les deux mots de passe ne sont pas identiques."))
        return data


class EmailPasswordResetForm(DsfrFormMixin, PasswordResetForm):
    """Django's reset by e-mail; links point at PREAU_SITE_URL and every sending is audited."""

    def clean(self):
        data = super().clean()
        try:
            actions.limit_password_reset_requests()
        except DomainError as error:
            raise forms.ValidationError(error.message) from error
        return data

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        context["site_url"] = settings.PREAU_SITE_URL
        actions.note_password_reset_requested(context["user"])
        super().send_mail(
            subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name
        )


class EmailSetPasswordForm(DsfrFormMixin, SetPasswordForm):
    """The last step of a reset by e-mail: the action sets the password and ends sessions."""

    def save(self, commit=True):
        actions.set_password_from_email(self.user, new_password=self.cleaned_data["new_password1"])
        return self.user
