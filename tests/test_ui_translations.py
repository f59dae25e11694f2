"""Every English source string in the templates and the app has a Dutch translation in the
compiled catalogue (catches a string added without running `make messages`)."""

import ast
import gettext
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "nl" / "LC_MESSAGES" / "django.mo"
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
MODULES = sorted(p for p in (ROOT / "measures").rglob("*.py") if "migrations" not in p.parts)
TRANSLATE_TAG = re.compile(r"""{%\s*translate\s+(["'])(.+?)\1""")
BLOCK = re.compile(r"{%\s*blocktranslate([^%]*)%}(.*?){%\s*(?:plural|endblocktranslate)\s*%}", re.S)
GETTEXT_CALL = re.compile(r"""\b_(?:lazy)?\(\s*"((?:[^"\\]|\\.)*)"\s*[,)]""")


def catalogue_entries():
    with CATALOGUE.open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)._catalog
    entries = {}
    for key, value in catalog.items():
        entries[key[0] if isinstance(key, tuple) else key] = value
    return entries


def source_strings():
    strings = set()
    for template in TEMPLATES:
        text = template.read_text(encoding="utf-8")
        strings |= {match[1] for match in TRANSLATE_TAG.findall(text)}
        for options, body in BLOCK.findall(text):
            if "trimmed" in options:
                body = " ".join(line.strip() for line in body.strip().splitlines() if line.strip())
            strings.add(re.sub(r"{{\s*(\w+)\s*}}", r"%(\1)s", body))
    for module in MODULES:
        strings |= {ast.literal_eval(f'"{s}"') for s in GETTEXT_CALL.findall(module.read_text())}
    return strings


def test_every_interface_string_has_a_dutch_translation():
    entries = catalogue_entries()
    strings = source_strings()
    assert len(strings) > 100
    missing = sorted(s for s in strings if not entries.get(s))
    assert missing == []
