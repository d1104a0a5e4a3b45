"""Forms of the messagerie. The recipient picker is rendered by hand (see compose.html): the
people and lists it offers come from `rules`, and the action refuses anything else."""

from django import forms
from django.utils.translation import gettext_lazy as _

from preau.core.forms import DsfrForm, RichTextField

from .display import DAY_NAMES
from .models import CommunicationRules


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class ComposeForm(DsfrForm):
    subject = forms.CharField(label=_("Objet"), max_length=200, required=False)
    body = RichTextField(label=_("Message"), required=False)
    files = MultipleFileField(
        label=_("Pièces jointes"),
        required=False,
        help_text=_("Documents, images, sons ou vidéos ; 10 Mo au plus par fichier."),
    )
    urgent = forms.BooleanField(
        label=_("Message urgent"),
        required=False,
        help_text=_("Il est remis tout de suite, même pendant les heures de tranquillité des familles."),
    )

    def __init__(self, *args, may_send_urgent: bool = False, max_file_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if not may_send_urgent:
            del self.fields["urgent"]
        if max_file_label:
            self.fields["files"].help_text = _("Documents, images, sons ou vidéos ; %(size)s au plus par fichier.") % {
                "size": max_file_label
            }


class ReportForm(DsfrForm):
    reason = forms.CharField(
        label=_("Ce qui pose problème"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("La direction de l'école lira votre signalement et le message."),
    )


class SuspensionForm(DsfrForm):
    school = forms.ModelChoiceField(label=_("École"), queryset=None, empty_label=None)
    reason = forms.CharField(
        label=_("Motif"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("La personne lira ce motif quand elle voudra écrire."),
    )

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools


class RulesForm(DsfrForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in CommunicationRules.RULE_FIELDS:
            model_field = CommunicationRules._meta.get_field(name)
            self.fields[name] = forms.BooleanField(label=model_field.verbose_name.capitalize(), required=False)


class ClassRuleForm(DsfrForm):
    pupils_write_classmates = forms.BooleanField(
        label=_("Les élèves de la classe peuvent s'écrire entre camarades"), required=False
    )


class AnsweringHoursForm(DsfrForm):
    days = forms.MultipleChoiceField(
        label=_("Jours"),
        choices=[(code, name.capitalize()) for code, name in DAY_NAMES.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    start = forms.TimeField(label=_("À partir de"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(label=_("Jusqu'à"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    note = forms.CharField(
        label=_("Précision (facultatif)"),
        max_length=200,
        required=False,
        help_text=_("Par exemple : « sauf le mercredi après-midi »."),
    )
