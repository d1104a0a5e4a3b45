"""Forms of the conventions pages (DSFR markup through core.forms.DsfrForm)."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from preau.core.forms import DsfrForm
from preau.directory.models import school_year_label

from . import template_text
from .models import MAX_FEE, Convention


def year_choices(current: int, *, before: int = 1, after: int = 2) -> list[tuple[int, str]]:
    return [(year, school_year_label(year)) for year in range(current + after, current - before - 1, -1)]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class FeeForm(DsfrForm):
    academie = forms.ModelChoiceField(label=_("Académie"), queryset=None, empty_label=None)
    school_year = forms.TypedChoiceField(label=_("Année scolaire"), coerce=int)
    amount = forms.DecimalField(
        label=_("Participation par école (€ TTC)"),
        min_value=Decimal("0"),
        max_value=MAX_FEE,
        decimal_places=2,
        help_text=_("Par exemple 40 ou 42,50."),
        localize=True,
    )
    end_date = forms.DateField(
        label=_("Fin des conventions de l'année"),
        required=False,
        widget=DateInput(),
        help_text=_("Laissez vide pour le samedi de la semaine de rentrée suivante (ex. : 5 septembre 2026)."),
    )

    def __init__(self, *args, academies, current_year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["academie"].queryset = academies
        self.fields["school_year"].choices = year_choices(current_year)
        self.fields["school_year"].initial = current_year


class TemplateForm(DsfrForm):
    title = forms.CharField(label=_("Titre du document"), max_length=250)
    party_name = forms.CharField(
        label=_("Partie académique"), max_length=200, help_text=_("Par exemple : Région académique Occitanie.")
    )
    party_address = forms.CharField(label=_("Adresse"), max_length=300, required=False)
    signatory_name = forms.CharField(label=_("Signataire pour l'académie"), max_length=150)
    signatory_title = forms.CharField(label=_("Qualité du signataire"), max_length=300)
    place = forms.CharField(label=_("Lieu de signature"), max_length=100)
    court = forms.CharField(
        label=_("Juridiction compétente en cas de litige"),
        max_length=200,
        help_text=_("Par exemple : tribunal administratif de Montpellier."),
    )
    preamble = forms.CharField(label=_("Préambule"), widget=forms.Textarea(attrs={"rows": 8}), required=False)
    articles = forms.CharField(
        label=_("Articles"),
        widget=forms.Textarea(attrs={"rows": 30}),
        help_text=_(
            "« ## Titre » ouvre un article, « ### Titre » un sous-article, « - » un élément de liste ; une"
            " ligne vide sépare les paragraphes. Champs remplis pour chaque convention : %(fields)s."
        )
        % {"fields": ", ".join(f"{{{{ {name} }}}}" for name in template_text.PLACEHOLDERS)},
    )


class ConventionForm(DsfrForm):
    """Create (commune and year first) or edit a draft (schools and signatories)."""

    commune = forms.ModelChoiceField(label=_("Commune"), queryset=None, empty_label=_("Choisir une commune"))
    school_year = forms.TypedChoiceField(label=_("Année scolaire"), coerce=int)
    collectivite_name = forms.CharField(
        label=_("Collectivité signataire"),
        max_length=200,
        required=False,
        help_text=_(
            "Par défaut « Commune de … » ; la communauté de communes qui signe pour la commune, le cas échéant."
        ),
    )
    commune_signatory_name = forms.CharField(label=_("Signataire pour la collectivité"), max_length=150)
    commune_signatory_title = forms.CharField(label=_("Qualité"), max_length=150, initial=_("Maire"))
    academie_signatory_name = forms.CharField(label=_("Signataire pour l'académie"), max_length=150)
    academie_signatory_title = forms.CharField(label=_("Qualité du signataire de l'académie"), max_length=300)

    def __init__(self, *args, communes=None, current_year: int = 0, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["commune"], self.fields["school_year"]
        else:
            self.fields["commune"].queryset = communes
            self.fields["school_year"].choices = year_choices(current_year, before=0)
            self.fields["school_year"].initial = current_year


class SchoolsForm(forms.Form):
    """The schools a convention enrols, among the commune's: rendered as a DSFR checkbox fieldset."""

    schools = forms.ModelMultipleChoiceField(
        label=_("Écoles inscrites (annexe 1)"), queryset=None, widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schools"].queryset = schools

    def clean_schools(self):
        schools = list(self.cleaned_data["schools"])
        if not schools:
            raise forms.ValidationError(_("Inscrivez au moins une école de la commune."))
        return schools


class CommuneChoiceForm(DsfrForm):
    """The first step of a new convention: which commune (its schools are then listed)."""

    commune = forms.ModelChoiceField(label=_("Commune"), queryset=None, empty_label=_("Choisir une commune"))

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes


class SignedCopyForm(DsfrForm):
    upload = forms.FileField(
        label=_("Convention signée (PDF)"),
        help_text=_("Le PDF signé électroniquement, ou la copie numérisée de l'exemplaire papier signé."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    signed_on = forms.DateField(label=_("Date de signature"), widget=DateInput(), initial=timezone.localdate)
    mode = forms.ChoiceField(
        label=_("Mode de signature"),
        choices=Convention.SignatureMode.choices,
        initial=Convention.SignatureMode.ELECTRONIC,
    )


class TitreForm(DsfrForm):
    step = forms.ChoiceField(
        label=_("Étape"),
        choices=[("issue", _("Titre émis")), ("paid", _("Titre payé")), ("cancel", _("Annuler la dernière étape"))],
    )
    reference = forms.CharField(label=_("Référence du titre"), max_length=60, required=False)
    on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)


class TerminationForm(DsfrForm):
    notice_date = forms.DateField(
        label=_("Date d'envoi de la mise en demeure (lettre recommandée avec accusé de réception)"),
        widget=DateInput(),
        initial=timezone.localdate,
    )
    grievances = forms.CharField(
        label=_("Griefs exposés à l'autre partie"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000
    )


class TerminationLetterForm(DsfrForm):
    letter_date = forms.DateField(
        label=_("Date d'envoi de la lettre de résiliation (recommandée avec accusé de réception)"),
        widget=DateInput(),
        initial=timezone.localdate,
    )
    reasons = forms.CharField(
        label=_("Motifs de la résiliation"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )


class AbandonForm(DsfrForm):
    note = forms.CharField(
        label=_("Issue de la conciliation"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )
