from django import forms
from django.utils.translation import gettext_lazy as _

from preau.core.forms import DsfrForm, RichTextField

from .models import Event


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class EventForm(DsfrForm):
    target = forms.ChoiceField(label=_("Agenda"))
    title = forms.CharField(label=_("Titre"), max_length=200)
    category = forms.ChoiceField(label=_("Catégorie"), choices=Event.Category.choices, initial=Event.Category.OTHER)
    all_day = forms.BooleanField(label=_("Toute la journée"), required=False, initial=True)
    starts_on = forms.DateField(label=_("Premier jour"), widget=DateInput)
    start_time = forms.TimeField(
        label=_("Heure de début"), required=False, widget=TimeInput, help_text=_("Sauf « toute la journée ».")
    )
    ends_on = forms.DateField(
        label=_("Dernier jour"), required=False, widget=DateInput, help_text=_("Vide : le même jour.")
    )
    end_time = forms.TimeField(
        label=_("Heure de fin"), required=False, widget=TimeInput, help_text=_("Sauf « toute la journée ».")
    )
    place = forms.CharField(label=_("Lieu"), max_length=200, required=False)
    description = RichTextField(label=_("Description"), required=False, max_length=20_000)

    FIELDS = ("title", "category", "all_day", "starts_on", "start_time", "ends_on", "end_time", "place", "description")

    def __init__(self, *args, targets=(), editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["target"]
        else:
            self.fields["target"].choices = [(t.key, t.label) for t in targets]

    def event_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}
