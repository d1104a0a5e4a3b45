import shutil
from pathlib import Path

import pytest

from preau.directory.factories import AcademieFactory

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def toulouse(db):
    return AcademieFactory(name="Toulouse", code="16")


@pytest.fixture
def complet(tmp_path) -> Path:
    """A writable copy of the hand-written full set, so a test can alter it."""
    target = tmp_path / "toulouse"
    shutil.copytree(FIXTURES / "toulouse_complet", target)
    return target


def rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")
