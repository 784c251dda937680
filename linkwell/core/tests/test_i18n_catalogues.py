"""The translation catalogues: complete, faithful to their placeholders, compiled, and current.

A missing or fuzzy translation shows English in the middle of an Urdu page; a lost
placeholder raises an error or drops a postcode from a sentence; a stale .mo file means the
site does not show what translators wrote. See docs/how-to/translate.md.
"""

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils.translation import to_locale

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
TRANSLATED_LOCALES = [
    to_locale(code) for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE
]
PO_FILES = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))
# %(name)s and %s style (python-format), {name} (python-brace-format), and any HTML tag.
PLACEHOLDER = re.compile(
    r"%\(\w+\)[-+ #0]*\d*(?:\.\d+)?[sdifr]|%[sdifr]|\{\w*\}|</?[a-zA-Z][^<>]*>"
)


def _po_id(path: Path) -> str:
    return str(path.relative_to(LOCALE_DIR))


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def _messages(catalogue: polib._BaseFile) -> dict[tuple[str, str], object]:
    """Translated messages by (context, msgid): what Django would look up."""
    messages: dict[tuple[str, str], object] = {}
    for entry in catalogue:
        if not entry.msgid or entry.obsolete or "fuzzy" in entry.flags:
            continue
        if not (entry.msgstr or any(entry.msgstr_plural.values())):
            continue  # msgfmt leaves out what is not translated
        if entry.msgid_plural:
            value: object = (entry.msgid_plural, tuple(sorted(entry.msgstr_plural.items())))
        else:
            value = entry.msgstr
        messages[(entry.msgctxt or "", entry.msgid)] = value
    return messages


def test_every_offered_language_has_a_catalogue():
    for locale in TRANSLATED_LOCALES:
        assert (LOCALE_DIR / locale / "LC_MESSAGES" / "django.po").exists(), locale
        assert (LOCALE_DIR / locale / "LC_MESSAGES" / "django.mo").exists(), locale


@pytest.mark.parametrize("po_path", PO_FILES, ids=_po_id)
def test_no_message_is_untranslated_or_fuzzy(po_path):
    catalogue = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not untranslated, f"untranslated in {_po_id(po_path)}: {untranslated}"
    assert not fuzzy, f"fuzzy (needs checking) in {_po_id(po_path)}: {fuzzy}"
    assert not catalogue.metadata_is_fuzzy, "the header is marked fuzzy"


@pytest.mark.parametrize("po_path", PO_FILES, ids=_po_id)
def test_each_translation_keeps_the_placeholders_and_markup_of_its_source(po_path):
    mismatches = []
    for entry in polib.pofile(str(po_path)).translated_entries():
        if entry.msgid_plural:
            # Any plural form may be used for any count, so each needs every placeholder.
            expected = _placeholders(entry.msgid_plural)
            translations = list(entry.msgstr_plural.values())
        else:
            expected = _placeholders(entry.msgid)
            translations = [entry.msgstr]
        for translation in translations:
            if _placeholders(translation) != expected:
                mismatches.append(f"{entry.msgid!r} -> {translation!r}")
    assert not mismatches, f"in {_po_id(po_path)}:\n" + "\n".join(mismatches)


class _AnyValue(dict):
    def __missing__(self, key: str) -> int:
        return 1


@pytest.mark.parametrize("po_path", PO_FILES, ids=_po_id)
def test_each_translation_formats_as_its_source_does(po_path):
    """A stray % or a broken %(name) in a translation raises an error on the page itself."""
    broken = []
    for entry in polib.pofile(str(po_path)).translated_entries():
        if "%(" in entry.msgid and "python-format" not in entry.flags:
            broken.append(f"{entry.msgid!r} lost its python-format flag")
        if "python-format" not in entry.flags:
            continue
        for translation in [entry.msgstr, *entry.msgstr_plural.values()]:
            if not translation:
                continue
            try:
                translation % _AnyValue()
            except (ValueError, TypeError, KeyError) as error:
                broken.append(f"{translation!r}: {error}")
    assert not broken, f"in {_po_id(po_path)}:\n" + "\n".join(broken)


@pytest.mark.parametrize("po_path", PO_FILES, ids=_po_id)
def test_the_compiled_mo_file_matches_its_po_file(po_path):
    """The committed .mo holds the .po's translations: `scripts/translations compile` does it."""
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{_po_id(mo_path)} is missing: run scripts/translations compile"
    from_po = _messages(polib.pofile(str(po_path)))
    from_mo = _messages(polib.mofile(str(mo_path)))
    changed = {key for key in from_po.keys() & from_mo.keys() if from_po[key] != from_mo[key]}
    stale = sorted(key[1] for key in (from_po.keys() ^ from_mo.keys()) | changed)
    assert not stale, f"{_po_id(mo_path)} is out of date for: {stale[:10]}"


@pytest.mark.skipif(not shutil.which("xgettext"), reason="GNU gettext is not installed")
def test_the_catalogues_hold_every_message_in_the_code(tmp_path, monkeypatch):
    """Text added to a template or module since the last `scripts/translations update`."""
    source = Path(settings.BASE_DIR) / "linkwell"
    copy = tmp_path / "linkwell"
    shutil.copytree(
        source,
        copy,
        ignore=shutil.ignore_patterns(
            "locale", "tests", "migrations", "node_modules", "vendor", "__pycache__", "*.min.js"
        ),
    )
    (copy / "locale").mkdir()
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[copy / "locale"]):
        call_command(
            "makemessages",
            locale=[TRANSLATED_LOCALES[0]],
            extensions=["html", "txt", "py"],
            verbosity=0,
        )
    extracted = polib.pofile(str(copy / "locale" / TRANSLATED_LOCALES[0] / "LC_MESSAGES/django.po"))
    for locale in TRANSLATED_LOCALES:
        catalogue = polib.pofile(str(LOCALE_DIR / locale / "LC_MESSAGES" / "django.po"))
        known = {(e.msgctxt, e.msgid) for e in catalogue if not e.obsolete}
        missing = [e.msgid for e in extracted if (e.msgctxt, e.msgid) not in known]
        assert not missing, (
            f"{locale} lacks {len(missing)} message(s) from the code; run "
            f"`scripts/translations update` and translate them: {missing[:10]}"
        )
