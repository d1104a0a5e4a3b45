"""Who writes, reads, signs, follows and reminds in the cahier de liaison.

Every predicate reads the person's `Access` (loaded once per request) and the objects given,
never the database. The table of `tests/test_policy_matrix.py` is these rules for every
profile; `queries.py` writes the same rules in SQL.

- Writers: a class's teachers write to its families (the class, a group they own, one
  child); the school's director to any of the school's classes, groups and children and to
  the whole school; the commune's référent and contributeurs to the families of the
  commune's schools (all, chosen ones, or a périscolaire group). Périscolaire staff do not
  write (see DECISIONS.md).
- Readers: each targeted child's guardians, in that child's notebook; the child, read-only.
- Signers: a legal guardian of the child (the action also checks the parental authority).
- Followers (who sees per child who signed, the answers and the replies): the author, the
  publication director (the school's director for a school note, the commune's référent
  for a commune note), and for a school note the teachers of each child's class.
"""

from preau.directory.models import Profile, School, SchoolClass
from preau.directory.queries import access_of

from .models import Note, NoteChild

COMMUNE_WRITERS = frozenset({Profile.CITY_REFERENT, Profile.CITY_CONTRIBUTOR})


def _pk(person) -> int | None:
    return getattr(person, "pk", None)


def directed_school_ids(person) -> set[int]:
    return access_of(person).school_ids(Profile.DIRECTOR)


def written_commune_ids(person) -> set[int]:
    """Communes where the person writes to families (référent, contributeur)."""
    return {r.commune_id for r in access_of(person).roles if r.profile in COMMUNE_WRITERS}


def referent_commune_ids(person) -> set[int]:
    return {r.commune_id for r in access_of(person).roles if r.profile == Profile.CITY_REFERENT}


# --- Writing ---------------------------------------------------------------------------------


def can_write_to_class(person, school_class: SchoolClass) -> bool:
    access = access_of(person)
    if school_class.year != access.year:
        return False
    return school_class.id in access.taught_class_ids or school_class.school_id in directed_school_ids(person)


def can_write_to_child(person, child_class: SchoolClass) -> bool:
    """One child, known by their class of this year: the same people as for the class."""
    return can_write_to_class(person, child_class)


def can_write_to_school(person, school: School) -> bool:
    return school.id in directed_school_ids(person)


def can_write_to_group(person, group) -> bool:
    """A school's group: its director, or the teacher of the school who owns it; a
    périscolaire group: the commune's référent and contributeurs."""
    access = access_of(person)
    if group.year != access.year:
        return False
    if group.school_id is not None:
        return group.school_id in directed_school_ids(person) or (
            group.owner_id == _pk(person) and group.school_id in access.school_ids(Profile.TEACHER)
        )
    return group.commune_id in written_commune_ids(person)


def can_write_to_commune(person, commune) -> bool:
    return commune.id in written_commune_ids(person)


def can_write_somewhere(person) -> bool:
    access = access_of(person)
    return bool(access.taught_class_ids or directed_school_ids(person) or written_commune_ids(person))


# --- Reading and signing ---------------------------------------------------------------------


def is_guardian_of(person, pupil_id: int) -> bool:
    return pupil_id in access_of(person).child_ids


def can_read_in_notebook(person, recipient: NoteChild) -> bool:
    """The child's guardians, and the child (read-only)."""
    return is_guardian_of(person, recipient.pupil_id) or (
        recipient.pupil_id == _pk(person) and access_of(person).has(Profile.PUPIL)
    )


def can_sign(person, note: Note, recipient: NoteChild) -> bool:
    return note.requires_ack and is_guardian_of(person, recipient.pupil_id)


def can_answer(person, note: Note, recipient: NoteChild) -> bool:
    return note.has_form and is_guardian_of(person, recipient.pupil_id)


# --- Following, reminding, replying ----------------------------------------------------------


def is_publication_director(person, note: Note) -> bool:
    if note.origin == Note.Origin.SCHOOL:
        return note.school_id in directed_school_ids(person)
    return note.commune_id in referent_commune_ids(person)


def can_manage_note(person, note: Note) -> bool:
    """See every child's state and remind the families: the author and the publication director."""
    return (note.author_id is not None and note.author_id == _pk(person)) or is_publication_director(person, note)


def followed_class_ids(person, note: Note) -> set[int]:
    """The classes whose children a teacher follows in a school note (none for commune notes)."""
    if note.origin != Note.Origin.SCHOOL:
        return set()
    return access_of(person).taught_class_ids & set(note.class_ids)


def can_follow_note(person, note: Note) -> bool:
    return can_manage_note(person, note) or bool(followed_class_ids(person, note))


def follows_child(person, note: Note, recipient: NoteChild) -> bool:
    if can_manage_note(person, note):
        return True
    return note.origin == Note.Origin.SCHOOL and recipient.school_class_id in access_of(person).taught_class_ids


def can_remind(person, note: Note) -> bool:
    return note.requires_ack and can_manage_note(person, note)


def can_reply(person, note: Note, recipient: NoteChild) -> bool:
    """A guardian when the note allows replies; the staff who follow the child, always."""
    if is_guardian_of(person, recipient.pupil_id):
        return note.allows_reply
    return follows_child(person, note, recipient)


def can_see_replies(person, note: Note, recipient: NoteChild) -> bool:
    """The family's exchange is private between its guardians and the staff following the child."""
    return is_guardian_of(person, recipient.pupil_id) or follows_child(person, note, recipient)


def sees_notebooks(person) -> bool:
    access = access_of(person)
    return bool(access.children) or access.has(Profile.PUPIL)


def uses_liaison(person) -> bool:
    """The portal tile: families, pupils, teachers, directors, the commune's writers."""
    return sees_notebooks(person) or can_write_somewhere(person) or access_of(person).has(Profile.TEACHER)
