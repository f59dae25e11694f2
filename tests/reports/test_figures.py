"""The letter's figure tables as parliament reads them, in the builder and in every format:
target, realised, difference and % of target; a year's categories under its total; a target set
against a base year; the years chosen per letter; notes and provisional figures under the table;
charts on a true time axis."""

import datetime
import io
import re
from decimal import Decimal

import lxml.html
import pytest
from django.core.exceptions import ValidationError
from docx import Document
from docx.oxml.ns import qn
from markdown_it import MarkdownIt
from pypdf import PdfReader

from measures.forms.letters import LetterForm
from measures.forms.setup import IndicatorForm
from measures.models import (
    Indicator,
    IndicatorBreakdown,
    IndicatorValue,
    Plan,
    ProgressLetter,
    TargetChange,
    ValueStatus,
)
from measures.reports.charts import indicator_chart_svg
from measures.reports.renderers import PROVISIONAL_NOTE, figure_cells, figure_lines
from measures.reports.renderers.docx import render_docx
from measures.reports.renderers.html import render_letter_html
from measures.reports.renderers.markdown import render_markdown
from measures.reports.renderers.pdf import render_pdf
from measures.reports.summary import build_summary, corrections, letter_summary
from tests import summary_data
from tests.summary_data import END, START, at, save_at

kp, letters = summary_data.kp, summary_data.letters

CASES = "Kinderpornozaken in behandeling"
REPORTS = "Meldingen kindersekstoerisme"
SUSPECTS = "Verdachten aangeleverd bij het OM"
INTERVENTIONS = "Interventies"
CATEGORY_NOTE = "Inclusief zaken die het KLPD overnam."


def value(indicator, year, *, minute=0, **fields):
    return save_at(
        IndicatorValue(indicator=indicator, year=year, **fields),
        at(datetime.date(year + 1, 2, 1), 12, minute),
    )


def recorded(obj, minute=0):
    """Save `obj` as recorded before the figures (so a letter sent since knows it)."""
    return save_at(obj, at(datetime.date(2010, 1, 4), 9, minute))


@pytest.fixture
def figures(kp, ministry):
    """Four indicators of the kind the letters report: one with three listed categories and
    a total, one with categories only, one with a target against its 2010 base and one of a
    plan starting in 2013."""
    cases = recorded(Indicator(name=CASES, theme=kp, order=1, default_source="Politie"))
    # Listed in an order that is not alphabetical: the table follows it.
    for order, name in enumerate(("Regio's", "BR-en", "KLPD"), start=1):
        recorded(IndicatorBreakdown(indicator=cases, name=name, order=order), minute=order)
    for year, total, parts in ((2013, 690, (434, 208, 48)), (2014, 779, (414, 209, 156))):
        status = ValueStatus.PROVISIONAL if year == 2014 else ValueStatus.FINAL
        value(cases, year, target=Decimal(700), realised=Decimal(total), status=status)
        for minute, (name, part) in enumerate(
            zip(("Regio's", "BR-en", "KLPD"), parts, strict=True), 1
        ):
            note = CATEGORY_NOTE if (year, name) == (2014, "KLPD") else ""
            value(cases, year, breakdown=name, realised=Decimal(part), note=note, minute=minute)

    reports = recorded(Indicator(name=REPORTS, theme=kp, order=2))
    value(reports, 2014, breakdown="online", realised=Decimal(18))
    value(reports, 2014, breakdown="telefonisch", realised=Decimal(5), minute=1)

    suspects = recorded(
        Indicator(
            name=SUSPECTS,
            theme=kp,
            order=3,
            base_year=2010,
            base_value=Decimal(475),
            target_year=2014,
            target_change=Decimal(25),
            target_change_unit=TargetChange.PERCENT,
        )
    )
    value(suspects, 2010, realised=Decimal(475))
    value(suspects, 2012, target=Decimal(511), realised=Decimal(522))
    value(suspects, 2014, target=Decimal(594), realised=Decimal(560))

    plan = Plan.objects.create(
        title="Veiligheidsagenda 2013–2016", start=datetime.date(2013, 1, 1), owner=ministry
    )
    interventions = recorded(Indicator(name=INTERVENTIONS, theme=kp, order=4, plan=plan))
    for year in (2011, 2012, 2014):
        value(interventions, year, target=Decimal(600), realised=Decimal(550 + year - 2011))
    return {"cases": cases, "reports": reports, "suspects": suspects, "plan": plan}


