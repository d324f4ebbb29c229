"""The English catalogue is complete: every message of the code and the templates is in
motcua/locale/en/LC_MESSAGES/django.po, translated (no empty or fuzzy entry, placeholders kept), and
the committed django.mo is compiled from that .po (the runtime needs no gettext tools).

When a test here fails after you added or changed a message: run
`.venv/bin/python manage.py makemessages -l en --ignore=.venv --ignore=var --ignore=tests --ignore=bench`,
translate the new entries in the .po (and remove `#, fuzzy`), then
`.venv/bin/python manage.py compilemessages -l en --ignore=.venv --ignore=var`.
"""

from __future__ import annotations

import ast
import gettext
import io
import re
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation.template import templatize

ROOT = Path(settings.BASE_DIR)
LOCALE = ROOT / "motcua" / "locale" / "en" / "LC_MESSAGES"
PO = LOCALE / "django.po"
MO = LOCALE / "django.mo"
SOURCES = [ROOT / "motcua", ROOT / "config"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdrf]|%%|%[sd]|\{\w*\}")


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> tuple[str, str]:
        return (self.msgctxt, self.msgid)


def _unquote(text: str) -> str:
    value = ast.literal_eval(text)
    assert isinstance(value, str)
    return value


def read_po(path: Path) -> list[Entry]:
    """A small .po reader: enough for the files makemessages writes (obsolete #~ entries skipped)."""
    entries: list[Entry] = []
    current = Entry()
    target: tuple[str, int] | None = None
    started = False

    def finish() -> None:
        nonlocal current, started
        if started:
            entries.append(current)
        current, started = Entry(), False

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#,"):
            current.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")$', line)
        if match:
            if match.group(1) in {"msgctxt", "msgid"} and started and current.msgstr:
                finish()
            if not started:
                current.line = number
            started = True
            name, index, value = match.group(1), int(match.group(2) or 0), _unquote(match.group(3))
            target = (name, index)
        elif line.startswith('"') and target is not None:
            name, index, value = target[0], target[1], _unquote(line)
        else:
            raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
        if name == "msgstr":
            current.msgstr[index] = current.msgstr.get(index, "") + value
        elif name == "msgid_plural":
            current.msgid_plural = (current.msgid_plural or "") + value
        else:
            setattr(current, name, getattr(current, name) + value)
    finish()
    return entries


@pytest.fixture(scope="module")
def catalogue() -> list[Entry]:
    entries = read_po(PO)
    assert entries and entries[0].msgid == "", "the .po starts with its header"
    return entries


def test_header(catalogue):
    header = catalogue[0].msgstr[0]
    assert "Language: en\n" in header
    assert "Content-Type: text/plain; charset=UTF-8\n" in header
    assert "Plural-Forms: nplurals=2; plural=(n != 1);\n" in header
    assert "fuzzy" not in catalogue[0].flags


def test_every_message_is_translated(catalogue):
    messages = catalogue[1:]
    assert len(messages) > 900
    problems = []
    for entry in messages:
        where = f"django.po:{entry.line} {entry.msgid!r}"
        if "fuzzy" in entry.flags:
            problems.append(f"{where}: fuzzy")
        forms = [0, 1] if entry.msgid_plural is not None else [0]
        if sorted(entry.msgstr) != forms or not all(entry.msgstr[i].strip() for i in forms):
            problems.append(f"{where}: not translated")
            continue
        for i in forms:
            source = entry.msgid if i == 0 else entry.msgid_plural or ""
            if sorted(PLACEHOLDER.findall(entry.msgstr[i])) != sorted(PLACEHOLDER.findall(source)):
                problems.append(f"{where}: placeholders differ in {entry.msgstr[i]!r}")
    assert not problems, "\n".join(problems)


def test_translations_are_english(catalogue):
    """A Vietnamese letter left in a translation means a message was copied, not translated
    ("Tết", the name of a decision or a sample search in Vietnamese excepted)."""
    vietnamese = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯạ-ỹẠ-Ỹàáèéìíòóùúýỳõãẽĩũỹ]")
    allowed = re.compile(r"Tết|QĐ-TTg|«[^»]*»|khai sinh|dang ky khai sinh|chung thuc")
    leftovers = [(e.msgid, text) for e in catalogue[1:] for text in e.msgstr.values()
                 if vietnamese.search(allowed.sub("", text))]
    assert not leftovers, leftovers


def test_the_compiled_catalogue_matches_the_po(catalogue):
    with MO.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    stale = []
    for entry in catalogue[1:]:
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural is None:
            got = compiled._catalog.get(key)  # type: ignore[attr-defined]
            if got != entry.msgstr[0]:
                stale.append((entry.msgid, got, entry.msgstr[0]))
        else:
            for i in (0, 1):
                got = compiled._catalog.get((key, i))  # type: ignore[attr-defined]
                if got != entry.msgstr[i]:
                    stale.append((entry.msgid, got, entry.msgstr[i]))
    assert not stale, f"django.mo is older than django.po (run compilemessages): {stale[:5]}"


