"""Reading AAF 1er degré files: names, envelope and records, streamed and safely.

The parser never fetches anything (no DTD, no external entity, no network), refuses
entity declarations (billion laughs), translates the HTML named entities that real files
carry (`&eacute;`) with a fixed table, and clears each record once read, so memory stays
flat whatever the file's size. Domain errors carry the file, the line and the record id.
"""

import datetime
import html.entities
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from lxml import etree

CATEGORIES = ("EtabEducNat", "Eleve", "PersRelEleve", "PersEducNat")
OPERATIONS = {"addRequest": "add", "modifyRequest": "modify", "deleteRequest": "delete"}
FILE_NAME = re.compile(
    r"^(?P<prefix>.*?)_(?P<kind>Complet|Delta)_(?P<date>\d{8})_(?P<category>[A-Za-z]+)_(?P<page>\d{4})\.xml$"
)
_XML_ENTITIES = {"amp", "lt", "gt", "quot", "apos"}
_ENTITY = re.compile(rb"&([A-Za-z][A-Za-z0-9]*);")


class AafFileError(Exception):
    """A file cannot be read at all; the message is in French."""

    def __init__(self, message: str, *, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class AafFile:
    path: Path
    kind: str  # "Complet" or "Delta"
    date: datetime.date
    category: str
    page: int

    @property
    def name(self) -> str:
        return self.path.name


@dataclass
class Record:
    file: str
    line: int
    operation: str  # add, modify, delete
    category: str
    id: str
    attrs: dict[str, list[str]] = field(default_factory=dict)

    def first(self, name: str) -> str:
        values = self.attrs.get(name) or []
        return values[0] if values else ""

    def values(self, name: str) -> list[str]:
        return self.attrs.get(name) or []


def describe_file(path: Path) -> AafFile:
    """Read what a file's name says; a name that does not follow the AAF pattern is refused."""
    match = FILE_NAME.match(path.name)
    if not match:
        raise AafFileError(
            _("Nom de fichier non conforme : attendu <préfixe>_<Complet|Delta>_<AAAAMMJJ>_<Type>_<NNNN>.xml.")
        )
    if match["category"] not in CATEGORIES:
        raise AafFileError(
            _("Type de fichier inconnu « %(category)s » : Préau lit %(known)s.")
            % {"category": match["category"], "known": ", ".join(CATEGORIES)}
        )
    try:
        day = datetime.datetime.strptime(match["date"], "%Y%m%d").date()
    except ValueError as error:
        raise AafFileError(_("Date invalide dans le nom du fichier : %(date)s.") % {"date": match["date"]}) from error
    return AafFile(path=path, kind=match["kind"], date=day, category=match["category"], page=int(match["page"]))


def find_files(paths: list[Path]) -> tuple[list[AafFile], list[tuple[str, str]]]:
    """The AAF files under `paths` (files or folders), and (name, message) for the others."""
    found: list[AafFile] = []
    refused: list[tuple[str, str]] = []
    for path in paths:
        candidates = sorted(p for p in path.rglob("*.xml")) if path.is_dir() else [path]
        if path.is_dir() and not candidates:
            refused.append((str(path), _("Aucun fichier XML dans ce dossier.")))
        for candidate in candidates:
            if not candidate.exists():
                refused.append((str(candidate), _("Fichier introuvable.")))
                continue
            try:
                found.append(describe_file(candidate))
            except AafFileError as error:
                refused.append((candidate.name, error.message))
    return found, refused


class _EntityTranslatingReader:
    """A file-like object that replaces HTML named entities by their characters, in UTF-8.

    Entity declarations are refused before the parser sees them. A chunk may end in the
    middle of an entity: the tail after the last '&' waits for the next chunk.
    """

    def __init__(self, raw, name: str):
        self.raw = raw
        self.name = name
        self.pending = b""
        self.in_prolog = True

    def read(self, size: int = 65536) -> bytes:
        chunk = self.raw.read(size)
        data = self.pending + chunk
        self.pending = b""
        if chunk:
            cut = data.rfind(b"&")
            if cut != -1 and b";" not in data[cut:] and len(data) - cut < 40:
                data, self.pending = data[:cut], data[cut:]
        if self.in_prolog:
            if b"<!ENTITY" in data or re.search(rb"<!DOCTYPE[^>]*\[", data):
                raise AafFileError(_("Le fichier déclare des entités XML (DTD interne) : refusé par sécurité."))
            if b"<ficAlimMENESR" in data:
                self.in_prolog = False
        return _ENTITY.sub(self._translate, data)

    @staticmethod
    def _translate(match: re.Match) -> bytes:
        name = match.group(1).decode("ascii")
        if name in _XML_ENTITIES:
            return match.group(0)
        codepoint = html.entities.name2codepoint.get(name)
        if codepoint is None:
            return match.group(0)  # lxml reports it as an undefined entity, with its line
        return f"&#{codepoint};".encode("ascii")


def _text(element) -> str:
    return (element.text or "").strip()


def read_records(aaf_file: AafFile) -> Iterator[Record]:
    """The file's records, one at a time. Raises AafFileError when the file is unreadable."""
    check_size(aaf_file.path)
    with open(aaf_file.path, "rb") as raw:
        reader = _EntityTranslatingReader(raw, aaf_file.name)
        events = etree.iterparse(
            reader,
            events=("start", "end"),
            # Only the root and the operations raise events: the rest is read from them.
            tag=("ficAlimMENESR", *OPERATIONS),
            resolve_entities=False,
            load_dtd=False,
            no_network=True,
            huge_tree=False,
            remove_comments=True,
        )
        root_seen = False
        try:
            for event, element in events:
                if not root_seen:
                    root_seen = True
                    if element.tag != "ficAlimMENESR":
                        raise AafFileError(
                            _(
                                "Ce n'est pas un fichier de l'AAF : l'élément racine est « %(tag)s »"
                                " au lieu de « ficAlimMENESR »."
                            )
                            % {"tag": element.tag},
                            line=element.sourceline,
                        )
                    continue
                if event != "end" or element.tag not in OPERATIONS:
                    continue
                yield _record(aaf_file, element)
                # Free what was read: memory stays flat on large files.
                element.clear()
                parent = element.getparent()
                while parent is not None and element.getprevious() is not None:
                    del parent[0]
        except etree.XMLSyntaxError as error:
            if not _ends_like_aaf(aaf_file.path):
                raise AafFileError(
                    _("Fichier tronqué : il ne se termine pas par </ficAlimMENESR> (%(detail)s).")
                    % {"detail": error.msg},
                    line=error.lineno,
                ) from error
            raise AafFileError(_explain_syntax_error(error), line=error.lineno) from error
        if not root_seen:
            raise AafFileError(_("Ce n'est pas un fichier de l'AAF : il ne contient aucun élément ficAlimMENESR."))


def _ends_like_aaf(path: Path) -> bool:
    with open(path, "rb") as stream:
        stream.seek(max(0, os.path.getsize(path) - 200))
        return b"</ficAlimMENESR>" in stream.read()


def check_size(path: Path) -> None:
    size = os.path.getsize(path)
    if size > settings.PREAU_AAF_MAX_FILE_BYTES:
        raise AafFileError(
            _(
                "Fichier trop volumineux (%(size)d Mo, au plus %(limit)d Mo par fichier) : l'AAF découpe"
                " ses exports en pages, vérifiez qu'il s'agit bien d'une page de l'annuaire."
            )
            % {"size": size // 2**20, "limit": settings.PREAU_AAF_MAX_FILE_BYTES // 2**20}
        )


def _record(aaf_file: AafFile, element) -> Record:
    category, identifier = "", ""
    attrs: dict[str, list[str]] = {}
    for block in element:
        if block.tag == "operationalAttributes":
            for attr in block:
                if attr.get("name") in ("categoriePersonne", "categorieStructure") and len(attr):
                    category = _text(attr[0])
        elif block.tag == "identifier":
            identifier = _text(block[0]) if len(block) else ""
        elif block.tag == "attributes":
            for attr in block:
                values = [value.text.strip() for value in attr if value.text and value.text.strip()]
                attrs[sys.intern(attr.get("name", ""))] = values
    return Record(
        file=aaf_file.name,
        line=element.sourceline or 0,
        operation=OPERATIONS[element.tag],
        category=category,
        id=identifier,
        attrs=attrs,
    )


def _explain_syntax_error(error: etree.XMLSyntaxError) -> str:
    text = str(error.msg or error)
    if "encoding" in text.lower() or "not proper UTF-8" in text or "Input is not proper" in text:
        return _("Encodage invalide : le fichier n'est pas en UTF-8 comme il le déclare (%(detail)s).") % {
            "detail": text
        }
    if "Premature end" in text or "EndTag" in text or "end of data" in text or "Extra content" in text:
        return _("Fichier tronqué ou mal fermé : %(detail)s.") % {"detail": text}
    if "Entity" in text:
        return _("Entité inconnue dans le fichier : %(detail)s.") % {"detail": text}
    return _("XML mal formé : %(detail)s.") % {"detail": text}


# --- Values -------------------------------------------------------------------------------


def parse_date(value: str) -> datetime.date | None:
    """JJ/MM/AAAA → date; empty → None; anything else raises ValueError."""
    if not value:
        return None
    return datetime.datetime.strptime(value, "%d/%m/%Y").date()


def parse_bool(value: str) -> bool | None:
    """O/N → True/False; empty → None."""
    if not value:
        return None
    if value.upper() in ("O", "OUI", "1", "TRUE"):
        return True
    if value.upper() in ("N", "NON", "0", "FALSE"):
        return False
    raise ValueError(value)


@dataclass(frozen=True)
class Compound:
    """A 5-field `$` value: structure$?$?$code$label (classes, groups, functions)."""

    structure: str
    code: str
    label: str
    fields: tuple[str, ...]


def parse_compound(value: str) -> Compound:
    fields = tuple(part.strip() for part in value.split("$"))
    padded = fields + ("",) * (5 - len(fields))
    return Compound(structure=padded[0], code=padded[3], label=padded[4], fields=fields)
