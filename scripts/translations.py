"""Keep locale/en/LC_MESSAGES/django.po complete without extra dependencies.

    python scripts/translations.py todo  [--out FILE]   # list untranslated/fuzzy entries, numbered
    python scripts/translations.py fill  FILE --ids IDS # write translations from a batch file into the .po
    python scripts/translations.py pairs FILE...        # fill untranslated entries from Chinese<TAB>English files
    python scripts/translations.py check                # exit 1 if any entry is empty, fuzzy or loses a placeholder
    python scripts/translations.py unwrapped            # Chinese text in templates outside {% translate %}

A batch file has one entry a line: ``N<TAB>English`` where N is the number printed by ``todo``
(``todo --out FILE`` saves the numbered msgids as ``FILE.ids.json`` and ``fill --ids`` reads them back, so
Chinese source text is never retyped). Plural entries: ``N<TAB>singular || plural``. Escapes ``\\n``,
``\\t`` and ``\\"`` are understood. ``fill`` only rewrites the ``msgstr`` lines (and drops the fuzzy flag)
of entries it translates; everything else in the file stays as makemessages wrote it.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

PO_PATH = Path(__file__).resolve().parent.parent / "locale" / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\([A-Za-z0-9_]+\)[sdif]|%[sdif]|\{[A-Za-z0-9_]*\}")
HEADER_FIELDS = {
    "Project-Id-Version": "laomo",
    "Last-Translator": "Laomo team",
    "Language-Team": "English",
    "Language": "en",
}


@dataclass
class Entry:
    start: int  # index of the entry's first line in the file
    flags: list[str] = field(default_factory=list)
    flag_line: int | None = None
    previous_lines: list[int] = field(default_factory=list)  # "#| msgid ..." left by a fuzzy match
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=list)
    msgstr_lines: tuple[int, int] = (0, 0)  # [first, last) lines holding msgstr / msgstr[n]
    obsolete: bool = False

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr) and not self.fuzzy


def _unquote(text: str) -> str:
    body = text.strip()
    assert body.startswith('"') and body.endswith('"'), body
    return json.loads(body.replace("\\'", "'"))


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\n", "\\n") + '"'


def parse(lines: list[str]) -> list[Entry]:
    entries: list[Entry] = []
    current: Entry | None = None
    key = ""
    plural_index = 0
    for number, raw in enumerate(lines):
        line = raw.rstrip("\n")
        if not line.strip():
            current = None
            continue
        if current is None:
            current = Entry(start=number)
            entries.append(current)
        if line.startswith("#~"):
            current.obsolete = True
            continue
        if line.startswith("#|"):
            current.previous_lines.append(number)
            continue
        if line.startswith("#,"):
            current.flags = [flag.strip() for flag in line[2:].split(",")]
            current.flag_line = number
            continue
        if line.startswith("#"):
            continue
        match = re.match(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")$", line)
        if match:
            key = match.group(1)
            value = _unquote(match.group(3))
            if key.startswith("msgstr"):
                plural_index = int(match.group(2) or 0)
                if not current.msgstr:
                    current.msgstr_lines = (number, number + 1)
                current.msgstr.append(value)
            elif key == "msgctxt":
                current.msgctxt = value
            elif key == "msgid":
                current.msgid = value
            else:
                current.msgid_plural = value
        elif line.startswith('"'):
            value = _unquote(line)
            if key.startswith("msgstr"):
                current.msgstr[plural_index] += value
            elif key == "msgctxt":
                current.msgctxt = (current.msgctxt or "") + value
            elif key == "msgid":
                current.msgid += value
            else:
                current.msgid_plural = (current.msgid_plural or "") + value
        else:
            raise ValueError(f"line {number + 1}: cannot read {line!r}")
        if key.startswith("msgstr"):
            current.msgstr_lines = (current.msgstr_lines[0], number + 1)
    return entries


def _msgstr_lines(entry: Entry, values: list[str]) -> list[str]:
    out: list[str] = []
    for index, value in enumerate(values):
        name = f"msgstr[{index}]" if entry.msgid_plural is not None else "msgstr"
        out.append(f"{name} {_quote(value)}\n")
    return out


def _key(entry: Entry) -> str:
    return entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def problems(entries: list[Entry]) -> list[str]:
    found: list[str] = []
    for entry in entries:
        if entry.obsolete or entry.msgid == "":
            continue
        if not entry.translated:
            found.append(f"untranslated or fuzzy: {entry.msgid!r}")
            continue
        if '"' not in entry.msgid and any('"' in value for value in entry.msgstr):
            # {% blocktranslate %} text is not escaped and often sits inside data-confirm="…".
            found.append(f"ASCII double quote (use “ ”): {entry.msgid!r}")
        expected = placeholders(entry.msgid)
        for value in entry.msgstr:
            got = placeholders(value)
            # A singular form may drop the count ("One record"), never add or rename one.
            if entry.msgid_plural is not None and set(got) <= set(expected):
                continue
            if got != expected:
                found.append(f"placeholders {expected} became {got}: {entry.msgid!r}")
    return found


def cmd_todo(args: argparse.Namespace) -> int:
    entries = [e for e in parse(PO_PATH.read_text().splitlines(True)) if not e.obsolete and e.msgid]
    todo = [e for e in entries if not e.translated]
    keys = [_key(e) for e in todo]
    listing = []
    for number, entry in enumerate(todo):
        text = json.dumps(entry.msgid, ensure_ascii=False)[1:-1]
        mark = " [plural]" if entry.msgid_plural is not None else ""
        listing.append(f"{number}\t{text}{mark}")
    out = "\n".join(listing) + "\n"
    if args.out:
        Path(args.out).write_text(out)
        Path(args.out + ".ids.json").write_text(json.dumps(keys, ensure_ascii=False))
    else:
        sys.stdout.write(out)
    print(f"{len(todo)} of {len(entries)} entries need a translation", file=sys.stderr)
    return 0


def _decode(text: str) -> str:
    return text.replace("\\n", "\n").replace("\\t", "\t").replace('\\"', '"')


def cmd_fill(args: argparse.Namespace) -> int:
    keys: list[str] = json.loads(Path(args.ids).read_text())
    wanted: dict[str, list[str]] = {}
    for line in Path(args.batch).read_text().splitlines():
        if not line.strip():
            continue
        number, _, text = line.partition("\t")
        if not text:
            raise SystemExit(f"no translation on line {line!r}")
        wanted[keys[int(number)]] = [_decode(part.strip()) for part in text.split(" || ")]
    missing = _write(wanted, only_untranslated=False)
    if missing:
        raise SystemExit(f"not in the .po: {missing[:5]}")
    return 0


def cmd_pairs(args: argparse.Namespace) -> int:
    """``Chinese<TAB>English`` files (e.g. locale/new/*.tsv, written by whoever added the strings):
    fills the entries still untranslated; msgids no longer in the .po are listed and skipped."""
    wanted: dict[str, list[str]] = {}
    for name in args.files:
        for line in Path(name).read_text(encoding="utf-8").splitlines():
            if not line.strip() or "\t" not in line:
                continue
            source, _, text = line.partition("\t")
            parts = [_decode(part.strip()) for part in source.split(" || ")]
            wanted[parts[0]] = [_decode(part.strip()) for part in text.split(" || ")]
    missing = _write(wanted, only_untranslated=True)
    print(f"{len(missing)} msgids not in the .po (skipped)", file=sys.stderr)
    return 0


def _write(wanted: dict[str, list[str]], *, only_untranslated: bool) -> list[str]:
    """Writes ``wanted`` (key → msgstr values) into the .po; returns the keys it did not find."""
    lines = PO_PATH.read_text().splitlines(True)
    entries = parse(lines)
    edits: list[tuple[Entry, list[str]]] = []
    for entry in entries:
        values = wanted.pop(_key(entry), None)
        if values is None or entry.obsolete or (only_untranslated and entry.translated):
            continue
        if entry.msgid_plural is not None and len(values) == 1:
            values = values * 2
        if entry.msgid_plural is None and len(values) != 1:
            raise SystemExit(f"{entry.msgid!r} is not a plural entry")
        edits.append((entry, values))
    # Rewrite from the bottom so earlier line numbers stay valid.
    for entry, values in sorted(edits, key=lambda pair: -pair[0].start):
        first, last = entry.msgstr_lines
        lines[first:last] = _msgstr_lines(entry, values)
        for previous in sorted(entry.previous_lines, reverse=True):
            del lines[previous]
        if entry.flag_line is not None and entry.fuzzy:
            flags = [f for f in entry.flags if f != "fuzzy"]
            lines[entry.flag_line : entry.flag_line + 1] = [f"#, {', '.join(flags)}\n"] if flags else []
    PO_PATH.write_text(_fix_header("".join(lines)))
    print(f"filled {len(edits)} entries", file=sys.stderr)
    return list(wanted)


def _fix_header(text: str) -> str:
    head, sep, rest = text.partition('\nmsgid ""\n')
    if head.startswith("# SOME DESCRIPTIVE TITLE."):
        head = "# English messages of Laomo (劳模工匠服务管理平台); the source strings are Simplified Chinese.\n#"
    head = head.removesuffix("\n#, fuzzy")
    header_end = rest.index("\n\n")
    header = rest[:header_end]
    stamp = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M%z")
    for name, value in {**HEADER_FIELDS, "PO-Revision-Date": stamp}.items():
        header = re.sub(rf'"{name}: [^"]*\\n"', f'"{name}: {value}\\\\n"', header)
    return head + sep + header + rest[header_end:]


def cmd_check(args: argparse.Namespace) -> int:
    entries = parse(PO_PATH.read_text().splitlines(True))
    found = problems(entries)
    for problem in found:
        print(problem)
    count = sum(1 for e in entries if not e.obsolete and e.msgid)
    print(f"{count} entries, {len(found)} problems", file=sys.stderr)
    return 1 if found else 0


CJK = re.compile(r"[\u4e00-\u9fff]")
TEMPLATE_WRAPPED = [
    re.compile(r"\{%\s*blocktranslate.*?endblocktranslate\s*%\}", re.S),
    re.compile(r"\{%\s*translate\s+([\"']).*?\1.*?%\}", re.S),
    re.compile(r"_\(([\"']).*?\1\)"),
    re.compile(r"\{#.*?#\}", re.S),
    re.compile(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.S),
]
SKIP_DIRS = {".venv", "var", "node_modules", "static"}


def cmd_unwrapped(args: argparse.Namespace) -> int:
    """Lists template lines that still show Chinese outside translation tags (date formats aside): the
    strings English readers will still see in Chinese, unless the line is a script comment."""
    root = PO_PATH.parents[3]
    found = 0
    for path in sorted(root.rglob("*.html")):
        if SKIP_DIRS & set(path.relative_to(root).parts):
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in TEMPLATE_WRAPPED:
            text = pattern.sub(lambda m: "\n" * m.group(0).count("\n"), text)
        text = re.sub(r"\|date:\"[^\"]*\"", "", text)
        for number, line in enumerate(text.splitlines(), 1):
            if CJK.search(line):
                found += 1
                print(f"{path.relative_to(root)}:{number}: {line.strip()[:140]}")
    print(f"{found} lines", file=sys.stderr)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    todo = sub.add_parser("todo")
    todo.add_argument("--out")
    fill = sub.add_parser("fill")
    fill.add_argument("batch")
    fill.add_argument("--ids", required=True, help="the numbered msgids todo saved (its --out FILE + .ids.json)")
    pairs = sub.add_parser("pairs")
    pairs.add_argument("files", nargs="+")
    sub.add_parser("check")
    sub.add_parser("unwrapped")
    args = parser.parse_args()
    commands = {"todo": cmd_todo, "fill": cmd_fill, "pairs": cmd_pairs, "check": cmd_check, "unwrapped": cmd_unwrapped}
    return commands[args.command](args)


if __name__ == "__main__":
    raise SystemExit(main())
