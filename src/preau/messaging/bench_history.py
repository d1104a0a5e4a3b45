"""The messagerie of a synthetic académie's school year, for the load bench (`generate_academie`).

Each message is written as `actions.send_message` leaves it once sent: its conversation (the
first message's subject, author and school), the message with everything `_deliver` derives
(`body_text`, `search_document`, the lists as resolved, `recipients_label`, `recipient_count`,
the pupils concerned) and one `Delivery` per person: "envoyés" for the author, "reçus" for each
recipient with the flags `recipients.py` gives (families of a list hidden, `is_family`,
`via_list`). Read marks come later than the message (a reply always after its reader read);
the rest stays unread, as the badges and counters expect. A director files old mail in
"archivés" now and then.

Who writes: teachers to their class's parents (some parents answer, the teacher answers them),
parents to the teacher (an absence, a question), the director to every family of the school
and to the teachers, parents to the director. The director of the school with the most pupils
gets `BUSY_DIRECTOR_MESSAGES` messages from its families: the "mailbox of thousands" the
inbox must serve at the speed of a small one.

Sizes: the copies dominate (a message to a class's parents makes ~40, a letter to a school's
families ~240), and all the services' histories share a budget (see `preau.demo.history`).
So the last `RECENT_DAYS` days are kept at a thinned pace, plus a few older messages, the
same in any month: a class message in one class in four, a parent's message to the teacher
in two classes in five, a letter to all families in one school in sixteen, a message to the
teachers and one or two from parents to the director in each school. That is ~115 rows a
school (115,000 for 1,000 schools), plus the busy director's ~17,000.
"""

import datetime
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings

from preau.core.richtext import plain_text
from preau.demo.history import Calendar, batches, full_names

from .models import Conversation, Delivery, Message
from .recipients import Recipient, Resolved

Box, State = Delivery.Box, Delivery.State

RECENT_DAYS = 28
CLASS_MESSAGES_PER_WEEK = 0.05  # a teacher to the parents of the class
CLASS_MESSAGES_BEFORE = 0.05  # in all, over the weeks before
CLASS_REPLIES = (0, 1)  # parents who answer a class message
PARENT_MESSAGES_PER_WEEK = 0.075  # a parent of the class to its teacher
PARENT_MESSAGES_BEFORE = 0.1
ANSWER_RATE = 0.6  # of the messages to a teacher or a director that get an answer
SCHOOL_MESSAGES_PER_WEEK = 0.01  # the director to every family of the school
SCHOOL_MESSAGES_BEFORE = 0.02
STAFF_MESSAGES_PER_WEEK = 0.15  # the director to the school's teachers
STAFF_MESSAGES_BEFORE = 0.2
DIRECTOR_MESSAGES_PER_WEEK = 0.25  # families to the director, in every school
DIRECTOR_MESSAGES_BEFORE = 0.5
BUSY_DIRECTOR_MESSAGES = 3000  # families to the director of the busiest school, over the year
FAMILY_READ_RATE = 0.8
STAFF_READ_RATE = 0.95
READ_WITHIN_HOURS = 48
ARCHIVE_AFTER = datetime.timedelta(days=28)
ARCHIVE_RATE = 0.3  # of a director's old received mail
SCHOOLS_PER_BATCH = 25

