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


def password_pair(label: str) -> tuple[forms.CharField, forms.CharField]:
    """A new password and its confirmation, for every form where a person chooses one."""
    return (
        forms.CharField(
            label=label,
            strip=False,
            help_text=_("Au moins 10 caractères, pas uniquement des chiffres, ni trop courant."),
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        ),
        forms.CharField(
            label=_("Confirmez le mot de passe"),
            strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        ),
    )


class PasswordPairMixin:
    """Checks that the two fields named in `password_fields` match."""

    password_fields = ("new_password1", "new_password2")

    def clean(self):
        data = super().clean()
        first, second = self.password_fields
        if data.get(first) and data.get(first) != data.get(second):
            self.add_error(second, _("Les deux mots de passe ne sont pas identiques."))
        return data


class ChoosePasswordForm(PasswordPairMixin, DsfrForm):
    new_password1, new_password2 = password_pair(_("Nouveau mot de passe"))


class ActivationForm(PasswordPairMixin, DsfrForm):
    password_fields = ("password1", "password2")

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
    password1, password2 = password_pair(_("Choisissez votre mot de passe"))


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
