"""The demo's cahier de liaison, written through the actions: the CE1's outing to sign (with
its question), a note Thomas Fourcade already signed for Léa, the director's note to the whole
school, and the commune's note about the canteen."""

from preau.directory.models import GuardianLink, Profile

from . import actions
from .models import Note, NoteChild

YES_NO = Note.FormKind.YES_NO


def populate(world) -> dict[str, int]:
    school = world.found["school:0651067G"]
    lannemezan = world.found["commune:Lannemezan"]
    teacher, director = world.person(Profile.TEACHER), world.person(Profile.DIRECTOR)
    referent, lea = world.person(Profile.CITY_REFERENT), world.person(Profile.PUPIL)
    ce1 = next(c for c in world.classes_by_uai["0651067G"] if c.levels == "CE1")
    guardians = GuardianLink.objects.filter(child__enrolments__school_class=ce1).select_related("guardian")
    first_guardian = {}
    for link in guardians.order_by("child_id", "id"):
        first_guardian.setdefault(link.child_id, link.guardian)

    outing = actions.publish_note(
        teacher,
        target_keys=[f"classe:{ce1.pk}"],
        title="Sortie au musée Massey de Tarbes",
        body="<p>Le <strong>mardi 9 décembre</strong>, la classe visitera le musée Massey (atelier « les animaux dans "
        "l'art »). Départ en car à 8 h 45, retour pour 16 h 15. Prévoir un pique-nique et un vêtement de pluie.</p>"
        "<p>La sortie est gratuite. Merci de signer ce mot et de répondre avant vendredi.</p>",
        requires_ack=True,
        allows_reply=True,
        form_kind=YES_NO,
        question="Mon enfant participera à la sortie",
    )
    signers = [(pupil_id, guardian) for pupil_id, guardian in first_guardian.items() if pupil_id != lea.pk][:7]
    for rank, (pupil_id, guardian) in enumerate(signers):
        actions.sign_note(guardian, outing, pupil_id=pupil_id, answer="Non" if rank == 3 else "Oui")

    pool = actions.publish_note(
        teacher,
        target_keys=[f"classe:{ce1.pk}"],
        title="Piscine : reprise des séances le jeudi",
        body="<p>Les séances de piscine reprennent <strong>jeudi</strong> jusqu'aux vacances d'hiver. Pensez au "
        "maillot, au bonnet et à une serviette, dans un sac marqué au nom de votre enfant.</p>",
        requires_ack=True,
    )
    thomas = GuardianLink.objects.get(child=lea, guardian__first_name="Thomas").guardian
    actions.sign_note(thomas, pool, pupil_id=lea.pk)

    actions.publish_note(
        director,
        target_keys=[f"ecole:{school.pk}"],
        title="Exercice de mise en sûreté le 4 décembre",
        body="<p>Un exercice du plan particulier de mise en sûreté aura lieu le <strong>jeudi 4 décembre</strong> "
        "au matin. Les enfants ont été préparés en classe ; nous vous en dirons le bilan au conseil d'école.</p>",
        requires_ack=True,
        allows_reply=True,
    )
    actions.publish_note(
        referent,
        target_keys=[f"commune:{lannemezan.pk}"],
        title="Cantine : repas de Noël du jeudi 18 décembre",
        body="<p>Le restaurant scolaire servira un repas de fête le <strong>jeudi 18 décembre</strong>. Pour "
        "préparer les commandes, dites-nous si votre enfant déjeunera à la cantine ce jour-là.</p>"
        "<p>Service Enfance-Jeunesse de la mairie de Lannemezan.</p>",
        form_kind=YES_NO,
        question="Mon enfant déjeunera à la cantine le 18 décembre",
    )
    return {
        "liaison_notes": Note.objects.count(),
        "liaison_children": NoteChild.objects.count(),
    }