# (subject, text, what a parent answers).
CLASS_MESSAGES = [
    (
        "Sortie au musée : accompagnateurs",
        "<p>Bonjour à toutes et à tous,</p><p>Pour la sortie de <strong>mardi</strong>, je cherche trois parents "
        "accompagnateurs. Merci de me répondre avant vendredi.</p><p>Bien cordialement,</p>",
        "<p>Bonjour,</p><p>Je peux accompagner la classe, je suis disponible toute la journée.</p>",
    ),
    (
        "Réunion de classe",
        "<p>Bonjour,</p><p>La réunion de rentrée de la classe aura lieu <strong>jeudi à 18 h</strong> dans la "
        "classe. Je vous présenterai le programme et l'organisation de l'année.</p>",
        "<p>Bonjour,</p><p>Nous serons présents à la réunion.</p>",
    ),
    (
        "Matériel à renouveler",
        "<p>Bonjour,</p><p>Merci de vérifier la trousse de votre enfant : colle, crayons et gomme s'usent vite.</p>",
        "<p>Merci pour l'information !</p>",
    ),
    (
        "Piscine : sac de bain",
        "<p>Bonjour,</p><p>Pensez au sac de piscine chaque jeudi : maillot, bonnet, serviette.</p>",
        "<p>Bonjour,</p><p>Faut-il aussi des lunettes de piscine ?</p>",
    ),
    (
        "Projet de classe : le potager",
        "<p>Bonjour,</p><p>Nous lançons un potager. Si vous avez des graines ou des outils à prêter, merci !</p>",
        "<p>Bonjour,</p><p>Nous avons des graines de radis, je les confie à mon enfant demain.</p>",
    ),
]
PARENT_MESSAGES = [
    ("Absence de {child}", "<p>Bonjour,</p><p>{child} ne viendra pas demain matin : rendez-vous médical.</p>"),
    ("Question sur les devoirs", "<p>Bonjour,</p><p>{child} n'a pas compris l'exercice de mathématiques.</p>"),
    ("Sortie de {child} à 16 h", "<p>Bonjour,</p><p>Sa grand-mère viendra chercher {child} ce soir.</p>"),
    ("Rendez-vous", "<p>Bonjour,</p><p>Pourrions-nous nous rencontrer pour parler de {child} ?</p>"),
]
DIRECTOR_MESSAGES = [
    ("Inscription à la cantine", "<p>Bonjour,</p><p>Comment inscrire {child} à la cantine le jeudi ?</p>"),
    ("Absence de {child}", "<p>Bonjour,</p><p>{child} est malade et ne viendra pas aujourd'hui.</p>"),
    ("Certificat de scolarité", "<p>Bonjour,</p><p>Pourriez-vous me faire un certificat de scolarité ?</p>"),
    ("Garderie du matin", "<p>Bonjour,</p><p>À quelle heure ouvre la garderie du matin ?</p>"),
    ("Changement d'adresse", "<p>Bonjour,</p><p>Nous avons déménagé : voici notre nouvelle adresse.</p>"),
    ("Assurance scolaire", "<p>Bonjour,</p><p>Vous trouverez l'attestation d'assurance de {child}.</p>"),
]
ANSWERS = [
    "<p>Bonjour,</p><p>C'est noté, merci de m'avoir prévenu.</p>",
    "<p>Bonjour,</p><p>Merci, je regarde cela et je reviens vers vous.</p>",
    "<p>Bonjour,</p><p>Bien reçu. Bonne journée !</p>",
]
SCHOOL_MESSAGES = [
    (
        "Kermesse de l'école",
        "<p>Chères familles,</p><p>La kermesse aura lieu en juin dans la cour. Les parents élus organisent les "
        "stands : n'hésitez pas à leur proposer votre aide.</p>",
    ),
    (
        "Élections des représentants de parents",
        "<p>Chères familles,</p><p>Les élections ont lieu vendredi. Le matériel de vote est dans le cartable.</p>",
    ),
    (
        "Exercice de sécurité",
        "<p>Chères familles,</p><p>Un exercice d'évacuation aura lieu cette semaine : les enfants sont préparés.</p>",
    ),
    ("Vacances scolaires", "<p>Chères familles,</p><p>Bonnes vacances à toutes et à tous !</p>"),
]
STAFF_MESSAGES = [
    ("Conseil des maîtres", "<p>Bonjour à tous,</p><p>Conseil des maîtres mardi à 16 h 45 en salle 3.</p>"),
    ("Planning des services", "<p>Bonjour,</p><p>Voici le planning des services de cour du mois.</p>"),
    ("Commande de fournitures", "<p>Bonjour,</p><p>Merci de me transmettre vos commandes avant vendredi.</p>"),
]


