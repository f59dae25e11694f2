"""
The coordinator's own words in a letter: plain text with simple lists and emphasis.

    Paragraphs are separated by a blank line; the lines of one paragraph are joined.
    - a line starting with "- " or "* " is an item of a bulleted list,
    1. a line starting with "1. " (any number, or "1)") an item of a numbered list;
    a line without a marker after an item continues that item.
    *emphasis* and **strong** inside a line; a star that opens or closes nothing stays a star.

`parse(text)` returns a list of `Block`s (a paragraph, a bulleted or a numbered list), each of
lines of `Run`s (text with its emphasis). Nothing else has a meaning: no links, headings, HTML or
entities; every renderer escapes the runs' text for its own format, so user text cannot change the
letter's structure. Characters no XML document may hold are dropped here.
"""

import re
from dataclasses import dataclass

from .renderers import clean

PARAGRAPH = "paragraph"
BULLETS = "bullets"
NUMBERS = "numbers"

BULLET_ITEM = re.compile(r"^\s*[-*]\s+(?=\S)")
NUMBER_ITEM = re.compile(r"^\s*\d{1,3}[.)]\s+(?=\S)")
BLANK_LINE = re.compile(r"\n[ \t]*\n")
# Strong first, then emphasis; each must open before and close after a non-space character,
# so "5 * 3 * 2" and a lone "*" stay as typed.
# "***both***" is strong and emphasised.
STRONG = re.compile(r"\*\*(\*?)(?=[^\s*])(.+?)(?<=[^\s*])\1\*\*")
EMPHASIS = re.compile(r"(?<!\*)\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?!\*)")


@dataclass(frozen=True)
class Run:
    text: str
    emphasis: bool = False
    strong: bool = False


@dataclass(frozen=True)
class Block:
    """A paragraph (one line of runs) or a list (one line of runs per item)."""

    kind: str
    lines: tuple

    @property
    def runs(self):
        """The runs of a paragraph (of its first line)."""
        return self.lines[0]

    @property
    def is_list(self):
        return self.kind != PARAGRAPH


def parse(text):
    """Return the blocks of `text` (see the module's docstring); [] for empty text."""
    text = clean(text).replace("\r\n", "\n").replace("\r", "\n")
    blocks = []
    for chunk in BLANK_LINE.split(text):
        blocks.extend(_blocks(chunk))
    return blocks


def plain(text):
    """Return `text` without its markup, one paragraph or list item a line (for the letter's
    corrections and for tests)."""
    return "\n".join(
        "".join(run.text for run in line) for block in parse(text) for line in block.lines
    )


def _blocks(chunk):
    """Yield the blocks of one chunk between blank lines: its paragraph lines and list items."""
    kind, items = None, []
    for raw in chunk.split("\n"):
        line = raw.strip()
        if not line:
            continue
        if match := BULLET_ITEM.match(raw):
            line_kind, line = BULLETS, raw[match.end() :].strip()
        elif match := NUMBER_ITEM.match(raw):
            line_kind, line = NUMBERS, raw[match.end() :].strip()
        elif kind in (BULLETS, NUMBERS):
            items[-1].append(line)  # continues the item above
            continue
        else:
            line_kind = PARAGRAPH
        if line_kind != kind:
            if items:
                yield _block(kind, items)
            kind, items = line_kind, []
        if line_kind == PARAGRAPH and items:
            items[-1].append(line)
        else:
            items.append([line])
    if items:
        yield _block(kind, items)


def _block(kind, items):
    return Block(kind, tuple(runs(" ".join(parts)) for parts in items))


def runs(line):
    """Return the runs of one line of text: plain, *emphasis* and **strong** (with emphasis
    inside strong)."""
    result = []
    position = 0
    for match in STRONG.finditer(line):
        result.extend(_emphasis(line[position : match.start()], strong=False))
        if match.group(1):
            result.append(Run(match.group(2), emphasis=True, strong=True))
        else:
            result.extend(_emphasis(match.group(2), strong=True))
        position = match.end()
    result.extend(_emphasis(line[position:], strong=False))
    return tuple(_merged(result))


def _emphasis(text, *, strong):
    position = 0
    for match in EMPHASIS.finditer(text):
        if match.start() > position:
            yield Run(text[position : match.start()], strong=strong)
        yield Run(match.group(1), emphasis=True, strong=strong)
        position = match.end()
    if position < len(text):
        yield Run(text[position:], strong=strong)


def _merged(found):
    """Join neighbouring runs of the same kind and drop empty ones."""
    merged = []
    for run in found:
        if not run.text:
            continue
        if merged and (merged[-1].emphasis, merged[-1].strong) == (run.emphasis, run.strong):
            merged[-1] = Run(merged[-1].text + run.text, run.emphasis, run.strong)
        else:
            merged.append(run)
    return merged
