"""Forms of the cahier de textes. Checkbox and radio groups render as DSFR fieldsets
(homework/_choices.html); the other fields through core/form_fields.html, by subsets."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from preau.core.forms import DsfrForm, RichTextField

from .subjects import SUBJECTS, subjects_for_levels

NOW, LATER, DRAFT = "now", "later", "draft"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class Fields:
    """Some of a form's fields, for core/form_fields.html (which iterates over a form)."""

    def __init__(self, form: forms.Form, names: list[str]):
        self.form, self.names = form, [name for name in names if name in form.fields]

    def __iter__(self):
        return (self.form[name] for name in self.names)

    def non_field_errors(self):
        return self.form.non_field_errors()


def class_choices(classes) -> list[tuple[str, str]]:
    several_schools = len({c.school_id for c in classes}) > 1
    return [(str(c.pk), f"{c.name} — {c.school.name}" if several_schools else c.name) for c in classes]


class ItemForm(DsfrForm):
    """What a séance and a work share: classes, subject, title, text, links, files, publication."""

    CHOICE_FIELDS = ("classes", "remove_attachments", "publication")
    DATE_FIELDS: tuple[str, ...] = ()  # the dates of the kind of item, as the actions name them

    classes = forms.MultipleChoiceField(label=_("Classes"), widget=forms.CheckboxSelectMultiple)
    subject = forms.ChoiceField(label=_("Matière"), choices=SUBJECTS)
    title = forms.CharField(label=_("Titre"), max_length=200)
    body = RichTextField(label=_("Contenu"), required=False)
    links = forms.CharField(
        label=_("Liens vers des ressources"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Une adresse par ligne ; « Titre | https://… » pour lui donner un nom."),
    )
    files = MultipleFileField(
        label=_("Pièces jointes"),
        required=False,
        help_text=_("PDF, documents, images, sons ou vidéos ; 10 Mo par fichier."),
    )
    remove_attachments = forms.MultipleChoiceField(
        label=_("Retirer des pièces jointes"), required=False, widget=forms.CheckboxSelectMultiple
    )
    publication = forms.ChoiceField(
        label=_("Publication"),
        widget=forms.RadioSelect,
        initial=NOW,
        choices=[
            (NOW, _("Publier maintenant")),
            (LATER, _("Programmer la publication")),
            (DRAFT, _("Garder en brouillon (invisible des élèves et des familles)")),
        ],
    )
    publish_at = forms.DateTimeField(
        label=_("Date et heure de publication"),
        required=False,
        widget=DateTimeLocalInput,
        help_text=_("Seulement pour une publication programmée."),
    )

    def __init__(self, *args, classes=(), item=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        if item is None:
            self.fields["classes"].choices = class_choices(classes)
            levels = " ".join(c.levels for c in classes)
            del self.fields["remove_attachments"]
        else:
            del self.fields["classes"]
            levels = item.school_class.levels
            self.fields["remove_attachments"].choices = [(str(a.pk), a.name) for a in item.attachments.all()]
            if not self.fields["remove_attachments"].choices:
                del self.fields["remove_attachments"]
            self.initial = {**self._initial_of(item), **self.initial}
        self.fields["subject"].choices = subjects_for_levels(levels)

    def _initial_of(self, item) -> dict:
        """On an edit form: the item as it is, its publication included."""
        initial = {name: getattr(item, name) for name in (*self.DATE_FIELDS, "subject", "title", "body")}
        initial["links"] = "\n".join(f"{link['label']} | {link['url']}" for link in item.links)
        if item.publish_at is None:
            initial["publication"] = DRAFT
        elif item.publish_at > timezone.now():
            initial["publication"] = LATER
            initial["publish_at"] = timezone.localtime(item.publish_at)
        else:
            initial["publication"] = NOW
        return initial

    def dates(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.DATE_FIELDS}

    @property
    def plain_fields(self) -> Fields:
        return Fields(self, [n for n in self.fields if n not in self.CHOICE_FIELDS and n != "publish_at"])

    @property
    def schedule_fields(self) -> Fields:
        return Fields(self, ["publish_at"])

    def clean(self):
        data = super().clean()
        choice, when = data.get("publication"), data.get("publish_at")
        if choice == LATER:
            if when is None:
                self.add_error("publish_at", _("Indiquez quand publier."))
            elif when <= timezone.now():
                self.add_error("publish_at", _("Choisissez un moment à venir, ou publiez maintenant."))
        data["publish_at_value"] = {NOW: timezone.now(), LATER: when, DRAFT: None}.get(choice)
        return data


class EntryForm(ItemForm):
    DATE_FIELDS = ("date",)

    date = forms.DateField(label=_("Date de la séance"), widget=DateInput)

    field_order = ["classes", "date", "subject", "title", "body", "links", "files"]


class WorkForm(ItemForm):
    DATE_FIELDS = ("assigned_on", "due_date")

    assigned_on = forms.DateField(label=_("Donné le"), widget=DateInput)
    due_date = forms.DateField(label=_("Pour le"), widget=DateInput)

    field_order = ["classes", "assigned_on", "due_date", "subject", "title", "body", "links", "files"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].label = _("Consignes")
        self.fields["body"].required = True


class CopyWeekForm(DsfrForm):
    week_of = forms.DateField(label=_("Semaine à copier (un jour de cette semaine)"), widget=DateInput)
    target = forms.ChoiceField(label=_("Vers la classe"))
    target_week_of = forms.DateField(
        label=_("Vers la semaine (un jour de cette semaine)"),
        required=False,
        widget=DateInput,
        help_text=_("Laissez vide pour la même semaine."),
    )
    as_drafts = forms.BooleanField(label=_("Copier en brouillon, pour relire avant de publier"), required=False)

    def __init__(self, *args, classes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = class_choices(classes)


class SettingsForm(DsfrForm):
    track_done = forms.BooleanField(
        label=_("Les élèves (ou leurs familles) indiquent le travail fait"),
        required=False,
        help_text=_("Vous voyez alors qui a fait chaque travail."),
    )


PERIODS = [("semaine", _("Semaine")), ("mois", _("Mois")), ("annee", _("Année scolaire"))]


class HistoryForm(DsfrForm):
    periode = forms.ChoiceField(label=_("Période"), choices=PERIODS, required=False)
    jour = forms.DateField(label=_("Autour du"), widget=DateInput, required=False)
    matiere = forms.ChoiceField(label=_("Matière"), required=False)

    def __init__(self, *args, levels: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matiere"].choices = [("", _("Toutes les matières")), *subjects_for_levels(levels)]

    def period(self, year: int) -> tuple[str, datetime.date, datetime.date, str]:
        """The chosen period as (kind, first day, last day, subject), within the school year."""
        data = self.cleaned_data if self.is_valid() else {}
        kind = data.get("periode") or "semaine"
        day = data.get("jour") or timezone.localdate()
        year_start, year_end = datetime.date(year, 8, 1), datetime.date(year + 1, 7, 31)
        day = min(max(day, year_start), year_end)
        if kind == "annee":
            start, end = year_start, year_end
        elif kind == "mois":
            start = day.replace(day=1)
            end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
        else:
            start = day - datetime.timedelta(days=day.weekday())
            end = start + datetime.timedelta(days=6)
        return kind, start, end, data.get("matiere") or ""
