"""Writing, signing, answering, replying and reminding, through the actions."""

import datetime

import pytest
from django.utils import timezone

from preau.core.errors import DomainError, NotAllowed
from preau.core.models import AuditEntry
from preau.directory.factories import PersonFactory, person_with_role
from preau.directory.models import Group, GuardianLink, Profile
from preau.liaison import actions
from preau.liaison.models import Acknowledgement, Note, NoteChild, Reminder, Reply

from .conftest import enrol, make_person


@pytest.fixture
def k1(world):
    """K1 with 4 pupils, two guardians each, and its teacher."""
    families = [enrol(world["class"], guardians=2) for _ in range(4)]
    teacher = make_person("teacher", world)
    return teacher, families


def _outing(teacher, world, **fields) -> Note:
    values = {
        "target_keys": [f"classe:{world['class'].pk}"],
        "title": "Sortie au musée",
        "body": "<p>Mardi <script>alert(1)</script>au musée.</p>",
        "requires_ack": True,
        **fields,
    }
    return actions.publish_note(teacher, **values)


def test_a_teacher_writes_to_the_class_and_the_guardians_are_told(
    world, k1, notices, django_capture_on_commit_callbacks
):
    teacher, families = k1
    with django_capture_on_commit_callbacks(execute=True):
        note = _outing(teacher, world)
    assert note.body == "<p>Mardi au musée.</p>"
    assert note.origin == Note.Origin.SCHOOL and note.school == world["school"]
    assert note.source_label == f"École {world['school'].name}" and note.audience_label == "Classe K1"
    assert note.class_ids == [world["class"].pk]
    assert set(note.recipients.values_list("pupil_id", flat=True)) == {pupil.pk for pupil, _ in families}
    (notice,) = [n for n in notices if n.kind == "liaison.note"]
    assert notice.title == "Nouveau mot à signer : Sortie au musée"
    assert set(notice.recipient_ids) == {parent.pk for _, parents in families for parent in parents}
    assert set(notice.pupil_ids) == {pupil.pk for pupil, _ in families}
    assert notice.group_key == f"liaison:{note.pk}" and notice.school_id == world["school"].pk
    assert notice.actor_id == teacher.pk and notice.url == f"/cahier-de-liaison/mots/{note.pk}/"
    assert AuditEntry.objects.filter(action="liaison.note_published", target_id=str(note.pk)).exists()


def test_publishing_emits_the_domain_event(world, k1, django_capture_on_commit_callbacks):
    from preau.core import events

    seen = []
    events.subscriber("liaison.note_published")(lambda name, **payload: seen.append(payload))
    with django_capture_on_commit_callbacks(execute=True):
        note = _outing(k1[0], world, requires_ack=False)
    assert {"note_id": note.pk, "school_id": world["school"].pk} in seen


