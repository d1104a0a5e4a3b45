"""The text of a convention: Préau's default model, its placeholders and how it is read.

The default text was written for Préau. It follows the order of the articles of the
partnership conventions it comes from (object, services, commitments, fee, audience
measurement, publication, assistance, personal data, schools and amount, duration,
termination) without copying their wording; each académie edits it to its own needs.

Syntax of `articles`: "## Titre" opens an article, "### Titre" a sub-article, "- " starts a
list item, a blank line separates paragraphs. `{{ nom }}` is replaced by the convention's
value; any other `{{ … }}` is refused when the model is saved.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PLACEHOLDERS = {
    "academie": gettext_lazy("la partie académique (ex. : Région académique Occitanie)"),
    "collectivite": gettext_lazy("la collectivité signataire"),
    "commune": gettext_lazy("le nom de la commune"),
    "annee_scolaire": gettext_lazy("l'année scolaire (ex. : 2025-2026)"),
    "montant_par_ecole": gettext_lazy("la participation par école (ex. : 40 €)"),
    "nombre_ecoles": gettext_lazy("le nombre d'écoles inscrites"),
    "montant_total": gettext_lazy("le montant total dû par la collectivité"),
    "date_fin": gettext_lazy("la date de fin de la convention (ex. : 5 septembre 2026)"),
    "liste_ecoles": gettext_lazy("la liste des écoles inscrites (UAI et nom)"),
    "lieu": gettext_lazy("le lieu de signature"),
    "juridiction": gettext_lazy("la juridiction compétente en cas de litige"),
}
_PLACEHOLDER = re.compile(r"\{\{\s*([a-zA-Z_]+)\s*\}\}")
_ANY_BRACES = re.compile(r"\{\{.*?\}\}", re.S)

DEFAULT_TITLE = (
    "Convention de partenariat pour la mise à disposition de l'espace numérique de travail Préau (ENT-école)"
)

DEFAULT_PREAMBLE = """\
Les parties partagent un même objectif : développer les usages du numérique éducatif dans les \
écoles maternelles et élémentaires, au service des apprentissages des élèves et du lien entre \
l'école et les familles. Elles unissent pour cela leurs moyens autour de Préau, l'espace \
numérique de travail (ENT) du premier degré mis à disposition par {{ academie }}.

L'académie met à disposition une solution commune, hébergée par ses soins, et assure la \
formation, l'accompagnement et l'assistance des équipes enseignantes ; la collectivité, qui a \
la charge des écoles, en assure l'équipement et la connexion et participe à son financement.

Lorsque des communes regroupées règlent chacune leur participation, une convention est conclue \
avec chacune d'elles."""

