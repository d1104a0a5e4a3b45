"""Forms of single sign-on. They parse and check shapes; the actions decide and write."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from preau.core.forms import DsfrForm
from preau.directory.models import Academie

from .identity import FIELDS
from .models import IdentityProvider, PartnerService


class ConfirmIdentityForm(DsfrForm):
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    birth_date = forms.DateField(
        label=_("Date de naissance"),
        help_text=_("Au format JJ/MM/AAAA."),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"autocomplete": "off"}),
    )


class TotpCodeForm(DsfrForm):
    code = forms.CharField(
        label=_("Code à 6 chiffres"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _academie_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label=_("Académie"), queryset=Academie.objects.none())


class ProviderForm(DsfrForm):
    academie = _academie_field()
    kind = forms.ChoiceField(label=_("Usagers"), choices=IdentityProvider.Kind.choices)
    protocol = forms.ChoiceField(label=_("Protocole"), choices=IdentityProvider.Protocol.choices)
    slug = forms.SlugField(
        label=_("Identifiant court"),
        max_length=40,
        help_text=_("Dans les adresses de Préau, par exemple educonnect-toulouse."),
    )
    label = forms.CharField(label=_("Nom affiché sur la page de connexion"), max_length=120)
    is_active = forms.BooleanField(label=_("Actif"), required=False, initial=True)
    allows_pupils = forms.BooleanField(
        label=_("Ouvert aux élèves"),
        required=False,
        help_text=_("ÉduConnect seulement : si l'académie l'a activé en 1er degré."),
    )
    issuer = forms.URLField(assume_scheme="https", label=_("OIDC : émetteur (issuer)"), required=False, max_length=500)
    authorization_endpoint = forms.URLField(
        assume_scheme="https", label=_("OIDC : point d'autorisation"), required=False, max_length=500
    )
    token_endpoint = forms.URLField(
        assume_scheme="https", label=_("OIDC : point de jeton"), required=False, max_length=500
    )
    userinfo_endpoint = forms.URLField(
        assume_scheme="https", label=_("OIDC : point userinfo"), required=False, max_length=500
    )
    jwks_uri = forms.URLField(
        assume_scheme="https", label=_("OIDC : clés publiques (JWKS)"), required=False, max_length=500
    )
    end_session_endpoint = forms.URLField(
        assume_scheme="https", label=_("OIDC : point de déconnexion"), required=False, max_length=500
    )
    client_id = forms.CharField(label=_("OIDC : identifiant client"), required=False, max_length=200)
    client_secret = forms.CharField(
        label=_("OIDC : secret client"),
        required=False,
        strip=False,
        help_text=_("Laissez vide pour garder le secret enregistré. Il est chiffré et n'est jamais réaffiché."),
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    scopes = forms.CharField(label=_("OIDC : portées demandées"), max_length=300, initial="openid profile email")
    idp_metadata = forms.CharField(
        label=_("SAML : métadonnées du fournisseur (XML)"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    attribute_map = forms.CharField(
        label=_("Correspondance des attributs (JSON, facultatif)"),
        required=False,
        help_text=_('Par exemple {"email": ["mail"]} ; champs : %(fields)s.') % {"fields": ", ".join(FIELDS)},
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, academies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["academie"].queryset = academies

    def clean_attribute_map(self) -> dict:
        text = self.cleaned_data["attribute_map"].strip()
        if not text:
            return {}
        try:
            value = json.loads(text)
        except ValueError as error:
            raise forms.ValidationError(_("Ce n'est pas du JSON valide.")) from error
        if not isinstance(value, dict) or any(
            key not in FIELDS or not isinstance(names, list) or not all(isinstance(n, str) for n in names)
            for key, names in value.items()
        ):
            raise forms.ValidationError(
                _("Attendu : un objet dont chaque clé est un champ de Préau et chaque valeur une liste de noms.")
            )
        return value


class PartnerForm(DsfrForm):
    academie = _academie_field()
    name = forms.CharField(label=_("Nom du service"), max_length=120)
    is_active = forms.BooleanField(label=_("Actif"), required=False, initial=True)
    release_name = forms.BooleanField(label=_("Transmettre le nom et le prénom"), required=False)
    release_profile = forms.BooleanField(label=_("Transmettre les profils (codes nationaux)"), required=False)
    release_uai = forms.BooleanField(label=_("Transmettre les UAI des écoles"), required=False)
    release_classes = forms.BooleanField(label=_("Transmettre les classes"), required=False)
    logout_url = forms.URLField(
        assume_scheme="https",
        label=_("Adresse de déconnexion du service (facultatif)"),
        required=False,
        max_length=500,
        help_text=_("Ouverte en arrière-plan quand la personne se déconnecte de Préau."),
    )

    def __init__(self, *args, academies, protocol: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["academie"].queryset = academies
        if protocol == PartnerService.Protocol.SAML:
            self.fields["sp_metadata"] = forms.CharField(
                label=_("Métadonnées SAML du service (XML)"), widget=forms.Textarea(attrs={"rows": 6})
            )
        elif protocol == PartnerService.Protocol.OIDC:
            self.fields["redirect_uris"] = forms.CharField(
                label=_("Adresses de retour du client"),
                help_text=_("Une par ligne, https://…"),
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        else:
            self.fields["service_url"] = forms.URLField(
                assume_scheme="https",
                label=_("Adresse du service"),
                max_length=500,
                help_text=_("Les adresses de ce site placées sous ce chemin sont acceptées."),
            )

    def released_attributes(self) -> list[str]:
        return [
            attribute for attribute in PartnerService.Attribute.values if self.cleaned_data.get(f"release_{attribute}")
        ]

    @staticmethod
    def initial_for(partner: PartnerService) -> dict:
        initial = {
            "academie": partner.academie_id,
            "name": partner.name,
            "is_active": partner.is_active,
            "logout_url": partner.logout_url,
            "sp_metadata": partner.sp_metadata,
            "service_url": partner.service_url,
            "redirect_uris": "\n".join(partner.application.redirect_uris.split()) if partner.application else "",
        }
        return initial | {f"release_{a}": partner.releases(a) for a in PartnerService.Attribute.values}
