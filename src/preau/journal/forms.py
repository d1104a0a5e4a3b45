from django import forms
from django.utils.translation import gettext_lazy as _

from preau.core.forms import DsfrForm
from preau.homework.subjects import SUBJECTS

from .actions import MAX_REPEAT
from .models import Organisation


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


def class_choices(classes) -> list[tuple[str, str]]:
    several_schools = len({c.school_id for c in classes}) > 1
    return [(str(c.pk), f"{c.name} — {c.school.name}" if several_schools else c.name) for c in classes]


class ClassFormMixin:
    """A choice among the classes the teacher teaches; `cleaned_data["school_class"]` is the class."""

    def set_classes(self, classes) -> None:
        self._classes = {str(c.pk): c for c in classes}
        self.fields["school_class"].choices = class_choices(classes)

    def clean_school_class(self):
        return self._classes[self.cleaned_data["school_class"]]


def text_area(label, rows: int = 3, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label, required=False, max_length=5_000, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


class SlotForm(ClassFormMixin, DsfrForm):
    school_class = forms.ChoiceField(label=_("Classe"))
    date = forms.DateField(label=_("Date"), widget=DateInput)
    starts_at = forms.TimeField(label=_("Début"), widget=TimeInput)
    ends_at = forms.TimeField(label=_("Fin"), widget=TimeInput)
    subject = forms.ChoiceField(label=_("Discipline"), choices=SUBJECTS)
    title = forms.CharField(label=_("Intitulé de la séance"), max_length=200)
    objectives = text_area(_("Objectifs"))
    organisation = forms.ChoiceField(
        label=_("Organisation"), required=False, choices=[("", _("— non précisée —")), *Organisation.choices]
    )
    material = text_area(_("Matériel"), rows=2)
    assessment = text_area(_("Évaluation"), rows=2)
    review = text_area(_("Bilan"), help_text=_("Après la séance : ce qui a marché, ce qui est à reprendre."))

    CONTENT = ("starts_at", "ends_at", "subject", "title", "objectives", "organisation", "material", "assessment")

    def __init__(self, *args, classes=(), editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["school_class"], self.fields["date"]
        else:
            del self.fields["review"]
            self.set_classes(classes)

    def content(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.CONTENT}


class ReviewForm(DsfrForm):
    review = text_area(_("Bilan de la séance"), rows=2)


class TemplateSaveForm(DsfrForm):
    name = forms.CharField(
        label=_("Nom de la journée type"), max_length=80, help_text=_("Par exemple : lundi type, mercredi piscine.")
    )


class TemplateApplyForm(DsfrForm):
    template = forms.ChoiceField(label=_("Journée type"))
    replace = forms.BooleanField(label=_("Remplacer les séances déjà prévues ce jour-là"), required=False)

    def __init__(self, *args, templates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._templates = {str(t.pk): t for t in templates}
        self.fields["template"].choices = [(str(t.pk), t.name) for t in templates]

    def clean_template(self):
        return self._templates[self.cleaned_data["template"]]


class CopyForm(ClassFormMixin, DsfrForm):
    school_class = forms.ChoiceField(label=_("Classe"))
    what = forms.ChoiceField(
        label=_("Que copier ?"),
        choices=[("jour", _("la journée")), ("semaine", _("toute la semaine de cette journée"))],
        initial="jour",
    )
    source = forms.DateField(label=_("Journée (ou jour de la semaine) à copier"), widget=DateInput)
    target = forms.DateField(label=_("Copier sur le"), widget=DateInput)
    repeat = forms.IntegerField(
        label=_("Nombre de semaines"),
        min_value=1,
        max_value=MAX_REPEAT,
        initial=1,
        help_text=_("1 : seulement cette date ; 3 : cette date et les deux semaines suivantes."),
    )
    replace = forms.BooleanField(label=_("Remplacer les séances déjà prévues à l'arrivée"), required=False)

    def __init__(self, *args, classes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.set_classes(classes)


class ShareForm(DsfrForm):
    replacement = forms.ModelChoiceField(label=_("Remplaçant·e"), queryset=None, empty_label=_("— choisir —"))
    starts_on = forms.DateField(label=_("Du"), widget=DateInput)
    ends_on = forms.DateField(label=_("Au (inclus)"), widget=DateInput)

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replacement"].queryset = candidates
