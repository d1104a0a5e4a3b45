from django import forms
from django.utils.translation import gettext_lazy as _

from preau.core.forms import DsfrForm


class LoginForm(DsfrForm):
    username = forms.CharField(label=_("Identifiant"), max_length=150,
                               widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}))
    password = forms.CharField(label=_("Mot de passe"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class ChoosePasswordForm(DsfrForm):
    new_password1 = forms.CharField(
        label=_("Nouveau mot de passe"), strip=False,
        help_text=_("Au moins 10 caractères, pas uniquement des chiffres, ni trop courant."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("Confirmez le mot de passe"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", _("Les deux mots de passe ne sont pas identiques."))
        return data