def tables(summary):
    return {table.title: table for table in summary.figure_tables}


def rows(table):
    return [figure_cells(row) for row in table.rows]


# --- The builder ---------------------------------------------------------------------------------


def test_a_years_categories_stand_under_its_total_in_their_listed_order(figures):
    table = tables(build_summary(START, END))[CASES]

    assert table.has_categories
    assert [(r.year, r.breakdown) for r in table.rows if r.year == 2014] == [
        (2014, ""),
        (2014, "Regio's"),
        (2014, "BR-en"),
        (2014, "KLPD"),
    ]
    assert rows(table)[4:] == [
        ("2014", "700", "779*", "+79", "111,3 %"),
        ("Regio's", "n.v.t.", "414", "–", "–"),
        ("BR-en", "n.v.t.", "209", "–", "–"),
        ("KLPD", "n.v.t.", "156", "–", "–"),
    ]


def test_an_indicator_with_only_categories_is_shown_without_a_computed_total(figures):
    table = tables(build_summary(START, END))[REPORTS]

    assert [(r.year, r.breakdown, r.recorded) for r in table.rows] == [
        (2014, "", False),
        (2014, "online", True),
        (2014, "telefonisch", True),
    ]
    assert rows(table)[0] == ("2014", "", "", "", "")
    assert [row.year for row in table.periods_without_total] == [2014]
    assert table.totals == []  # nothing to chart


def test_a_year_given_by_quarter_shows_each_quarter_with_its_categories_under_it(kp):
    """As the police's production figures in the letter of 2010: per quarter, three units and
    the total."""
    police = recorded(Indicator(name="Zaken per kwartaal", theme=kp))
    for order, name in enumerate(("Regio's", "BR-en", "KLPD"), start=1):
        recorded(IndicatorBreakdown(indicator=police, name=name, order=order), minute=order)
    for quarter, parts in ((3, (456, 208, 215)), (4, (418, 376, 15))):
        value(police, 2014, quarter=quarter, realised=Decimal(sum(parts)), minute=quarter * 10)
        for minute, (name, part) in enumerate(
            zip(("Regio's", "BR-en", "KLPD"), parts, strict=True)
        ):
            value(
                police,
                2014,
                quarter=quarter,
                breakdown=name,
                realised=part,
                minute=quarter * 10 + minute + 1,
            )

    table = tables(build_summary(START, END))["Zaken per kwartaal"]

    assert rows(table) == [
        ("3e kwartaal 2014", "n.v.t.", "879", "–", "–"),
        ("Regio's", "n.v.t.", "456", "–", "–"),
        ("BR-en", "n.v.t.", "208", "–", "–"),
        ("KLPD", "n.v.t.", "215", "–", "–"),
        ("4e kwartaal 2014", "n.v.t.", "809", "–", "–"),
        ("Regio's", "n.v.t.", "418", "–", "–"),
        ("BR-en", "n.v.t.", "376", "–", "–"),
        ("KLPD", "n.v.t.", "15", "–", "–"),
    ]
    assert [(row.year, row.quarter) for row in table.totals] == [(2014, 3), (2014, 4)]


def test_a_year_with_yearly_figures_leaves_its_quarters_out(figures):
    value(figures["suspects"], 2014, quarter=1, realised=Decimal(140), minute=30)

    table = tables(build_summary(START, END))[SUSPECTS]

    assert [(row.year, row.quarter) for row in table.rows] == [(2010, 0), (2012, 0), (2014, 0)]


def test_percentage_of_target_is_realised_over_target_and_a_dash_without_one(figures):
    table = tables(build_summary(START, END))[SUSPECTS]

    assert [(r.year, r.percentage_of_target_text) for r in table.rows] == [
        (2010, "–"),
        (2012, "102,2 %"),
        (2014, "94,3 %"),
    ]


def test_a_target_against_the_base_year_is_written_as_the_letter_does(figures):
    table = tables(build_summary(START, END))[SUSPECTS]

    assert table.base_target == Decimal(594)  # 475 + 25 % = 593,75
    assert rows(table) == [
        ("2010", "n.v.t.", "475", "–", "–"),
        ("2012", "511", "522 (+9,9 %)", "+11", "102,2 %"),
        ("2014", "594 (+25 %)", "560 (+17,9 %)", "-34", "94,3 %"),
    ]
    assert figure_lines(table)[:2] == [
        "Doelstelling voor 2014: 594 (+25 % ten opzichte van 2010: 475).",
        "Tussen haakjes: de verandering ten opzichte van 2010 (475).",
    ]


