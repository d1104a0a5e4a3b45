"""Accounts for the load scenario, taken at random in the académie that `generate_academie` built.

Usage: `python bench/prepare.py OUT.json [--parents N] [--teachers N] [--pupils N] [--seed S]`
(DJANGO_SETTINGS_MODULE and DATABASE_URL as for the server).

Parents, teachers and directors get one known password, written in bulk with ONE hash made
once (signing in still checks it with the real argon2 cost; preparing does not pay it per
account). Pupils get a login card (the token is kept in the file, only its digest in the
database). Everyone is activated and has accepted the charte, as on a school morning in
November. The file lists, for each account, what its pages need: its children and their
classes, its classes and schools.
"""

import argparse
import json
import os
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "preau.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from preau.accounts.codes import new_card_token, token_digest  # noqa: E402
from preau.accounts.models import CharteAcceptance, LoginCard  # noqa: E402
from preau.demo.data import publish_default_charte  # noqa: E402
from preau.directory.models import (  # noqa: E402
    Enrolment,
    GuardianLink,
    Person,
    Profile,
    Role,
    SchoolClass,
    Teaching,
    current_school_year,
)

# Public on purpose: bench accounts live only in the throwaway bench database.
BENCH_PASSWORD = "banc-d-essai-2026"  # noqa: S105


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--parents", type=int, default=3000)
    parser.add_argument("--teachers", type=int, default=400)
    parser.add_argument("--directors", type=int, default=150)
    parser.add_argument("--pupils", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=8)
    options = parser.parse_args()
    started = time.monotonic()
    rng = random.Random(options.seed)
    year = current_school_year()
    classes = dict(SchoolClass.objects.filter(year=year).values_list("id", "school__uai"))
    if not classes:
        sys.exit("Aucune classe cette année : lancez d'abord `preau generate_academie`.")
    class_ids = sorted(classes)
    rng.shuffle(class_ids)

    parents = _parents(class_ids, classes, options.parents)
    teachers = _teachers(class_ids, classes, options.teachers)
    directors = _directors(rng, options.directors)
    pupils = _pupils(class_ids, classes, options.pupils)
    adults = [*parents, *teachers, *directors]
    with transaction.atomic():
        _activate([a["id"] for a in adults] + [p["id"] for p in pupils])
        tokens = _cards([p["id"] for p in pupils])
    for pupil in pupils:
        pupil["token"] = tokens[pupil["id"]]
    options.out.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "password": BENCH_PASSWORD,
        "parents": parents,
        "teachers": teachers,
        "directors": directors,
        "pupils": pupils,
        "probe": teachers[0] if teachers else parents[0],
    }
    options.out.write_text(json.dumps(data, ensure_ascii=False))
    counts = ", ".join(f"{len(data[k])} {k}" for k in ("parents", "teachers", "directors", "pupils"))
    print(f"Comptes du banc d'essai : {counts} ({time.monotonic() - started:.1f} s) → {options.out}")


def _parents(class_ids: list[int], uai_of: dict[int, str], wanted: int) -> list[dict]:
    """Guardians of pupils of randomly chosen classes, with all their children of this year."""
    chosen: dict[int, dict] = {}
    for start in range(0, len(class_ids), 50):
        batch = class_ids[start : start + 50]
        links = GuardianLink.objects.filter(
            child__enrolments__school_class_id__in=batch, child__is_active=True
        ).values_list("guardian_id", "guardian__username")
        for guardian_id, username in links:
            chosen.setdefault(guardian_id, {"id": guardian_id, "username": username, "children": []})
            if len(chosen) >= wanted:
                break
        if len(chosen) >= wanted:
            break
    children = Enrolment.objects.filter(
        pupil__guardian_links__guardian_id__in=list(chosen), school_class__year=current_school_year()
    ).values_list("pupil__guardian_links__guardian_id", "pupil_id", "school_class_id")
    for guardian_id, pupil_id, class_id in children:
        if guardian_id in chosen:
            chosen[guardian_id]["children"].append({"id": pupil_id, "class_id": class_id, "uai": uai_of[class_id]})
    return [p for p in chosen.values() if p["children"]]


def _teachers(class_ids: list[int], uai_of: dict[int, str], wanted: int) -> list[dict]:
    """Teachers of randomly chosen classes, with every class they teach this year."""
    teachings = Teaching.objects.filter(school_class_id__in=class_ids[: wanted * 2]).values_list(
        "teacher_id", "teacher__username", "school_class_id"
    )
    teachers: dict[int, dict] = {}
    for teacher_id, username, class_id in teachings:
        teacher = teachers.setdefault(teacher_id, {"id": teacher_id, "username": username, "classes": []})
        teacher["classes"].append({"id": class_id, "uai": uai_of[class_id]})
    return list(teachers.values())[:wanted]


def _directors(rng: random.Random, wanted: int) -> list[dict]:
    """Directors of random schools, with their school's classes of this year."""
    rows = list(
        Role.objects.filter(profile=Profile.DIRECTOR).values_list(
            "person_id", "person__username", "school_id", "school__uai"
        )
    )
    rng.shuffle(rows)
    rows = rows[:wanted]
    classes = defaultdict(list)
    for class_id, school_id in SchoolClass.objects.filter(
        school_id__in=[row[2] for row in rows], year=current_school_year()
    ).values_list("id", "school_id"):
        classes[school_id].append(class_id)
    return [
        {"id": pk, "username": username, "uai": uai, "classes": [{"id": c, "uai": uai} for c in classes[school_id]]}
        for pk, username, school_id, uai in rows
        if classes[school_id]
    ]


def _pupils(class_ids: list[int], uai_of: dict[int, str], wanted: int) -> list[dict]:
    """Pupils of randomly chosen classes, whole classes at a time (as a class signs in)."""
    rows = Enrolment.objects.filter(school_class_id__in=class_ids[: max(1, wanted // 15)]).values_list(
        "pupil_id", "school_class_id"
    )
    return [{"id": pk, "class_id": class_id, "uai": uai_of[class_id]} for pk, class_id in rows[:wanted]]


def _activate(person_ids: list[int]) -> None:
    """One hash for every bench account, the charte accepted, nobody locked out."""
    now = timezone.now()
    person_ids = list(dict.fromkeys(person_ids))  # a director is one of the teachers too
    password = make_password(BENCH_PASSWORD)
    for start in range(0, len(person_ids), 5000):
        Person.objects.filter(pk__in=person_ids[start : start + 5000]).update(
            password=password, activated_at=now, must_change_password=False, failed_logins=0, locked_until=None
        )
    charte = publish_default_charte(now)
    accepted = set(CharteAcceptance.objects.filter(charte=charte).values_list("person_id", flat=True))
    CharteAcceptance.objects.bulk_create(
        [CharteAcceptance(person_id=pk, charte=charte) for pk in person_ids if pk not in accepted], batch_size=5000
    )


def _cards(pupil_ids: list[int]) -> dict[int, str]:
    """A fresh login card per pupil; the picture code is one hash for all (never used here)."""
    LoginCard.objects.filter(pupil_id__in=pupil_ids, revoked_at__isnull=True).update(revoked_at=timezone.now())
    picture_hash = make_password("bench-pictures")
    tokens = {pk: new_card_token() for pk in pupil_ids}
    LoginCard.objects.bulk_create(
        [
            LoginCard(pupil_id=pk, token_digest=token_digest(t), picture_code_hash=picture_hash)
            for pk, t in tokens.items()
        ],
        batch_size=5000,
    )
    return tokens


if __name__ == "__main__":
    main()
