"""Every foundation app ships a complete Simplified Chinese catalogue."""

import re
from pathlib import Path

import polib
import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "jiedao"
APPS = [
    "core",
    "accounts",
    "audit",
    "geo",
    "events",
    "supervision",
    "portal",
    "open311",
    "web",
    "demo",
    "cockpit",
]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w*)\}")


def catalogue(app: str) -> polib.POFile:
    path = PACKAGE / app / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"{app} has no zh_Hans catalogue"
    return polib.pofile(str(path))


def placeholders(text: str) -> set[str]:
    return {"".join(match) for match in PLACEHOLDER.findall(text)}


@pytest.mark.parametrize("app", APPS)
def test_catalogue_is_complete(app):
    po = catalogue(app)

    assert len(po) > 0
    assert [entry.msgid for entry in po.untranslated_entries()] == []


@pytest.mark.parametrize("app", APPS)
def test_catalogue_has_nothing_fuzzy(app):
    po = catalogue(app)

    assert not po.metadata_is_fuzzy
    assert [entry.msgid for entry in po.fuzzy_entries()] == []


@pytest.mark.parametrize("app", APPS)
def test_catalogue_declares_chinese_plural_forms(app):
    po = catalogue(app)

    assert po.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"


@pytest.mark.parametrize("app", APPS)
def test_translations_keep_every_placeholder(app):
    """A translation that loses or renames %(name)s would fail when the page is rendered."""
    wrong = []
    for entry in catalogue(app):
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for translation in translations:
            if placeholders(translation) != placeholders(entry.msgid):
                wrong.append(entry.msgid)

    assert wrong == []