def test_a_target_recorded_otherwise_is_not_said_to_be_the_base_year_target(figures):
    recorded = figures["suspects"].values.get(year=2014)
    recorded.target = Decimal(600)
    save_at(recorded, at(END, 9))

    row = tables(build_summary(START, END))[SUSPECTS].rows[-1]

    assert (row.target_text, row.target_change_text) == ("600", "")


def test_provisional_figures_are_marked_and_explained(figures):
    table = tables(build_summary(START, END))[CASES]

    assert [r.provisional for r in table.rows if not r.breakdown] == [False, True]
    assert PROVISIONAL_NOTE in figure_lines(table)
    assert table.rows[4].realised_text == "779"  # the corrections quote the number alone


def test_a_categorys_note_is_printed_with_its_year_and_category(figures):
    table = tables(build_summary(START, END))[CASES]

    assert f"Toelichting 2014, KLPD: {CATEGORY_NOTE}" in figure_lines(table)


def test_the_years_start_at_the_first_figure_or_the_plans_start(figures):
    found = tables(build_summary(START, END))

    assert [r.year for r in found[SUSPECTS].rows] == [2010, 2012, 2014]
    assert [r.year for r in found[INTERVENTIONS].rows] == [2014]  # the plan starts in 2013


def test_a_letter_chooses_the_first_year_of_its_tables(figures, letters):
    letter = letters["letter"]
    letter.figures_from_year = 2012
    letter.save()

    found = tables(letter_summary(letter))

    assert [r.year for r in found[SUSPECTS].rows] == [2012, 2014]
    assert [r.year for r in found[INTERVENTIONS].rows] == [2012, 2014]
    assert found[SUSPECTS].first_year == 2012


def test_a_series_that_ended_before_the_period_is_not_reported_again(figures, kp):
    old = Indicator.objects.create(name="Oude reeks", theme=kp)
    value(old, 2009, realised=Decimal(443))

    assert "Oude reeks" not in tables(build_summary(START, END))


def test_the_corrections_compare_figures_per_year_and_category(figures, letters, alice):
    letter = letters["letter"]
    letter.mark_sent(by=alice, at=at(END, 16))
    part = figures["cases"].values.get(year=2014, breakdown="KLPD")
    part.realised = Decimal(160)
    part.save()

    [(table, then, now)] = corrections(letter).figures

    assert (table.title, now.year, now.breakdown) == (CASES, 2014, "KLPD")
    assert (then.realised, now.realised) == (Decimal(156), Decimal(160))