@dataclass
class _Sent:
    message: Message
    depth: int  # 0 for a first message, 1 for a reply to it…
    copies: dict[int, Delivery] = field(default_factory=dict)  # recipient → their copy


def generate(academie, rng, progress) -> dict[str, int]:
    calendar = Calendar.of(academie)
    busy = _busiest(academie)
    children_of: dict[int, list[int]] = {}
    for pupil_id, guardian_ids in academie.guardians.items():
        for guardian_id in guardian_ids:
            children_of.setdefault(guardian_id, []).append(pupil_id)
    progress.stage("Messagerie", len(academie.schools), "écoles")
    totals = {"conversations": 0, "messages": 0, "exemplaires de messages": 0}
    for batch in batches(academie.schools, SCHOOLS_PER_BATCH):
        mail = _Mail(academie, calendar, rng, batch, children_of)
        for school in batch:
            mail.school(school, busy=school is busy)
        rows = mail.save()
        totals["conversations"] += len(mail.conversations)
        totals["messages"] += sum(len(level) for level in mail.levels)
        totals["exemplaires de messages"] += len(mail.deliveries)
        progress.advance(len(batch), rows=rows)
    return totals


def _busiest(academie):
    """The school with the most pupils (the first of them): its director's mailbox is the big one."""
    return max(academie.schools, key=lambda s: (sum(len(c.pupil_ids) for c in s.classes), -s.id), default=None)


