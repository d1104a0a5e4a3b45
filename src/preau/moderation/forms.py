from django import forms
from django.utils.translation import gettext_lazy as _

from preau.core.forms import DsfrForm

from .models import Decision, Report, WordList


class ReportForm(DsfrForm):
    reason = forms.ChoiceField(label=_("Raison"), choices=Report.Reason.choices)
    details = forms.CharField(
        label=_("Précisions (facultatif)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(DsfrForm):
    verb = forms.ChoiceField(choices=Decision.Verb.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Motif, transmis à l'auteur"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WordListForm(DsfrForm):
    words = forms.CharField(
        label=_("Mots et expressions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Un mot ou une expression par ligne ; les accents, majuscules et lettres répétées sont ignorés."),
    )

    def __init__(self, *args, category: str, **kwargs):
        super().__init__(*args, prefix=category, **kwargs)
        self.fields["words"].label = WordList.Category(category).label