@pytest.mark.parametrize("count", [2, 12])
def test_the_figures_need_the_same_queries_however_many_indicators_values_and_categories(
    count, kp, django_assert_num_queries
):
    for i in range(count):
        indicator = Indicator.objects.create(name=f"Indicator {i}", theme=kp)
        for order in range(1, count // 2 + 2):
            IndicatorBreakdown.objects.create(indicator=indicator, name=f"Deel {order}")
        for year in range(2014 - count, 2015):
            value(indicator, year, target=Decimal(10), realised=Decimal(year - 2000))
            for order in range(1, count // 2 + 2):
                value(indicator, year, breakdown=f"Deel {order}", realised=1, minute=order)
    # 1 previous letter, 2 measures, 3 themes, 4 plans, 5 action lines, 6 organisations,
    # 7 their former names, 8 progress updates, 9 events, 10 links to documents (no measure:
    # neither the links between measures nor the documents are read), 11 indicators, 12 their
    # yearly values, 13 their categories' order, 14 commitments, 15 the letterhead in use
    with django_assert_num_queries(15):
        summary = build_summary(START, END)
    assert len(summary.figure_tables) == count
    assert len(summary.figure_tables[0].rows) == (count + 1) * (count // 2 + 2)


# --- The indicator's and the letter's rules ------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"base_year": 2010}, "base_value"),
        ({"base_value": Decimal(475)}, "base_year"),
        ({"target_year": 2014, "target_change": 25, "target_change_unit": "percent"}, "base_year"),
        (
            {
                "base_year": 2010,
                "base_value": Decimal(475),
                "target_year": 2009,
                "target_change": 25,
                "target_change_unit": "percent",
            },
            "target_year",
        ),
        (
            {"base_year": 2010, "base_value": Decimal(475), "target_year": 2014},
            "target_change",
        ),
        (
            {
                "base_year": 2010,
                "base_value": Decimal(475),
                "target_year": 2014,
                "target_change": -500,
                "target_change_unit": "value",
            },
            "target_change",
        ),
        (
            {
                "base_year": 2010,
                "base_value": Decimal(0),
                "target_year": 2014,
                "target_change": 25,
                "target_change_unit": "percent",
            },
            "target_change_unit",
        ),
        ({"base_year": 1850, "base_value": Decimal(1)}, "base_year"),
    ],
)
def test_an_incomplete_or_impossible_base_year_target_is_refused(kp, fields, field):
    indicator = Indicator(name="Verdachten", theme=kp, **fields)
    with pytest.raises(ValidationError) as error:
        indicator.full_clean()
    assert field in error.value.message_dict


def test_the_indicator_form_takes_a_base_year_target_the_dutch_way(kp):
    data = {
        "name": SUSPECTS,
        "unit": "count",
        "theme": kp.pk,
        "order": 1,
        "base_year": 2010,
        "base_value": "475",
        "target_year": 2014,
        "target_change": "7,5",
        "target_change_unit": "percent",
    }
    form = IndicatorForm(data)
    assert form.is_valid(), form.errors
    indicator = form.save()
    assert indicator.base_target == Decimal("510.6250")
    assert indicator.history.count() == 1

    refused = IndicatorForm({**data, "name": "Ander", "base_value": ""})
    assert not refused.is_valid()
    assert refused.errors["base_value"] == [
        "Een basisjaar heeft een basiswaarde nodig, en een basiswaarde een basisjaar."
    ]


def test_the_letter_form_refuses_figures_from_after_the_period(db):
    data = {
        "title": "Voortgangsbrief",
        "date": "2015-06-01",
        "period_start": "2014-09-04",
        "period_end": "2015-06-01",
        "figures_from_year": "2016",
    }
    form = LetterForm(data)
    assert not form.is_valid()
    assert form.errors["figures_from_year"] == [
        "De cijfers kunnen niet beginnen na het laatste jaar waarover de brief rapporteert (2015)."
    ]
    assert not ProgressLetter.objects.exists()
    assert LetterForm({**data, "figures_from_year": "2010"}).is_valid()


# --- Every format --------------------------------------------------------------------------------


@pytest.fixture
def summary(figures, letters):
    summary = letter_summary(letters["letter"])
    assert [t.title for t in summary.figure_tables] == [CASES, REPORTS, SUSPECTS, INTERVENTIONS]
    return summary


def test_html_shows_the_columns_categories_marks_notes_and_charts(summary):
    page = lxml.html.fromstring(str(render_letter_html(summary)))
    [cases, reports, suspects, _] = page.xpath("//table[contains(@class, 'table-figures')]")

    assert [th.text_content() for th in cases.xpath("thead//th")] == [
        "Jaar en categorie",
        "Streven",
        "Gerealiseerd",
        "Verschil",
        "% van streven",
    ]
    body = [[cell.text_content() for cell in tr] for tr in cases.xpath("tbody/tr")]
    assert body[4:] == [
        ["2014", "700", "779*", "+79", "111,3 %"],
        ["2014: Regio's", "n.v.t.", "414", "–", "–"],
        ["2014: BR-en", "n.v.t.", "209", "–", "–"],
        ["2014: KLPD", "n.v.t.", "156", "–", "–"],
    ]
    assert cases.xpath("tbody/tr")[5].get("class") == "figure-category"
    notes = [p.text_content() for p in page.xpath("//p[@class='figure-note']")]
    assert "* voorlopig cijfer" in notes
    assert f"Toelichting 2014, KLPD: {CATEGORY_NOTE}" in notes
    assert "Doelstelling voor 2014: 594 (+25 % ten opzichte van 2010: 475)." in notes
    assert any(note.startswith("Voor 2014 is alleen de uitsplitsing bekend") for note in notes)
    # One chart per table with yearly totals (not the one with categories only), each an
    # image named by its title and description.
    charts = page.xpath("//figure[@class='figure-chart']/svg")
    assert len(charts) == 3
    assert all(svg.get("role") == "img" and svg.get("aria-labelledby") for svg in charts)
    assert "Verdachten aangeleverd bij het OM" in charts[1].findtext("title")


def test_markdown_tables_parse_with_the_columns_and_categories(summary):
    tokens = MarkdownIt("commonmark").enable("table").parse(render_markdown(summary))
    table_rows, current = [], None
    for token in tokens:
        if token.type == "tr_open":
            current = []
        elif token.type == "inline" and current is not None:
            current.append(token.content)
        elif token.type == "tr_close":
            table_rows.append(current)
            current = None

    assert ["Jaar en categorie", "Streven", "Gerealiseerd", "Verschil", "% van streven"] in (
        table_rows
    )
    assert ["2014", "700", "779\\*", "+79", "111,3 %"] in table_rows
    assert ["2014: KLPD", "n.v.t.", "156", "–", "–"] in table_rows
    assert ["2014", "594 (+25 %)", "560 (+17,9 %)", "-34", "94,3 %"] in table_rows
    text = render_markdown(summary)
    assert "\\* voorlopig cijfer" in text
    assert f"Toelichting 2014, KLPD: {CATEGORY_NOTE}" in text


def test_word_tables_fit_the_page_and_show_categories_marks_and_charts(summary):
    document = Document(io.BytesIO(render_docx(summary)))
    cases = document.tables[1]  # after the frame's addressee and references

    widths = [int(col.get(qn("w:w"))) for col in cases._tbl.tblGrid.iter(qn("w:gridCol"))]
    assert sum(widths) <= 16 * 567  # twips in the 16 cm of text of A4 with 2,5 cm margins
    cells = [[cell.text for cell in row.cells] for row in cases.rows]
    assert cells[0][4] == "% van streven"
    assert cells[5:] == [
        ["2014", "700", "779*", "+79", "111,3 %"],
        ["Regio's", "n.v.t.", "414", "–", "–"],
        ["BR-en", "n.v.t.", "209", "–", "–"],
        ["KLPD", "n.v.t.", "156", "–", "–"],
    ]
    category = cases.rows[6].cells[0].paragraphs[0]
    assert category.paragraph_format.left_indent is not None
    text = "\n".join(p.text for p in document.paragraphs)
    assert "* voorlopig cijfer" in text
    assert f"Toelichting 2014, KLPD: {CATEGORY_NOTE}" in text
    assert "Doelstelling voor 2014: 594 (+25 % ten opzichte van 2010: 475)." in text
    pictures = list(document.element.body.iter(qn("wp:docPr")))
    assert len(pictures) == 3


def test_the_pdf_has_the_columns_marks_notes_and_a_tagged_chart_per_table(summary):
    reader = PdfReader(io.BytesIO(render_pdf(summary)))
    # Without white space: pypdf splits a kerned "To" into "T o".
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))

    for expected in (
        "% van streven",
        "779*",
        "111,3 %",
        "* voorlopig cijfer",
        f"Toelichting 2014, KLPD: {CATEGORY_NOTE}",
        "Doelstelling voor 2014: 594 (+25 % ten opzichte van 2010: 475).",
        "594 (+25 %)",
    ):
        assert re.sub(r"\s+", "", expected) in text, expected
    # Each chart is drawn (vector XObjects) and tagged as a figure with its text alternative.
    figures = structure_elements(reader, "/Figure")
    assert len(figures) == 3
    assert all(figure.get("/Alt") for figure in figures)
    assert "Verdachten aangeleverd bij het OM" in figures[1]["/Alt"]
    drawn = sum(
        len(re.findall(rb"/x\d+ Do", page.get_contents().get_data())) for page in reader.pages
    )
    assert drawn >= 3


def structure_elements(reader, kind):
    found = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, dict):
            if node.get("/S") == kind:
                found.append(node)
            children = node.get("/K")
            if children is not None:
                for child in children if isinstance(children, list) else [children]:
                    walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


# --- Charts on a true time axis ----------------------------------------------------------------


def test_the_chart_places_years_by_their_value_so_a_gap_shows(kp):
    indicator = Indicator.objects.create(name="Meldingen", theme=kp)
    values = [
        IndicatorValue(indicator=indicator, year=year, realised=Decimal(n))
        for year, n in ((2011, 10), (2012, 20), (2014, 30))
    ]
    svg = indicator_chart_svg(indicator, values)

    xs = {
        int(period): float(x)
        for x, period in re.findall(r'<circle cx="([\d.]+)"[^>]*data-period="(\d+)"', svg)
    }
    assert list(xs) == [2011, 2012, 2014]
    one_year = xs[2012] - xs[2011]
    assert one_year > 0
    assert xs[2014] - xs[2012] == pytest.approx(2 * one_year, abs=0.2)