DEFAULT_ARTICLES = """\
## Objet
La présente convention fixe les rôles et les engagements de {{ academie }} et de \
{{ collectivite }} pour l'année scolaire {{ annee_scolaire }} : promotion, accompagnement, \
formation et assistance pour l'usage de Préau dans les écoles inscrites, fourniture des données \
personnelles nécessaires à son fonctionnement, et modalités de suivi du partenariat.

## Services offerts
Préau s'inscrit dans le cadre national des espaces numériques de travail. Chaque usager \
(élève, parent, enseignant, directeur ou directrice d'école, personnel de la collectivité) \
dispose d'un accès authentifié, simple et sécurisé aux services correspondant à son profil :

- communication et collaboration : messagerie, discussions, actualités, blogs de classe et \
d'école, pages de la commune ;
- information et documentation : documents, ressources, aide en ligne ;
- suivi de la vie de l'élève : cahier de textes, cahier de liaison, agenda ;
- production pédagogique : outils de création, parcours pédagogiques, productions des élèves ;
- services pratiques : groupes d'usagers, espaces de stockage.

Préau donne également accès, de façon sécurisée, aux ressources numériques externes auxquelles \
l'école est abonnée, par le Gestionnaire d'accès aux ressources (GAR).

## Engagements des parties
### Engagements de l'académie
L'académie met Préau à disposition des écoles inscrites et en assure l'hébergement. Elle prend \
en charge la formation des enseignants et des directeurs d'école aux usages du numérique et \
leur accompagnement, par ses plans de formation et ses référents numériques de département et \
de circonscription. Elle assure l'assistance des enseignants par ses plateformes académiques.

Sur demande de la collectivité, l'académie ouvre à ses agents des profils de référent ville et \
de contributeur, qui leur permettent de publier des informations sur des pages et des espaces \
propres à la commune.

### Engagements de la collectivité
La collectivité fournit et entretient l'équipement informatique des écoles inscrites et leur \
accès à internet. La connexion doit être suffisante pour l'usage prévu, compte tenu du nombre \
d'élèves susceptibles de se connecter en même temps ; l'académie publie chaque année des \
recommandations à cet effet.

La collectivité participe chaque année au financement de Préau selon le nombre d'écoles dont \
elle a la charge et qu'elle inscrit pour l'année en cours.

## Participation financière
La participation de la collectivité couvre une partie des dépenses engagées par l'académie \
pour la mise à disposition du logiciel, l'hébergement, l'assistance et l'accompagnement des \
usagers. Pour l'année scolaire {{ annee_scolaire }}, elle est fixée à {{ montant_par_ecole }} \
TTC par école inscrite.

La collectivité s'en acquitte après l'émission par l'académie d'un titre de perception à son \
encontre. La liste des écoles inscrites et le montant dû figurent à l'article « Écoles \
inscrites et montant dû » et en annexe 1.

## Mesure d'audience
Préau participe au dispositif national de mesure d'audience des ENT (DNMA). Des indicateurs \
anonymes portant sur les profils des usagers, les services utilisés et les caractéristiques \
des connexions (moment de la journée, durée, type d'appareil) permettent de suivre la \
fréquentation et l'évolution des usages. Ils sont mis à la disposition des responsables du \
projet au niveau de la région académique, des départements, des circonscriptions et des écoles.

## Responsabilité de publication et règles déontologiques
Le directeur ou la directrice de chaque école est directeur ou directrice de publication des \
espaces de l'école ; le référent ville l'est pour les espaces réservés à la collectivité. \
Chacun veille à ce qu'aucun contenu illicite, injurieux ou diffamatoire ne reste publié et \
dispose pour cela des moyens de relire, refuser et retirer une publication.

Chaque usager accepte la charte d'utilisation lors de sa première connexion. Toute \
communication respecte la neutralité du service public, la discrétion professionnelle, la \
correction et la dignité des propos.

## Assistance aux usagers
Les directeurs, les enseignants, les conseillers pédagogiques, les enseignants référents pour \
les usages du numérique et les équipes académiques peuvent signaler un incident ou demander de \
l'aide à tout moment, chacun dans son périmètre, auprès des plateformes d'assistance de \
l'académie. Les familles sont accompagnées par l'école.

## Protection des données personnelles
Préau traite de nombreuses données personnelles, en particulier d'enfants. Le recteur ou la \
rectrice de région académique est responsable de ce traitement pour les écoles publiques. À ce \
titre, l'académie alimente et sécurise l'annuaire de Préau à partir de l'annuaire académique, \
inscrit le traitement à son registre, informe et sensibilise les usagers et garantit \
l'exercice de leurs droits : information, accès, rectification, effacement, opposition, \
limitation et directives relatives au sort des données après le décès.

Les accès et les actions sont journalisés. Toute violation de données, même seulement \
suspectée, est signalée à l'autre partie dans les 48 heures. Aucune publicité ni démarche \
commerciale n'est faite auprès des familles. Chaque école peut récupérer ses données en fin \
d'année ; lorsque la convention prend fin, les données restent accessibles trois mois afin que \
chacun puisse les récupérer, puis elles sont supprimées.

## Écoles inscrites et montant dû
Pour l'année scolaire {{ annee_scolaire }}, {{ collectivite }} inscrit {{ nombre_ecoles }} \
école(s), soit une participation de {{ nombre_ecoles }} × {{ montant_par_ecole }} = \
{{ montant_total }}.

Écoles inscrites : {{ liste_ecoles }}. Leur liste, avec leur code UAI, figure en annexe 1.

## Durée
La convention prend effet à la date de sa signature par les deux parties et prend fin le \
{{ date_fin }}. Elle peut être renouvelée pour l'année scolaire suivante par une nouvelle \
convention.

## Modification et résiliation
Une partie qui estime que l'autre ne respecte pas la présente convention lui adresse une mise \
en demeure, par lettre recommandée avec accusé de réception, exposant ses griefs.

La partie la plus diligente organise alors une conciliation, dans un délai d'un mois au plus. \
Si la conciliation échoue, la partie qui s'estime lésée peut résilier la convention de plein \
droit par une lettre recommandée avec accusé de réception qui en précise les motifs ; la \
résiliation prend effet à l'expiration d'un délai de quinze jours suivant l'envoi de cette \
lettre. Les sommes déjà perçues par l'académie au titre de la convention ne sont pas \
remboursées.

À défaut d'accord amiable dans le mois qui suit l'envoi de cette lettre, le litige peut être \
porté devant le {{ juridiction }}."""