class _Mail:
    """The mail of a batch of schools, built in memory, then written model by model."""

    def __init__(self, academie, calendar: Calendar, rng, schools, children_of) -> None:
        self.academie, self.calendar, self.rng, self.children_of = academie, calendar, rng, children_of
        self.conversations: list[Conversation] = []
        self.levels: list[list[Message]] = []  # by depth: first messages, replies, answers to replies
        self.deliveries: list[Delivery] = []
        people = set()
        for school in schools:
            people.add(school.director_id)
            for school_class in school.classes:
                people.update(school_class.teacher_ids)
                people.update(g for p in school_class.pupil_ids for g in academie.guardians.get(p, ()))
                people.update(school_class.pupil_ids)
        self.names = full_names(people)

    # --- What each school's people write --------------------------------------------------------

    def school(self, school, *, busy: bool) -> None:
        calendar, rng = self.calendar, self.rng
        classes = [c for c in school.classes if c.pupil_ids]
        pupils = [p for c in classes for p in c.pupil_ids]
        if not pupils:
            return
        for school_class in classes:
            if school_class.teacher_ids:
                self._class(school, school_class)
        families = self._families(school, pupils)
        for day in self._days(SCHOOL_MESSAGES_PER_WEEK, SCHOOL_MESSAGES_BEFORE):
            subject, body = rng.choice(SCHOOL_MESSAGES)
            self._send(
                school.director_id,
                calendar.at(day, rng, 8.0, 18.0),
                subject,
                body,
                school_id=school.id,
                recipients=families,
                lists=[_summary(f"ecole-familles:{school.id}", f"Toutes les familles de {school.name}", families)],
                pupil_ids=pupils,
            )
        teachers = {t for c in school.classes for t in c.teacher_ids} - {school.director_id}
        if teachers:
            hidden = len(teachers) > settings.PREAU_MESSAGING_VISIBLE_LIST_MAX
            code = f"ecole-enseignants:{school.id}"
            staff = {t: Recipient(hidden=hidden, via_list=code) for t in sorted(teachers)}
            for day in self._days(STAFF_MESSAGES_PER_WEEK, STAFF_MESSAGES_BEFORE):
                subject, body = rng.choice(STAFF_MESSAGES)
                self._send(
                    school.director_id,
                    calendar.at(day, rng, 7.5, 19.0),
                    subject,
                    body,
                    school_id=school.id,
                    recipients=staff,
                    lists=[_summary(code, f"Enseignant·es de {school.name}", staff)],
                    read_rate=STAFF_READ_RATE,
                )
        if busy:
            days = sorted(rng.choice(calendar.days) for _ in range(BUSY_DIRECTOR_MESSAGES)) if calendar.days else []
        else:
            days = self._days(DIRECTOR_MESSAGES_PER_WEEK, DIRECTOR_MESSAGES_BEFORE)
        for day in days:
            pupil_id = rng.choice(pupils)
            guardians = self.academie.guardians.get(pupil_id)
            if guardians:
                self._conversation(
                    rng.choice(guardians), school.director_id, pupil_id, day, school, DIRECTOR_MESSAGES, archive=True
                )

    def _class(self, school, school_class) -> None:
        calendar, rng = self.calendar, self.rng
        teacher = school_class.teacher_ids[0]
        code = f"classe-parents:{school_class.id}"
        families = self._families(school, school_class.pupil_ids, code=code)
        for day in self._days(CLASS_MESSAGES_PER_WEEK, CLASS_MESSAGES_BEFORE):
            subject, body, reply = rng.choice(CLASS_MESSAGES)
            sent = self._send(
                teacher,
                calendar.at(day, rng, 8.0, 19.0),
                subject,
                body,
                school_id=school.id,
                recipients=families,
                lists=[_summary(code, f"Parents de {school_class.name}", families)],
                pupil_ids=school_class.pupil_ids,
            )
            readers = [person for person, copy in sent.copies.items() if copy.read_at is not None]
            for parent in rng.sample(readers, min(len(readers), rng.randint(*CLASS_REPLIES))):
                self._exchange(sent, parent, teacher, [reply])
        for day in self._days(PARENT_MESSAGES_PER_WEEK, PARENT_MESSAGES_BEFORE):
            pupil_id = rng.choice(school_class.pupil_ids)
            guardians = self.academie.guardians.get(pupil_id)
            if guardians:
                self._conversation(rng.choice(guardians), teacher, pupil_id, day, school, PARENT_MESSAGES)

    def _conversation(self, parent, staff, pupil_id, day, school, choices, *, archive: bool = False) -> None:
        """A parent writes to the teacher or the director about a child; some get an answer."""
        calendar, rng = self.calendar, self.rng
        child = self.names.get(pupil_id, "").split(" ")[0]
        subject, body = (text.replace("{child}", child) for text in rng.choice(choices))
        sent = self._send(
            parent,
            calendar.at(day, rng, 7.0, 21.0),
            subject,
            body,
            school_id=school.id,
            recipients={staff: Recipient()},
            people=[staff],
            read_rate=STAFF_READ_RATE,
        )
        copy = sent.copies[staff]
        if copy.read_at is not None and rng.random() < ANSWER_RATE:
            self._answer(sent, staff, parent, copy.read_at, ANSWERS)
        old = copy.read_at is not None and copy.read_at + ARCHIVE_AFTER < calendar.now
        if archive and old and rng.random() < ARCHIVE_RATE:
            copy.state = State.ARCHIVED
            copy.state_changed_at = calendar.later(copy.read_at + ARCHIVE_AFTER, rng, hours=72)

    def _exchange(self, sent: _Sent, parent, teacher, choices) -> None:
        """A parent answers the teacher's message to the class; the teacher answers now and then."""
        reply = self._answer(sent, parent, teacher, sent.copies[parent].read_at, choices)
        copy = reply.copies[teacher]
        if copy.read_at is not None and self.rng.random() < ANSWER_RATE / 2:
            self._answer(reply, teacher, parent, copy.read_at, ANSWERS)

    def _answer(self, sent: _Sent, author, to, read_at, choices) -> _Sent:
        """`author` answers `to` only (the composer's "Répondre"), after reading the message."""
        original = sent.message
        family = to in self.children_of
        return self._send(
            author,
            self.calendar.later(read_at, self.rng, hours=24),
            original.subject if original.subject.startswith("Re :") else f"Re : {original.subject}"[:200],
            self.rng.choice(choices),
            school_id=original.school_id,
            recipients={to: Recipient(is_family=family)},
            people=[to],
            pupil_ids=self.children_of.get(to, []),
            reply_to=sent,
            read_rate=FAMILY_READ_RATE if family else STAFF_READ_RATE,
        )

    # --- The rows of one sent message ------------------------------------------------------------

    def _send(
        self,
        author: int,
        at: datetime.datetime,
        subject: str,
        body: str,
        *,
        school_id: int,
        recipients: dict[int, Recipient],
        lists=(),
        people=(),
        pupil_ids=(),
        reply_to: _Sent | None = None,
        read_rate: float = FAMILY_READ_RATE,
    ) -> _Sent:
        """What `send_message` writes: conversation (a new one unless a reply), message, copies."""
        subject = subject[:200]
        body_text = _words(body)
        if reply_to is None:
            conversation = Conversation(subject=subject, started_by_id=author, school_id=school_id, created_at=at)
            self.conversations.append(conversation)
        else:
            conversation = reply_to.message.conversation
        depth = 0 if reply_to is None else reply_to.depth + 1
        people_names = [self.names[person] for person in people]
        message = Message(
            conversation=conversation,
            author_id=author,
            school_id=school_id,
            subject=subject,
            body=body,
            body_text=body_text,
            search_document=f"{subject}\n{self.names[author]}\n{body_text}",
            reply_to=None if reply_to is None else reply_to.message,
            draft_recipients={"people": sorted(people), "lists": [item["code"] for item in lists]},
            lists=list(lists),
            recipients_label=Resolved(list_summaries=list(lists), people_names=people_names).label,
            recipient_count=len(recipients),
            pupil_ids=sorted(pupil_ids),
            created_at=at,
            updated_at=at,
            sent_at=at,
        )
        if depth == len(self.levels):
            self.levels.append([])
        self.levels[depth].append(message)
        sent = _Sent(message, depth)
        self.deliveries.append(Delivery(message=message, person_id=author, box=Box.SENT, read_at=at, sort_at=at))
        for person, recipient in recipients.items():
            copy = Delivery(
                message=message,
                person_id=person,
                box=Box.INBOX,
                hidden=recipient.hidden,
                is_family=recipient.is_family,
                via_list=recipient.via_list,
                read_at=self._read(at, read_rate),
                sort_at=at,
            )
            sent.copies[person] = copy
            self.deliveries.append(copy)
        return sent

    def _read(self, sent: datetime.datetime, rate: float) -> datetime.datetime | None:
        if self.rng.random() >= rate:
            return None
        read = sent + datetime.timedelta(hours=self.rng.random() ** 3 * READ_WITHIN_HOURS, minutes=1)
        return read if read < self.calendar.now else None

    def _families(self, school, pupil_ids, *, code: str = "") -> dict[int, Recipient]:
        """The guardians of these pupils, as a family list resolves them (hidden from each other)."""
        code = code or f"ecole-familles:{school.id}"
        guardians = sorted({g for pupil in pupil_ids for g in self.academie.guardians.get(pupil, ())})
        return {g: Recipient(hidden=True, is_family=True, via_list=code) for g in guardians}

    def _days(self, per_week: float, before: float) -> list[datetime.date]:
        return self.calendar.spread(self.rng, recent_days=RECENT_DAYS, per_week=per_week, before=before)

    def save(self) -> int:
        insert = self.academie.insert
        # Conversations, then messages (a reply after what it answers), then the copies.
        rows = insert(self.conversations)
        for level in self.levels:
            rows += insert(level)
        return rows + insert(self.deliveries)


@cache
def _words(body: str) -> str:
    return plain_text(body)


def _summary(code: str, label: str, members: dict) -> dict:
    """A list as `_add_lists` records it on the message."""
    hidden = any(r.hidden for r in members.values()) or len(members) > settings.PREAU_MESSAGING_VISIBLE_LIST_MAX
    return {"code": code, "label": label, "count": len(members), "hidden": hidden}
