"""The English interface is complete: every Dutch string has an English translation, compiled."""

import re
from pathlib import Path

from django.utils import translation

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES"


def _entries():
    text = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    return [entry for entry in text.split("\n\n")[1:] if "msgid" in entry and not entry.lstrip().startswith("#~")]


def test_every_string_has_a_finished_translation():
    unfinished = [
        entry for entry in _entries() if "#, fuzzy" in entry or re.search(r'^msgstr(\[\d\])? ""\Z', entry.strip(), re.M)
    ]
    assert unfinished == []


def test_a_recent_string_is_translated_at_run_time():
    with translation.override("en"):
        assert translation.gettext("Je gegevens downloaden of je account verwijderen") != (
            "Je gegevens downloaden of je account verwijderen"
        )
