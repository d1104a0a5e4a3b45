"""The demo's messagerie, written through the actions: the CE1 teacher writes to the parents of
the class (several have read it, Sophie Fourcade answered), Sophie tells the teacher Léa will
be absent, the director writes to all the school's families, the commune's referent writes about
the centre de loisirs. The teacher shows when she answers."""

import datetime

from preau.directory.models import GuardianLink, Profile

from . import actions, rule_actions


def populate(world) -> dict[str, int]:
    school = world.found["school:0651067G"]
    teacher, director = world.person(Profile.TEACHER), world.person(Profile.DIRECTOR)
    parent, referent = world.person(Profile.PARENT), world.person(Profile.CITY_REFERENT)
    ce1 = next(c for c in world.classes_by_uai["0651067G"] if c.levels == "CE1")

    rule_actions.set_answering_hours(teacher, days="12345", start=datetime.time(8), end=datetime.time(18))
    outing = actions.send_message(
        teacher,
        subject="Sortie au musée Massey : accompagnateurs",
        body="<p>Bonjour à toutes et à tous,</p><p>Pour la sortie du <strong>mardi 9 décembre</strong>, je cherche "
        "trois parents accompagnateurs. Merci de me répondre avant vendredi.</p><p>Bien cordialement,</p>",
        lists=[f"classe-parents:{ce1.pk}"],
    )
    readers = GuardianLink.objects.filter(child__enrolments__school_class=ce1).exclude(guardian=parent)
    for link in readers.select_related("guardian")[:6]:
        actions.mark_conversation_read(link.guardian, outing.conversation)
    actions.mark_conversation_read(parent, outing.conversation)
    answer = actions.send_message(
        parent,
        subject="Re : Sortie au musée Massey : accompagnateurs",
        body="<p>Bonjour,</p><p>Je peux accompagner la classe mardi, je suis disponible toute la journée.</p>"
        "<p>Sophie Fourcade</p>",
        people=[teacher.pk],
        reply_to=outing,
    )
    actions.send_message(
        teacher,
        subject="Re : Sortie au musée Massey : accompagnateurs",
        body="<p>Merci beaucoup ! Rendez-vous à 8 h 30 devant l'école.</p>",
        people=[parent.pk],
        reply_to=answer,
    )
    actions.send_message(
        parent,
        subject="Absence de Léa lundi matin",
        body="<p>Bonjour,</p><p>Léa a rendez-vous chez l'orthophoniste lundi matin ; elle arrivera à 11 h.</p>",
        people=[teacher.pk],
    )
    actions.send_message(
        director,
        subject="Kermesse de l'école le samedi 27 juin",
        body="<p>Chères familles,</p><p>La kermesse aura lieu le <strong>samedi 27 juin</strong> dans la cour. "
        "Les parents élus organisent les stands : n'hésitez pas à leur proposer votre aide.</p>"
        "<p>La directrice, Isabelle Dupuy</p>",
        lists=[f"ecole-familles:{school.pk}"],
    )
    actions.send_message(
        referent,
        subject="Centre de loisirs : inscriptions pour les vacances d'hiver",
        body="<p>Les inscriptions au centre de loisirs de Lannemezan pour les vacances d'hiver sont ouvertes "
        "jusqu'au 30 janvier, à l'accueil de la mairie ou par courriel.</p>",
        lists=[f"ecole-familles:{school.pk}"],
    )
    return {"messages": 6}