@dataclass
class Block:
    """One piece of the rendered text: a heading, a paragraph or a list."""

    kind: str  # "article", "subarticle", "paragraph", "list"
    text: str = ""
    number: str = ""
    items: list[str] = field(default_factory=list)


def unknown_placeholders(text: str) -> list[str]:
    """The `{{ … }}` of `text` that are not known placeholders (to refuse on save)."""
    unknown = []
    for match in _ANY_BRACES.finditer(text or ""):
        found = _PLACEHOLDER.fullmatch(match.group(0))
        if found is None or found.group(1) not in PLACEHOLDERS:
            unknown.append(match.group(0))
    return unknown


def fill(text: str, values: dict[str, str]) -> str:
    """Replace the known placeholders by their values; the text is plain, not HTML."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def _paragraphs(lines: list[str]) -> list[str]:
    return [" ".join(chunk.split()) for chunk in "\n".join(lines).split("\n\n") if chunk.strip()]


def parse(articles: str) -> list[Block]:
    """The blocks of an articles text, numbered: "Article 3", "Article 3.1"…"""
    blocks: list[Block] = []
    pending: list[str] = []
    article = sub = 0

    def flush_paragraphs() -> None:
        for paragraph in _paragraphs(pending):
            blocks.append(Block("paragraph", paragraph))
        pending.clear()

    for raw in (articles or "").replace("\r\n", "\n").split("\n"):
        line = raw.rstrip()
        if line.startswith("### "):
            flush_paragraphs()
            sub += 1
            blocks.append(Block("subarticle", line[4:].strip(), number=f"{article}.{sub}"))
        elif line.startswith("## "):
            flush_paragraphs()
            article, sub = article + 1, 0
            blocks.append(Block("article", line[3:].strip(), number=str(article)))
        elif line.lstrip().startswith("- "):
            flush_paragraphs()
            if blocks and blocks[-1].kind == "list":
                blocks[-1].items.append(line.lstrip()[2:].strip())
            else:
                blocks.append(Block("list", items=[line.lstrip()[2:].strip()]))
        else:
            pending.append(line)
    flush_paragraphs()
    return blocks


def check_articles(articles: str) -> list[str]:
    """French problems with an articles text, empty when it can be saved."""
    problems = []
    if not any(block.kind == "article" for block in parse(articles)):
        problems.append(_("Le texte doit contenir au moins un article : une ligne commençant par « ## »."))
    unknown = unknown_placeholders(articles)
    if unknown:
        problems.append(
            _("Champs inconnus : %(unknown)s. Champs possibles : %(known)s.")
            % {"unknown": ", ".join(unknown), "known": ", ".join(f"{{{{ {name} }}}}" for name in PLACEHOLDERS)}
        )
    return problems
