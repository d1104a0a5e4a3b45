"""Forms of the consoles. They parse and check shapes; the actions decide and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from preau.core.forms import DsfrForm

from .models import Circonscription, Commune, Departement, School
from .validators import normalize_siret, normalize_uai, validate_siret, validate_uai

LEAVES = "depart"


class SchoolForm(DsfrForm):
    uai = forms.CharField(
        label=_("Code UAI"),
        max_length=12,
        help_text=_("7 chiffres et une lettre de contrôle, par exemple 0651067G."),
    )
    name = forms.CharField(label=_("Nom de l'école"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=School.Kind.choices)
    sector = forms.ChoiceField(label=_("Secteur"), choices=School.Sector.choices)
    circonscription = forms.ModelChoiceField(label=_("Circonscription"), queryset=Circonscription.objects.none())
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=Commune.objects.none())
    address = forms.CharField(label=_("Adresse"), max_length=300, required=False)
    postcode = forms.CharField(label=_("Code postal"), max_length=5, required=False)
    city = forms.CharField(label=_("Ville"), max_length=120, required=False)
    email = forms.EmailField(label=_("Courriel de l'école"), required=False)
    is_active = forms.BooleanField(label=_("École active dans Préau"), required=False, initial=True)

    def __init__(self, *args, academie_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["circonscription"].queryset = Circonscription.objects.filter(
            departement__academie_id__in=academie_ids
        ).select_related("departement")
        self.fields["commune"].queryset = Commune.objects.filter(departement__academie_id__in=academie_ids)

    def clean_uai(self) -> str:
        uai = normalize_uai(self.cleaned_data["uai"])
        validate_uai(uai)
        return uai


class CommuneForm(DsfrForm):
    name = forms.CharField(label=_("Nom de la commune"), max_length=120)
    departement = forms.ModelChoiceField(label=_("Département"), queryset=Departement.objects.none())
    siret = forms.CharField(label=_("SIRET"), max_length=20, help_text=_("14 chiffres ; les espaces sont acceptés."))
    insee_code = forms.CharField(label=_("Code INSEE"), max_length=5, required=False)
    address = forms.CharField(label=_("Adresse de la mairie"), max_length=300, required=False)

    def __init__(self, *args, academie_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].queryset = Departement.objects.filter(academie_id__in=academie_ids)

    def clean_siret(self) -> str:
        siret = normalize_siret(self.cleaned_data["siret"])
        validate_siret(siret)
        return siret


class CirconscriptionForm(DsfrForm):
    departement = forms.ModelChoiceField(label=_("Département"), queryset=Departement.objects.none())
    name = forms.CharField(label=_("Nom"), max_length=120)
    code = forms.CharField(label=_("Code"), max_length=20, required=False)

    def __init__(self, *args, academie_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].queryset = Departement.objects.filter(academie_id__in=academie_ids)


class AdministratorForm(DsfrForm):
    username = forms.CharField(
        label=_("Identifiant"),
        max_length=150,
        help_text=_(
            "Une personne déjà inscrite reçoit le profil ; sinon son compte est créé avec les nom et prénom ci-dessous."
        ),
    )
    first_name = forms.CharField(label=_("Prénom (nouveau compte)"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nom (nouveau compte)"), max_length=150, required=False)
    email = forms.EmailField(label=_("Courriel (nouveau compte)"), required=False)

    def __init__(self, *args, academie_ids=None, **kwargs):
        # Same signature as the other forms of the console; the académie is in the URL.
        super().__init__(*args, **kwargs)


class AuditSearchForm(DsfrForm):
    who = forms.CharField(
        label=_("Personne"),
        required=False,
        help_text=_("Nom ou identifiant de l'auteur ou de la personne concernée."),
    )
    action = forms.CharField(
        label=_("Action"),
        required=False,
        help_text=_("Début du code, par exemple « accounts. » ou « directory.class_viewed »."),
    )
    date_from = forms.DateField(
        label=_("Du"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("Au"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def filters(self) -> dict:
        """The filters for `audit_entries_visible_to`, empty for a form that did not validate."""
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}


class RolloverForm(DsfrForm):
    """The rentrée: for each class of last year, its successor; for each pupil, their class.

    Fields are made from the data: `name_<key>`, `levels_<key>`, `teachers_<key>` for each new
    class (the key is the old class id, or `new1`, `new2` for classes that did not exist), and
    `pupil_<id>` for each pupil, whose value is a key or LEAVES.
    """

    EXTRA_CLASSES = ("new1", "new2")

    def __init__(self, *args, old_classes, teachers, **kwargs):
        super().__init__(*args, **kwargs)
        self.old_classes = old_classes
        teacher_choices = [(t.id, t.full_name) for t in teachers]
        self.slots = []
        for old in old_classes:
            self._add_slot(
                str(old.id),
                old.name,
                old.levels,
                [t.id for t in old.teachers.all()],
                teacher_choices,
                label=_("Suite de la classe %(name)s") % {"name": old.name},
            )
        for index, key in enumerate(self.EXTRA_CLASSES, start=1):
            self._add_slot(
                key,
                "",
                "",
                [],
                teacher_choices,
                label=_("Nouvelle classe %(number)s") % {"number": index},
            )
        destinations = [(LEAVES, _("Quitte l'école")), *self.slots]
        self.pupil_rows = []
        for old in old_classes:
            # Pupils of a CM2-only class leave for the collège unless the director says otherwise.
            initial = LEAVES if old.levels.split() == ["CM2"] else str(old.id)
            for pupil in old.pupils.all():
                name = f"pupil_{pupil.id}"
                self.fields[name] = forms.ChoiceField(
                    label=pupil.full_name,
                    choices=destinations,
                    initial=initial,
                    widget=forms.Select(attrs={"class": "fr-select"}),
                )
                self.pupil_rows.append((old, pupil, name))

    def _add_slot(self, key, name, levels, teacher_ids, teacher_choices, *, label):
        self.fields[f"name_{key}"] = forms.CharField(
            label=_("Nom de la classe"),
            max_length=80,
            required=False,
            initial=name,
            widget=forms.TextInput(attrs={"class": "fr-input"}),
        )
        self.fields[f"levels_{key}"] = forms.CharField(
            label=_("Niveaux"),
            max_length=40,
            required=False,
            initial=levels,
            help_text=_("Par exemple « CE1 CE2 »."),
            widget=forms.TextInput(attrs={"class": "fr-input"}),
        )
        self.fields[f"teachers_{key}"] = forms.MultipleChoiceField(
            label=_("Enseignant·es"),
            choices=teacher_choices,
            required=False,
            initial=teacher_ids,
            widget=forms.CheckboxSelectMultiple,
        )
        self.slots.append((key, label))

    def slot_fields(self):
        """(label, name field, levels field, teachers field) per new class, for the template."""
        return [
            (label, self[f"name_{key}"], self[f"levels_{key}"], self[f"teachers_{key}"]) for key, label in self.slots
        ]

    def pupil_groups(self):
        """(old class, [(pupil, bound field)]) for each class of last year, for the template."""
        return [
            (old, [(pupil, self[name]) for row_class, pupil, name in self.pupil_rows if row_class is old])
            for old in self.old_classes
        ]

    def clean(self):
        cleaned = super().clean()
        opened = {key for key, _label in self.slots if (cleaned.get(f"name_{key}") or "").strip()}
        for _old, pupil, name in self.pupil_rows:
            destination = cleaned.get(name)
            if destination and destination != LEAVES and destination not in opened:
                self.add_error(
                    name,
                    _(
                        "%(pupil)s va dans une classe qui n'a pas de nom : nommez"
                        " cette classe ou choisissez-en une autre."
                    )
                    % {"pupil": pupil.full_name},
                )
        return cleaned

    def plan(self):
        """The `NewClass` list for `roll_over_school_year`, from a valid form."""
        from .actions import NewClass

        classes = {}
        for key, _label in self.slots:
            name = self.cleaned_data[f"name_{key}"].strip()
            if name:
                classes[key] = NewClass(
                    name=name,
                    levels=self.cleaned_data[f"levels_{key}"],
                    teacher_ids=[int(t) for t in self.cleaned_data[f"teachers_{key}"]],
                )
        for _old, pupil, name in self.pupil_rows:
            destination = self.cleaned_data[name]
            if destination != LEAVES:
                classes[destination].pupil_ids.append(pupil.id)
        return list(classes.values())
