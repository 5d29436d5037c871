"""Indonesian and English ship complete: every string translated, nothing fuzzy, catalogues up to date."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

PACKAGE = Path(__file__).resolve().parents[2]
LOCALE = PACKAGE / "locale"


def _catalog(path: Path):  # type: ignore[no-untyped-def]
    with path.open("rb") as handle:
        return read_po(handle)


@pytest.mark.parametrize("language", ["id", "en"])
def test_catalogue_is_complete_and_compiled(language: str) -> None:
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    catalog = _catalog(po)
    assert not catalog.fuzzy
    untranslated = [
        m.id
        for m in catalog
        if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert untranslated == [] and fuzzy == []
    mo = po.with_suffix(".mo")
    assert mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime - 1, (
        "run `make install` to compile catalogues"
    )


def test_indonesian_differs_from_english_where_it_should() -> None:
    catalog = _catalog(LOCALE / "id" / "LC_MESSAGES" / "django.po")
    same = [m.id for m in catalog if m.id and m.string == m.id]
    # Proper names and terms used as-is in Indonesian (Perisai, SMS, WhatsApp, Hotline...) are few.
    assert len(same) < 0.1 * len(catalog)


@pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="gettext is not installed (make test installs it)"
)
def test_no_string_is_missing_from_the_catalogues(tmp_path: Path) -> None:
    """Extract the strings afresh into a copy: any new msgid is a user-facing string without translations."""
    # makemessages writes into every locale folder it finds under its working directory: work on a copy.
    tree = tmp_path / "perisai"
    shutil.copytree(PACKAGE, tree, ignore=shutil.ignore_patterns("static", "__pycache__", "*.mo", "data"))
    copy = tree / "locale"
    env = dict(os.environ, PERISAI_LOCALE_DIR=str(copy), DJANGO_SETTINGS_MODULE="perisai.settings.test")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "perisai",
            "makemessages",
            "-l",
            "id",
            "-l",
            "en",
            "--no-obsolete",
            "--ignore",
            "static/*",
            "--ignore",
            "*/tests/*",
        ],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    for language in ("id", "en"):
        fresh = {m.id for m in _catalog(copy / language / "LC_MESSAGES" / "django.po") if m.id}
        shipped = {m.id for m in _catalog(LOCALE / language / "LC_MESSAGES" / "django.po") if m.id}
        assert fresh - shipped == set(), (
            f"untranslated new strings ({language}): run `make messages` and translate"
        )
