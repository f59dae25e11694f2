"""Every English source string of the staff interface has a Dutch translation in its fragment."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FRAGMENT = ROOT / "locale" / "nl" / "fragments" / "ui.po"
TEMPLATES = [
    ROOT / "templates" / "measures" / name
    for name in (
        "dashboard.html",
        "measure_list.html",
        "measure_detail.html",
        "measure_form.html",
        "progress_form.html",
        "_measure_table.html",
        "_pagination.html",
        "_status_badge.html",
    )
]
MODULES = [
    ROOT / "measures" / name
    for name in ("filters.py", "forms.py", "views/dashboard.py", "views/measures.py")
]
TRANSLATE_TAG = re.compile(r"""{%\s*translate\s+(["'])(.+?)\1""")
BLOCK = re.compile(r"{%\s*blocktranslate[^%]*%}(.*?){%\s*(?:plural|endblocktranslate)\s*%}", re.S)
GETTEXT_CALL = re.compile(r"""\b_(?:lazy)?\(\s*"((?:[^"\\]|\\.)*)"\s*[,)]""")


def fragment_entries():
    entries = {}
    msgid = None
    for line in FRAGMENT.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgid "):
            msgid = ast.literal_eval(line[6:])
        elif line.startswith(("msgstr ", "msgstr[0] ")) and msgid is not None:
            entries[msgid] = ast.literal_eval(line.split(" ", 1)[1])
    return entries


def source_strings():
    strings = set()
    for template in TEMPLATES:
        text = template.read_text(encoding="utf-8")
        strings |= {match[1] for match in TRANSLATE_TAG.findall(text)}
        for body in BLOCK.findall(text):
            strings.add(re.sub(r"{{\s*(\w+)\s*}}", r"%(\1)s", body))
    for module in MODULES:
        strings |= {ast.literal_eval(f'"{s}"') for s in GETTEXT_CALL.findall(module.read_text())}
    return strings


def test_every_interface_string_has_a_dutch_translation():
    entries = fragment_entries()
    strings = source_strings()
    assert len(strings) > 100
    missing = sorted(s for s in strings if not entries.get(s))
    assert missing == []