def test_without_signature_the_title_says_new_note(world, k1, notices, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _outing(k1[0], world, requires_ack=False)
    assert notices[-1].title == "Nouveau mot : Sortie au musée"


def test_nobody_writes_outside_their_classes(world, k1):
    teacher, _ = k1
    enrol(world["other_class"])
    for forged in (f"classe:{world['other_class'].pk}", f"ecole:{world['school'].pk}", "classe:999999", "x:1"):
        with pytest.raises(NotAllowed):
            actions.publish_note(teacher, target_keys=[forged], title="t", body="b")
    other_pupil, _ = enrol(world["other_class"])
    with pytest.raises(NotAllowed, match="cet élève"):
        actions.publish_note(teacher, target_keys=[], pupil_ids=[other_pupil.pk], title="t", body="b")
    assert not Note.objects.exists()


def test_a_director_writes_to_the_whole_school_and_a_parent_of_two_signs_for_each(world):
    director = make_person("director", world)
    k1_child, (mother,) = enrol(world["class"])
    k1b_child, _ = enrol(world["other_class"])
    GuardianLink.objects.create(guardian=mother, child=k1b_child, relationship="mere")
    note = actions.publish_note(
        director, target_keys=[f"ecole:{world['school'].pk}"], title="Règlement", body="b", requires_ack=True
    )
    assert set(note.class_ids) == {world["class"].pk, world["other_class"].pk}
    mother = type(mother).objects.get(pk=mother.pk)  # a fresh request
    actions.sign_note(mother, note, pupil_id=k1_child.pk)
    assert not Acknowledgement.objects.filter(recipient__pupil=k1b_child).exists()
    actions.sign_note(mother, note, pupil_id=k1b_child.pk)
    assert Acknowledgement.objects.filter(recipient__note=note).count() == 2


def test_a_note_to_two_classes_and_one_child_reaches_each_once(world, k1):
    director = make_person("director", world)
    teacher, families = k1
    k1b_child, _ = enrol(world["other_class"])
    note = actions.publish_note(
        director,
        target_keys=[f"classe:{world['class'].pk}", f"classe:{world['other_class'].pk}"],
        pupil_ids=[families[0][0].pk],
        title="t",
        body="b",
    )
    assert note.recipients.count() == 5
    assert NoteChild.objects.get(note=note, pupil=k1b_child).school_class == world["other_class"]


def test_one_signature_per_child_and_the_second_guardian_is_told_who_signed(world, k1, notices):
    teacher, families = k1
    pupil, (mother, father) = families[0]
    note = _outing(teacher, world)
    acknowledgement = actions.sign_note(father, note, pupil_id=pupil.pk)
    assert acknowledgement.guardian == father and acknowledgement.guardian_label == father.full_name
    with pytest.raises(DomainError) as refused:
        actions.sign_note(mother, note, pupil_id=pupil.pk)
    assert f"déjà signé pour {pupil.first_name} par {father.full_name} le " in refused.value.message
    assert Acknowledgement.objects.filter(recipient__note=note).count() == 1
    assert AuditEntry.objects.filter(action="liaison.note_signed", subject=pupil).count() == 1


def test_only_a_guardian_with_parental_authority_signs_and_forged_children_change_nothing(world, k1):
    teacher, families = k1
    pupil, (mother, father) = families[0]
    other_pupil, _ = families[1]
    note = _outing(teacher, world)
    with pytest.raises(NotAllowed, match="ne fait pas partie de vos enfants"):
        actions.sign_note(mother, note, pupil_id=other_pupil.pk)
    with pytest.raises(NotAllowed):
        actions.sign_note(teacher, note, pupil_id=pupil.pk)
    with pytest.raises(NotAllowed):
        actions.sign_note(pupil, note, pupil_id=pupil.pk)
    GuardianLink.objects.filter(guardian=father).update(parental_authority=False)
    with pytest.raises(NotAllowed, match="responsable légal"):
        actions.sign_note(father, note, pupil_id=pupil.pk)
    assert not Acknowledgement.objects.exists()


def test_a_note_without_signature_cannot_be_signed(world, k1):
    teacher, families = k1
    note = _outing(teacher, world, requires_ack=False)
    with pytest.raises(DomainError, match="ne demande pas"):
        actions.sign_note(families[0][1][0], note, pupil_id=families[0][0].pk)


def test_the_question_is_answered_per_child_with_the_signature_or_alone(world, k1):
    teacher, families = k1
    note = _outing(teacher, world, form_kind="oui_non", question="Mon enfant participera à la sortie")
    (pupil_a, (mother_a, _)), (pupil_b, (mother_b, _)) = families[:2]
    with pytest.raises(DomainError, match="Répondez"):
        actions.sign_note(mother_a, note, pupil_id=pupil_a.pk)
    with pytest.raises(DomainError, match="réponses proposées"):
        actions.sign_note(mother_a, note, pupil_id=pupil_a.pk, answer="Peut-être")
    actions.sign_note(mother_a, note, pupil_id=pupil_a.pk, answer="Oui")
    actions.answer_note(mother_b, note, pupil_id=pupil_b.pk, answer="Non")
    actions.sign_note(mother_b, note, pupil_id=pupil_b.pk)  # the answer is already there
    answers = dict(note.recipients.exclude(answer="").values_list("pupil_id", "answer"))
    assert answers == {pupil_a.pk: "Oui", pupil_b.pk: "Non"}
    actions.answer_note(mother_b, note, pupil_id=pupil_b.pk, answer="Oui")  # changing one's mind
    assert NoteChild.objects.get(note=note, pupil=pupil_b).answer == "Oui"
    assert AuditEntry.objects.filter(action="liaison.form_answered").count() == 2


def test_a_choice_needs_two_options_at_least(world, k1):
    teacher, _ = k1
    with pytest.raises(DomainError, match="entre 2 et 8"):
        _outing(teacher, world, form_kind="choix", question="Quel jour ?", options=["Lundi", " Lundi "])
    note = _outing(teacher, world, form_kind="choix", question="Quel jour ?", options=["Lundi", "Mardi", ""])
    assert note.answer_choices == ["Lundi", "Mardi"]
    with pytest.raises(DomainError, match="question"):
        _outing(teacher, world, form_kind="oui_non", question=" ")


def test_remind_tells_only_the_families_who_have_not_signed_once_a_day(
    world, k1, notices, django_capture_on_commit_callbacks
):
    teacher, families = k1
    note = _outing(teacher, world)
    signed_pupil, (signer, other_guardian) = families[0]
    actions.sign_note(signer, note, pupil_id=signed_pupil.pk)
    notices.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reminder = actions.remind_families(teacher, note)
    assert reminder.children == 3
    (notice,) = notices
    assert notice.kind == "liaison.reminder"
    expected = {parent.pk for pupil, parents in families[1:] for parent in parents}
    assert set(notice.recipient_ids) == expected and signer.pk not in notice.recipient_ids
    assert set(notice.pupil_ids) == {pupil.pk for pupil, _ in families[1:]}
    assert AuditEntry.objects.filter(action="liaison.reminded", target_id=str(note.pk)).count() == 1
    with pytest.raises(DomainError, match="déjà été relancées"):
        actions.remind_families(teacher, Note.objects.get(pk=note.pk))
    assert Reminder.objects.count() == 1
    Note.objects.filter(pk=note.pk).update(last_reminded_at=timezone.now() - datetime.timedelta(hours=25))
    actions.remind_families(teacher, Note.objects.get(pk=note.pk))
    assert Reminder.objects.count() == 2


def test_only_the_author_or_the_director_reminds(world, k1):
    teacher, families = k1
    note = _outing(teacher, world)
    for name in ("other_class_teacher", "other_school_director", "city_referent"):
        with pytest.raises(NotAllowed):
            actions.remind_families(make_person(name, world), note)
    actions.remind_families(make_person("director", world), note)
    for pupil, (mother, _) in families:
        actions.sign_note(mother, note, pupil_id=pupil.pk)
    Note.objects.filter(pk=note.pk).update(last_reminded_at=None)
    with pytest.raises(DomainError, match="Toutes les familles ont signé"):
        actions.remind_families(teacher, note)


def test_replies_stay_between_the_family_and_the_staff_following_the_child(
    world, k1, notices, django_capture_on_commit_callbacks
):
    teacher, families = k1
    pupil, (mother, father) = families[0]
    other_pupil, (other_mother, _) = families[1]
    closed = _outing(teacher, world)
    with pytest.raises(NotAllowed, match="n'attend pas de réponse"):
        actions.reply_to_note(mother, closed, pupil_id=pupil.pk, body="Bonjour")
    note = _outing(teacher, world, allows_reply=True)
    notices.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.reply_to_note(mother, note, pupil_id=pupil.pk, body="Il aura ses bottes.")
    assert notices[-1].kind == "liaison.reply" and notices[-1].recipient_ids == (teacher.pk,)
    assert pupil.full_name in notices[-1].title
    with django_capture_on_commit_callbacks(execute=True):
        actions.reply_to_note(teacher, note, pupil_id=pupil.pk, body="Merci !")
    assert set(notices[-1].recipient_ids) == {mother.pk, father.pk}
    with pytest.raises(NotAllowed):
        actions.reply_to_note(other_mother, note, pupil_id=pupil.pk, body="Je lis chez les autres")
    with pytest.raises(NotAllowed):
        actions.reply_to_note(make_person("other_class_teacher", world), note, pupil_id=pupil.pk, body="x")
    with pytest.raises(DomainError, match="Écrivez"):
        actions.reply_to_note(father, note, pupil_id=pupil.pk, body="   ")
    assert list(Reply.objects.values_list("from_family", flat=True)) == [True, False]


def test_the_commune_writes_to_chosen_schools_under_its_own_name(world, notices, django_capture_on_commit_callbacks):
    referent = make_person("city_referent", world)
    s1_child, (s1_parent,) = enrol(world["class"])
    second_school = type(world["school"]).objects.create(
        uai="0659999X", name="École du Bourg", kind="primaire", circonscription=world["circonscription"],
        commune=world["commune"],
    )  # fmt: skip
    from preau.directory.factories import SchoolClassFactory

    s3_child, _ = enrol(SchoolClassFactory(school=second_school, name="CP"))
    enrol(world["other_school_class"])  # another commune's school: never reached
    with django_capture_on_commit_callbacks(execute=True):
        note = actions.publish_note(
            referent,
            target_keys=[f"commune-ecole:{world['school'].pk}"],
            title="Cantine",
            body="Repas de Noël",
            form_kind="oui_non",
            question="Mon enfant déjeunera à la cantine",
        )
    assert note.origin == Note.Origin.COMMUNE and note.school is None and note.commune == world["commune"]
    assert note.source_label == "Commune de Commune 1 — périscolaire"
    assert list(note.recipients.values_list("pupil_id", flat=True)) == [s1_child.pk]
    assert notices[-1].recipient_ids == (s1_parent.pk,)
    everyone = actions.publish_note(referent, target_keys=[f"commune:{world['commune'].pk}"], title="t", body="b")
    assert set(everyone.recipients.values_list("pupil_id", flat=True)) == {s1_child.pk, s3_child.pk}
    with pytest.raises(NotAllowed):
        actions.publish_note(referent, target_keys=[f"commune:{world['other_commune'].pk}"], title="t", body="b")
    with pytest.raises(NotAllowed):
        actions.publish_note(make_person("periscolaire", world), target_keys=[f"commune:{world['commune'].pk}"],
                             title="t", body="b")  # fmt: skip


def test_a_note_mixing_school_and_commune_is_refused(world):
    person = make_person("director", world)
    from preau.directory.factories import add_role

    add_role(person, Profile.CITY_CONTRIBUTOR, world["commune"])
    enrol(world["class"])
    with pytest.raises(DomainError, match="soit de l'école, soit de la commune"):
        actions.publish_note(
            person,
            target_keys=[f"ecole:{world['school'].pk}", f"commune:{world['commune'].pk}"],
            title="t",
            body="b",
        )


def test_groups_reach_their_pupils_of_the_year(world):
    director = make_person("director", world)
    teacher = make_person("teacher", world)
    in_group, _ = enrol(world["class"])
    enrol(world["class"])
    group = Group.objects.create(
        kind=Group.Kind.TEACHER, name="Chorale", year=world["class"].year, school=world["school"], owner=teacher
    )
    group.members.add(in_group, teacher)
    for writer in (teacher, director):
        note = actions.publish_note(writer, target_keys=[f"groupe:{group.pk}"], title="Chorale", body="b")
        assert list(note.recipients.values_list("pupil_id", flat=True)) == [in_group.pk]
        assert note.audience_label == "Groupe Chorale"
    with pytest.raises(NotAllowed):
        actions.publish_note(make_person("other_class_teacher", world), target_keys=[f"groupe:{group.pk}"],
                             title="t", body="b")  # fmt: skip


def test_an_empty_class_or_an_empty_note_is_refused(world):
    teacher = make_person("teacher", world)
    with pytest.raises(DomainError, match="Aucun élève"):
        actions.publish_note(teacher, target_keys=[f"classe:{world['class'].pk}"], title="t", body="b")
    enrol(world["class"])
    with pytest.raises(DomainError, match="titre et un texte"):
        actions.publish_note(teacher, target_keys=[f"classe:{world['class'].pk}"], title="t", body="<p> </p>")
    with pytest.raises(DomainError, match="au moins un destinataire"):
        actions.publish_note(teacher, target_keys=[], title="t", body="b")


def test_reading_is_recorded_once_per_person_and_child(world, k1):
    teacher, families = k1
    note = _outing(teacher, world)
    pupil, (mother, _) = families[0]
    recipient = NoteChild.objects.get(note=note, pupil=pupil)
    assert actions.mark_note_read(mother, recipient) is True
    assert actions.mark_note_read(mother, recipient) is False
    assert actions.mark_note_read(pupil, recipient) is True
    with pytest.raises(NotAllowed):
        actions.mark_note_read(PersonFactory(), recipient)
    with pytest.raises(NotAllowed):
        actions.mark_note_read(person_with_role(Profile.TEACHER, world["school"]), recipient)


def test_the_commune_writes_to_its_periscolaire_group_only(world):
    referent, contributor = make_person("city_referent", world), make_person("city_contributor", world)
    at_canteen, _ = enrol(world["class"])
    enrol(world["class"])
    group = Group.objects.create(
        kind=Group.Kind.PERISCOLAIRE, name="Cantine du mardi", year=world["class"].year, commune=world["commune"]
    )
    group.members.add(at_canteen)
    note = actions.publish_note(contributor, target_keys=[f"groupe:{group.pk}"], title="Menu", body="b")
    assert note.origin == Note.Origin.COMMUNE and note.audience_label == "Groupe Cantine du mardi"
    assert list(note.recipients.values_list("pupil_id", flat=True)) == [at_canteen.pk]
    with pytest.raises(NotAllowed):
        actions.publish_note(make_person("other_city_referent", world), target_keys=[f"groupe:{group.pk}"],
                             title="t", body="b")  # fmt: skip
    with pytest.raises(NotAllowed):
        actions.publish_note(make_person("director", world), target_keys=[f"groupe:{group.pk}"], title="t", body="b")
    from preau.liaison import policy

    assert policy.can_follow_note(referent, note) and policy.can_remind(referent, note) is False  # no signature
