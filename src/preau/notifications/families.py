"""Which child a notice is about, said to each parent: "Léa — CE1 A : nouveau mot à signer".

A notice names the pupils it concerns; each recipient who is the guardian of some of them sees
their own children's first names and classes, and the school too when their children are in
several schools. Two queries for the whole list of recipients.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.utils.translation import gettext as _

from preau.directory.models import Enrolment, GuardianLink, current_school_year


def concerns_for(recipient_ids: Iterable[int], pupil_ids: Iterable[int]) -> dict[int, str]:
    """recipient id → "Léa — CE1 A" (or "Léa — CE1 A, École X · Hugo — CM2, École Y") for parents."""
    pupil_ids = set(pupil_ids)
    if not pupil_ids:
        return {}
    links = GuardianLink.objects.filter(
        guardian_id__in=list(recipient_ids), child_id__in=pupil_ids, child__is_active=True
    ).values_list("guardian_id", "child_id", "child__first_name")
    concerned: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for guardian_id, child_id, first_name in links:
        concerned[guardian_id].append((child_id, first_name))
    if not concerned:
        return {}
    # Every child of these parents, to know whose family spans several schools.
    family_classes = Enrolment.objects.filter(
        school_class__year=current_school_year(),
        pupil__is_active=True,
        pupil__guardian_links__guardian_id__in=list(concerned),
    ).values_list("pupil__guardian_links__guardian_id", "pupil_id", "school_class__name", "school_class__school__name")
    schools: dict[int, set[str]] = defaultdict(set)
    classes: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for guardian_id, child_id, class_name, school_name in family_classes:
        schools[guardian_id].add(school_name)
        if (class_name, school_name) not in classes[child_id]:
            classes[child_id].append((class_name, school_name))
    return {
        guardian_id: " · ".join(
            _label(first_name, classes.get(child_id, []), several_schools=len(schools[guardian_id]) > 1)
            for child_id, first_name in sorted(children, key=lambda child: child[1])
        )
        for guardian_id, children in concerned.items()
    }


def _label(first_name: str, classes: list[tuple[str, str]], *, several_schools: bool) -> str:
    if not classes:
        return first_name
    class_names = " / ".join(sorted({name for name, _school in classes}))
    if several_schools:
        school_names = " / ".join(sorted({school for _name, school in classes}))
        return _("%(child)s — %(class)s, %(school)s") % {
            "child": first_name,
            "class": class_names,
            "school": school_names,
        }
    return _("%(child)s — %(class)s") % {"child": first_name, "class": class_names}
