"""The translation catalogues keep up with the code (docs/architecture.md, "Languages").

A string marked for translation (in Python or a template) that has no entry in a language's catalogue
fails: run `make messages`. An entry still awaiting its translation is listed (a warning in the test
summary), not failed: English shows until a translator fills it in. The reference is made the way
`make messages` makes it — Django's makemessages, run on a temporary copy of the code, so the
repository's own catalogues are never written — and compared entry by entry (GNU gettext's msgcat and
msgattrib read the catalogues).
"""

import gettext
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
# What makemessages reads: the Python code and the templates (the scripts have no texts of their own).
COPIED = ("manage.py", "claims", "factcheck", "templates")
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]

needs_gettext = pytest.mark.skipif(
    shutil.which("msgattrib") is None, reason="GNU gettext is not installed (.ci/run installs it)"
)


class AwaitingTranslation(UserWarning):
    """Entries of a catalogue that have no translation yet: English shows meanwhile."""


def run(*command: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    """Every string the code marks for translation, as a fresh catalogue made by makemessages on a copy."""
    copy = tmp_path_factory.mktemp("messages")
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "locale"))
        else:
            shutil.copy(source, copy / name)
    # The copy's settings put LOCALE_PATHS (and the var folder) inside the copy: nothing is written here.
    env = {**os.environ, "FACTCHECK_VAR_DIR": str(copy / "var")}
    made = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "xx", "--no-obsolete", "--add-location", "file",
         "--ignore", "var"],
        cwd=copy, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    return copy / "locale" / "xx" / "LC_MESSAGES" / "django.po"


def entries(catalogue: Path) -> set[str]:
    """Each entry's msgid (with its context, "context\x04msgid"), one line each as msgcat writes them."""
    written = run("msgcat", "--no-wrap", "--no-location", str(catalogue))
    assert written.returncode == 0, written.stderr
    found, context = set(), ""
    for line in written.stdout.splitlines():
        if line.startswith('msgctxt "'):
            context = line[len('msgctxt "') : -1] + "\x04"
        elif line.startswith('msgid "'):
            found.add(context + line[len('msgid "') : -1])
            context = ""
    return found - {""}  # the header


def missing_entries(catalogue: Path, reference: Path) -> list[str]:
    """The strings `reference` has that `catalogue` has no entry for."""
    return sorted(entries(reference) - entries(catalogue))


def untranslated_entries(catalogue: Path) -> list[str]:
    """The first line of each entry's msgid that has no translation yet (or only a fuzzy one)."""
    found = run("msgattrib", "--untranslated", "--no-obsolete", "--no-wrap", str(catalogue)).stdout
    fuzzy = run("msgattrib", "--only-fuzzy", "--no-obsolete", "--no-wrap", str(catalogue)).stdout
    entries = []
    for text in (found, fuzzy):
        entries += [line[len('msgid "') : -1] for line in text.splitlines() if line.startswith('msgid "')]
    return [entry for entry in entries if entry]  # the header's msgid is empty


@needs_gettext
@pytest.mark.parametrize("language", TRANSLATED)
def test_every_string_marked_for_translation_has_an_entry_in_the_catalogue(language, reference):
    catalogue = LOCALE / language / "LC_MESSAGES" / "django.po"
    assert catalogue.is_file(), f"{catalogue.relative_to(ROOT)} is missing: run `make messages`"
    missing = missing_entries(catalogue, reference)
    assert not missing, f"Strings without an entry in {catalogue.relative_to(ROOT)} (run `make messages`): {missing}"
    waiting = untranslated_entries(catalogue)
    if waiting:
        shown = "; ".join(waiting[:10]) + (" …" if len(waiting) > 10 else "")
        warnings.warn(f"{language}: {len(waiting)} entries await translation: {shown}", AwaitingTranslation, 1)


@needs_gettext
@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalogue_is_committed_and_matches_its_source(language, tmp_path):
    """`make run` needs no gettext: the .mo in the repository is what `make messages` compiles."""
    folder = LOCALE / language / "LC_MESSAGES"
    compiled = tmp_path / "django.mo"
    assert run("msgfmt", "--check-format", "-o", str(compiled), str(folder / "django.po")).returncode == 0
    assert (folder / "django.mo").is_file(), "the compiled catalogue is not committed: run `make messages`"
    with (folder / "django.mo").open("rb") as committed, compiled.open("rb") as fresh:
        assert gettext.GNUTranslations(committed)._catalog == gettext.GNUTranslations(fresh)._catalog, (  # type: ignore[attr-defined]
            f"{folder.relative_to(ROOT)}/django.mo is older than its .po: run `make messages`"
        )


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_catalogue_says_it_awaits_review_by_a_native_speaker(language):
    header = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text().split("msgid", 1)[0]
    assert "native speaker" in header.lower()


# --- The check itself, on catalogues made here ---------------------------------------------------------


@needs_gettext
def test_a_string_with_no_entry_fails_and_names_the_string(reference, tmp_path):
    translated = tmp_path / "translated.po"
    assert run("msgen", "-o", str(translated), str(reference)).returncode == 0  # every entry "translated"
    assert missing_entries(translated, reference) == []
    short = tmp_path / "short.po"
    dropped = run("msggrep", "--invert-match", "-K", "-e", "^Skip to content$", "-o", str(short), str(translated))
    assert dropped.returncode == 0
    assert missing_entries(short, reference) == ["Skip to content"]


@needs_gettext
def test_an_entry_awaiting_translation_is_listed_not_failed(reference):
    # makemessages' own catalogue has every entry and no translation.
    assert missing_entries(reference, reference) == []
    waiting = untranslated_entries(reference)
    assert "Skip to content" in waiting
    assert "Your language is saved." in waiting