# --- every message of the sources is in the catalogue --------------------------------------------

PY_FUNCTIONS = {
    # name: (index of the context argument or None, index of the message)
    "_": (None, 0), "_l": (None, 0), "gettext": (None, 0), "gettext_lazy": (None, 0), "gettext_noop": (None, 0),
    "ngettext": (None, 0), "ngettext_lazy": (None, 0), "pgettext": (0, 1), "pgettext_lazy": (0, 1),
    "npgettext": (0, 1), "npgettext_lazy": (0, 1),
}


def python_messages(path: Path) -> set[tuple[str, str]]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name not in PY_FUNCTIONS:
            continue
        context_at, message_at = PY_FUNCTIONS[name]
        args = node.args
        if len(args) <= message_at or not all(isinstance(a, ast.Constant) and isinstance(a.value, str)
                                              for a in args[: message_at + 1]):
            continue
        context = args[context_at].value if context_at is not None else ""  # type: ignore[attr-defined]
        found.add((context, args[message_at].value))  # type: ignore[attr-defined]
    return found


TEMPLATE_FUNCTIONS = {"_": (None, 0), "gettext": (None, 0), "ngettext": (None, 0), "pgettext": (0, 1),
                      "npgettext": (0, 1)}


def template_messages(path: Path) -> set[tuple[str, str]]:
    """The messages makemessages would extract: Django's own templatize(), then its calls read back."""
    code = "\n".join(line.strip() for line in templatize(path.read_text(encoding="utf-8"), origin=str(path))
                     .splitlines())
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(code).readline)
              if t.type not in {tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT}]
    found = set()
    for i, token in enumerate(tokens[:-1]):
        if token.type != tokenize.NAME or token.string not in TEMPLATE_FUNCTIONS or tokens[i + 1].string != "(":
            continue
        strings = []
        for following in tokens[i + 2:]:
            if following.type == tokenize.STRING:
                strings.append(ast.literal_eval(following.string))
            elif following.string != ",":
                break
        context_at, message_at = TEMPLATE_FUNCTIONS[token.string]
        if len(strings) > message_at:
            found.add((strings[context_at] if context_at is not None else "", strings[message_at]))
    return found


def source_messages() -> dict[tuple[str, str], Path]:
    found: dict[tuple[str, str], Path] = {}
    for base in SOURCES:
        for path in sorted(base.rglob("*.py")):
            for key in python_messages(path):
                found.setdefault(key, path)
        for path in sorted(base.rglob("templates/**/*.html")):
            for key in template_messages(path):
                found.setdefault(key, path)
    return found


def test_the_reader_of_the_sources_finds_what_makemessages_finds():
    """Guard for the test below: known messages of each kind are found."""
    found = source_messages()
    assert ("", "Thứ Hai") in found  # _l() in Python
    assert ("dossier status", "Đã trả kết quả") in found  # pgettext_lazy()
    assert ("", "Thông tin chính") in found  # {% trans %}
    assert ("", "Gõ có dấu hoặc không dấu, ví dụ: dang ky khai sinh") in found  # _("...") in a tag argument
    assert ("", "Hồ sơ nhận sau %(t)s được tính từ đầu ngày làm việc tiếp theo.") in found  # {% blocktrans %}
    assert ("", "Tìm thấy %(n)s thủ tục.") in found  # {% blocktrans count %}


def test_every_message_of_the_sources_is_in_the_catalogue(catalogue):
    known = {entry.key for entry in catalogue[1:]}
    missing = {key: path for key, path in source_messages().items() if key not in known}
    assert not missing, "messages missing from django.po (run makemessages, then translate):\n" + "\n".join(
        f"  {path.relative_to(ROOT)}: {key[1]!r}" + (f" (context {key[0]!r})" if key[0] else "")
        for key, path in sorted(missing.items(), key=lambda item: str(item[1])))


def test_the_page_status_names_are_the_domain_status_names():
    from django.utils import translation

    from motcua.workflow.domain import STATUS_NAMES
    from motcua.workflow.labels import STATUS_LABELS

    assert sorted(STATUS_LABELS) == sorted(STATUS_NAMES)
    with translation.override("vi"):
        assert {code: str(label) for code, label in STATUS_LABELS.items()} == STATUS_NAMES
    with translation.override("en"):
        assert [str(STATUS_LABELS[code]) for code in sorted(STATUS_LABELS)] == [
            "Submitted", "Received", "Not accepted", "In progress", "Supplement requested",
            "Financial obligation requested", "Withdrawn by applicant", "Processing stopped", "Resolved",
            "Result returned"]
