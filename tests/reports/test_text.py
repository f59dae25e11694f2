"""The coordinator's plain text: paragraphs, lists and emphasis, and nothing else."""

from hypothesis import given, settings
from hypothesis import strategies as st

from measures.reports.text import BULLETS, NUMBERS, PARAGRAPH, Run, parse, plain


def kinds(text):
    return [block.kind for block in parse(text)]


def test_blank_lines_separate_paragraphs_and_the_lines_of_one_are_joined():
    blocks = parse("Eerste regel\ntweede regel.\n\n  \nNieuwe alinea.")

    assert kinds("Eerste regel\ntweede regel.\n\n  \nNieuwe alinea.") == [PARAGRAPH, PARAGRAPH]
    assert blocks[0].runs == (Run("Eerste regel tweede regel."),)
    assert blocks[1].runs == (Run("Nieuwe alinea."),)


def test_dash_and_star_lines_are_a_bulleted_list_and_numbers_a_numbered_one():
    blocks = parse("Dit jaar:\n- de campagne\n* het handboek\n  met vervolg\n\n1. eerst\n2) dan")

    assert [b.kind for b in blocks] == [PARAGRAPH, BULLETS, NUMBERS]
    assert [line[0].text for line in blocks[1].lines] == ["de campagne", "het handboek met vervolg"]
    assert [line[0].text for line in blocks[2].lines] == ["eerst", "dan"]


def test_emphasis_and_strong_become_runs():
    (block,) = parse("Het doel is *niet* gehaald; **desondanks ben ik *zeer* tevreden**.")

    assert block.runs == (
        Run("Het doel is "),
        Run("niet", emphasis=True),
        Run(" gehaald; "),
        Run("desondanks ben ik ", strong=True),
        Run("zeer", emphasis=True, strong=True),
        Run(" tevreden", strong=True),
        Run("."),
    )
    assert parse("***beide***")[0].runs == (Run("beide", emphasis=True, strong=True),)


def test_unbalanced_or_spaced_stars_stay_as_typed():
    for text in ("5 * 3 * 2", "een *open ster", "**", "****", "a ** b", "*"):
        assert "".join(run.text for run in parse(text)[0].runs) == text
        assert not any(run.emphasis or run.strong for run in parse(text)[0].runs)


def test_markup_of_other_languages_is_only_text():
    text = '<script>alert("x")</script> &amp; # Kop [link](http://x) <w:p/>'

    (block,) = parse(text)

    assert block.kind == PARAGRAPH
    assert block.runs == (Run(text),)


def test_characters_no_document_may_hold_are_dropped():
    assert parse("a\x00b\x07c\x1b\ufffe") == parse("abc")
    assert plain("regel\r\nvervolg\r\rnieuw") == "regel vervolg\nnieuw"


def test_empty_text_has_no_blocks():
    assert parse("") == [] and parse(" \n\n \t") == [] and parse(None) == []


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(alphabet=st.sampled_from("ab *-1.\n\t<&>#_`\\"), max_size=60))
def test_every_character_of_the_text_is_kept_or_is_markup(text):
    """Whatever is typed, the runs hold the words typed: only markers, stars and spacing go."""
    blocks = parse(text)
    words = "".join(run.text for block in blocks for line in block.lines for run in line)
    for character in "ab<&>#_`\\":
        assert words.count(character) == text.count(character)
