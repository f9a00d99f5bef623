"""The English catalog keeps up with the extracted template (make messages).

Every msgid in messages.pot must have a finished English translation: not
missing, not empty, not fuzzy.  A translation must use exactly the
placeholders of its msgid, or formatting raises KeyError (or silently drops a
value) when the English page is rendered.
"""
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parent.parent / "portal" / "translations"
POT = TRANSLATIONS / "messages.pot"
EN_PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"

# %(name)s, %(n)d, %(x).1f, and the positional %s / %d kind; "%%" is a literal.
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[#0 +-]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[diouxXeEfFgGcrsa]")


def _read(path):
    with open(path, "rb") as f:
        return read_po(f)


def _ids(message):
    return message.id if isinstance(message.id, tuple) else (message.id,)


def _strings(message):
    return message.string if isinstance(message.string, tuple) else (message.string,)


def placeholders(text):
    return set(PLACEHOLDER.findall(text.replace("%%", ""))) if text else set()


@pytest.fixture(scope="module")
def template():
    return _read(POT)


@pytest.fixture(scope="module")
def english():
    return _read(EN_PO)


def test_placeholder_pattern():
    assert placeholders("%(field)s paling banyak %(n)d karakter.") == {"%(field)s", "%(n)d"}
    assert placeholders("100%% selesai, %s dan %(x).1f") == {"%s", "%(x).1f"}
    assert placeholders("") == set()


def test_template_is_not_empty(template):
    assert len([m for m in template if m.id]) > 100


def test_every_template_message_is_translated(template, english):
    problems = []
    for message in template:
        if not message.id:
            continue
        key = _ids(message)[0]
        found = english.get(message.id, context=message.context)
        if found is None:
            problems.append(f"missing from en catalog: {key!r}")
        elif found.fuzzy:
            problems.append(f"fuzzy: {key!r}")
        elif not all(s.strip() for s in _strings(found)):
            problems.append(f"untranslated: {key!r}")
        elif len(_ids(found)) != len(_ids(message)):
            problems.append(f"singular/plural mismatch with the template: {key!r}")
    assert not problems, "run `make messages` and translate:\n" + "\n".join(problems)


def test_translations_keep_the_placeholders(english):
    problems = []
    for message in english:
        if not message.id:
            continue
        expected = set().union(*(placeholders(i) for i in _ids(message)))
        for index, translation in enumerate(_strings(message)):
            if not translation:
                continue  # reported by the completeness test
            got = placeholders(translation)
            if got != expected:
                problems.append(f"{_ids(message)[0]!r} [{index}]: expected {sorted(expected)}, "
                                f"got {sorted(got)}")
    assert not problems, "\n".join(problems)


def test_plural_entries_fill_every_form(english):
    forms = english.num_plurals
    for message in english:
        if message.id and message.pluralizable:
            assert len(_strings(message)) == forms and all(_strings(message)), message.id


def test_the_template_holds_every_string_the_code_marks(tmp_path):
    """A UI string added without `make messages` would stay Indonesian in English."""
    import subprocess
    import sys

    fresh = tmp_path / "fresh.pot"
    root = TRANSLATIONS.parent.parent
    subprocess.run([Path(sys.executable).parent / "pybabel", "extract", "-F", "babel.cfg",
                    "-k", "_l", "-o", str(fresh), "."], cwd=root, check=True, capture_output=True)
    extracted = {message.id for message in _read(fresh) if message.id}
    committed = {message.id for message in _read(POT) if message.id}
    assert extracted - committed == set(), "run `make messages` and translate the new strings"
