"""
Renderers of a progress summary: they only format the structure `build_summary` returns.

The letter is always Dutch (like measures/formatting.py): the fixed phrases of the letter live
here, once, for every format. No renderer queries the database.
"""

import re

from django.utils import timezone

from ...formatting import date_nl
from ...models import MeasureStatus

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def clean(text):
    """Return `text` without characters no XML document may hold (user text may contain any)."""
    return CONTROL_CHARACTERS.sub("", str(text or ""))


def paragraphs(text):
    """Split user text into paragraphs on blank lines, joining the lines inside each."""
    text = clean(text)
    if len(text.splitlines()) <= 1:  # one line, as most progress texts are: the same, sooner
        text = text.strip()
        return [text] if text else []
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    return [" ".join(line.strip() for line in block.splitlines()) for block in blocks if block]


def letter_title(summary):
    if summary.letter is not None:
        return summary.letter.title
    names = [theme.name.lower() for theme in summary.themes]
    if not names:
        return "Voortgang van de aanpak"
    joined = " en ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
    return f"Voortgang van de aanpak van {joined}"


def letter_date(summary):
    """Return the letter's date, or for a draft the period's last day (today by default)."""
    return summary.letter.date if summary.letter else min(summary.end, timezone.localdate())


def place_and_date(summary):
    return f"Den Haag, {date_nl(letter_date(summary))}"


def opening(summary):
    """Return the opening sentence, and the footnote number of the previous letter (or None)."""
    text = (
        "Met deze brief informeer ik uw Kamer over de voortgang van de aanpak en de "
        f"ontwikkelingen in de periode van {summary.period_text}."
    )
    previous = summary.previous_letter
    if previous is None:
        return text, None
    return (
        f"{text} Deze brief sluit aan op de vorige voortgangsbrief van {date_nl(previous.date)}",
        previous.note,
    )


def status_line(measure):
    """Return "Status: lopend (trekker: Politie)" or "Status: lopend → afgerond …"; a status
    the letters never gave ("niet vermeld") is left out rather than written."""
    unknown = measure.status_end == MeasureStatus.UNKNOWN
    if measure.status_start is None:
        status = "nieuw" if unknown else f"nieuw, {measure.status_end_nl}"
    elif measure.status_changed:
        status = f"{measure.status_start_nl} → {measure.status_end_nl}"
    else:
        status = "" if unknown else measure.status_end_nl
    parts = [f"Status: {status}"] if status else []
    if measure.owner:
        parts.append(f"trekker: {clean(measure.owner)}")
    if measure.due_date and measure.is_overdue:
        parts.append(f"gepland gereed: {date_nl(measure.due_date)}, niet gehaald")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."


def quiet_line(measures):
    """Return the one sentence that names the measures without news in the period."""
    names = [
        f"{clean(m.code + ' ' + m.title if m.code else m.title)} ({clean(m.owner)})"
        if m.owner
        else clean(m.code + " " + m.title if m.code else m.title)
        for m in measures
    ]
    if len(names) == 1:
        return f"Over de maatregel {names[0]} is in deze periode geen voortgang gemeld."
    listed = "; ".join(names[:-1]) + " en " + names[-1]
    return f"Over de volgende maatregelen is in deze periode geen voortgang gemeld: {listed}."


# How the letter says one measure continues, replaces or was split from another: (said of the
# later measure, said of the earlier one).
LINK_SENTENCES = {
    "continues": (
        "Deze maatregel is een voortzetting van «{title}».",
        "Deze maatregel wordt voortgezet in «{title}».",
    ),
    "replaces": (
        "Deze maatregel vervangt «{title}».",
        "Deze maatregel is vervangen door «{title}».",
    ),
    "split_from": (
        "Deze maatregel is afgesplitst van «{title}».",
        "Van deze maatregel is «{title}» afgesplitst.",
    ),
}


def link_sentence(link):
    """Return the sentence that says how the measure relates to another (a LinkEntry)."""
    later, earlier = LINK_SENTENCES[link.kind]
    return (later if link.outgoing else earlier).format(title=clean(link.title))


def dated_news(measure):
    """Return the measure's progress updates and events in the period, in date order (an
    update before an event of the same day)."""
    return sorted((*measure.updates, *measure.events), key=lambda item: item.date)


def has_news(measure):
    """Whether the measure has progress or events to print (else `no_progress_line`)."""
    return bool(measure.updates or measure.events)


def no_progress_line():
    return "Over deze periode is geen voortgang gemeld."


def commitment_heading(commitment):
    kind = "Motie" if commitment.kind_nl == "motie" else "Toezegging"
    number = f" {clean(commitment.number)}" if commitment.number else ""
    return f"{kind}{number}: {clean(commitment.title)}"


def commitment_made(commitment):
    """Return "Toegezegd tijdens het AO van … op …; termijn: …." (or "Ingediend door …")."""
    text = "Ingediend" if commitment.kind_nl == "motie" else "Toegezegd"
    if commitment.made_by:
        text += f" door {clean(commitment.made_by)}"
    if commitment.made_at:
        text += f" tijdens {clean(commitment.made_at)}"
    if commitment.made_on and date_nl(commitment.made_on) not in (commitment.made_at or ""):
        text += f" op {date_nl(commitment.made_on)}"
    due = commitment.deadline_text or (date_nl(commitment.due_date) if commitment.due_date else "")
    if due:
        text += f"; termijn: {clean(due)}"
    return text + "."


def commitment_answer(commitment):
    text = f"Stand: {commitment.outcome_nl}"
    if commitment.fulfilled_on:
        text += f" op {date_nl(commitment.fulfilled_on)}"
    if commitment.in_this_letter:
        text += " met deze brief"
    elif commitment.fulfilled_by:
        text += f" met de brief «{clean(commitment.fulfilled_by.title)}»"
    return text + "."


def signatory(summary):
    """Return (the signatory's title as the closing writes it, "De Minister van …,", or "";
    the name, or "")."""
    title = clean(summary.signed_title).strip()
    return (f"{title}," if title else ""), clean(summary.signed_by).strip()


def closing(summary):
    """Return the closing lines (title, name), or [] when the letter names no signatory."""
    return [line for line in signatory(summary) if line]


def lines(text):
    """Return user text of several lines (an address) as its non-empty lines joined by LF."""
    return "\n".join(line.strip() for line in clean(text).splitlines() if line.strip())


def frame_fields(summary):
    """Return the letter's frame as the placeholders of a Word template name its parts
    (`docx_frame.PLACEHOLDERS`), every value cleaned of characters no document may hold."""
    frame = summary.frame
    title, name = signatory(summary)
    return {
        "afzender": clean(frame.department),
        "afzender_adres": lines(frame.sender_address),
        "adres": lines(frame.addressee),
        "datum": date_nl(letter_date(summary)),
        "betreft": clean(letter_title(summary)),
        "ons_kenmerk": clean(frame.our_reference),
        "uw_kenmerk": clean(frame.your_reference),
        "bijlagen": clean(frame.enclosures),
        "functie": title,
        "ondertekenaar": name,
    }


# The labels of the reference column, in the order the frame shows them (Word's neutral frame
# writes its own, in measures/docx_frame.py, for a department to change).
REFERENCE_LABELS = (
    ("datum", "Datum"),
    ("betreft", "Betreft"),
    ("ons_kenmerk", "Ons kenmerk"),
    ("uw_kenmerk", "Uw kenmerk"),
    ("bijlagen", "Bijlage(n)"),
)


CORRECTIONS_HEADING = "Aanvullingen en correcties op eerdere brieven"
COMMITMENTS_HEADING = "Toezeggingen en moties"
ASSESSMENT_HEADING = "Beoordeling"

# Where the coordinator's own words go (`summary.Passage`), the same in every format:
# - the opening replaces the generated opening sentence; the footnote citing the previous letter
#   then follows the first paragraph (or first list item) of the coordinator's opening;
# - a theme's paragraph follows the theme's heading; a plan's follows the heading of the plan's
#   first section, before an action line's own paragraph, which follows the line's heading;
# - a measure's replacement follows its heading and status line instead of the progress, the
#   next steps and "geen voortgang gemeld";
# - the assessment is a numbered section "Beoordeling" after the themes (and their figures),
#   before the commitments, as a kamerbrief gives its judgement after the facts;
# - the closing text ends the letter's body, after the corrections, before the signature.


def assessment_number(summary):
    """Return the number of the assessment's section, or None when the letter has none."""
    return len(summary.themes) + 1 if summary.assessment else None


def commitments_number(summary):
    return len(summary.themes) + 1 + bool(summary.assessment)


def _measure_name(measure):
    title = f"{measure.code} {measure.title}" if measure.code else measure.title
    return f"«{clean(title)}»"


def _status_pair(measure):
    if measure.status_start is None:
        return f"nieuw, {measure.status_end_nl}" if measure.status_end else "nieuw"
    if measure.status_changed:
        return f"{measure.status_start_nl} → {measure.status_end_nl}"
    return measure.status_end_nl or "niet vermeld"


def corrections_section(summary):
    """Return (heading number, [(intro, [sentences]) per letter]) of the section that offers
    what was recorded after earlier letters about their periods, or None when there is none."""
    if not summary.corrections:
        return None
    number = commitments_number(summary) + bool(summary.commitments)
    return number, [correction_sentences(item) for item in summary.corrections]


def correction_sentences(corrections):
    """Return (intro, [sentences]) saying what was recorded after a letter about its period."""
    intro = (
        f"Na mijn brief van {date_nl(corrections.letter.date)} is over de periode waarover die "
        "brief rapporteerde het volgende aangevuld of gecorrigeerd."
    )
    items = []
    for measure in corrections.added:
        owner = f" (trekker: {clean(measure.owner)})" if measure.owner else ""
        items.append(f"De maatregel {_measure_name(measure)}{owner} ontbrak in die brief.")
    for measure in corrections.withdrawn:
        items.append(
            f"De maatregel {_measure_name(measure)} hoort niet meer bij die periode of is "
            "ingetrokken."
        )
    for then, now in corrections.statuses:
        items.append(
            f"De status van {_measure_name(now)} in die periode was {_status_pair(now)}, "
            f"niet {_status_pair(then)} zoals gemeld."
        )
    for measure, then, now in corrections.progress:
        if then is None:
            items.append(
                f"Aanvulling bij {_measure_name(measure)}, {date_nl(now.date)}: "
                f"{' '.join(paragraphs(now.text))}"
            )
        elif now is None:
            items.append(
                f"De voortgang bij {_measure_name(measure)} van {date_nl(then.date)} is "
                "ingetrokken."
            )
        else:
            items.append(
                f"Correctie bij {_measure_name(measure)}, {date_nl(now.date)}: "
                f"{' '.join(paragraphs(now.text))}"
            )
    for table, then, now in corrections.figures:
        reported = f" (eerder gemeld: {then.realised_text})" if then is not None else ""
        target = f", streven {now.target_text}" if now.target is not None else ""
        items.append(
            f"{clean(table.title)}, {period_text(now)}"
            f"{', ' + clean(now.breakdown) if now.breakdown else ''}: "
            f"gerealiseerd {now.realised_text}{target}{reported}."
        )
    for then, now in corrections.commitments:
        if now is None:
            items.append(f"{commitment_heading(then)}: valt niet meer onder die periode.")
            continue
        earlier = f" (eerder gemeld: {then.outcome_nl})" if then is not None else ""
        items.append(f"{commitment_heading(now)}: {commitment_answer(now)[:-1]}{earlier}.")
    return intro, items


FIGURE_HEADERS = ("Jaar", "Streven", "Gerealiseerd", "Verschil", "% van streven")
FIGURE_HEADERS_WITH_CATEGORIES = ("Jaar en categorie", *FIGURE_HEADERS[1:])
SOURCE_PREFIX = "Bron"
NOTE_PREFIX = "Toelichting"
PROVISIONAL_MARK = "*"
PROVISIONAL_NOTE = "* voorlopig cijfer"


def figure_headers(table):
    return FIGURE_HEADERS_WITH_CATEGORIES if table.has_categories else FIGURE_HEADERS


def period_text(row):
    """Return the period of a figure as the letters write it: "2014", "1e kwartaal 2010"."""
    return f"{row.quarter}e kwartaal {row.year}" if row.quarter else str(row.year)


def figure_cells(row):
    """Return the cells of a figure table's row: its label (the year, or the category under
    its year), target, realised, difference and % of target. A provisional realised figure is
    marked "1.234*"; the target of the year a base-year target names carries its change on the
    base, "594 (+25 %)", and a realised figure after the base year its own, "560 (+17,9 %)",
    as the letters write them. A year recorded only by category has a row of its year alone."""
    label = clean(row.breakdown) if row.is_category else period_text(row)
    if not row.recorded:
        return (label, "", "", "", "")
    target = row.target_text
    if row.target_change_text and row.target is not None:
        target += f" ({row.target_change_text})"
    realised = row.realised_text
    if row.provisional and row.realised is not None:
        realised += PROVISIONAL_MARK
    if row.realised_change_text:
        realised += f" ({row.realised_change_text})"
    return (label, target, realised, row.difference_text, row.percentage_of_target_text)


def figure_target_line(table):
    """Return the sentence that states a target set against a base year, as the letters do:
    "Doelstelling voor 2014: 594 (+25 % ten opzichte van 2010: 475)."; "" without one."""
    if table.base_target is None:
        return ""
    return (
        f"Doelstelling voor {table.target_year}: {table.base_target_text} "
        f"({table.target_change_text} ten opzichte van {table.base_year}: "
        f"{table.amount_text(table.base_value)})."
    )


def figure_lines(table):
    """Return the lines printed under a figure table, after its source: the target set
    against a base year, the provisional mark's meaning, what the brackets hold, the years
    given only by category, and each value's note ("Toelichting 2015: …", "Toelichting
    2014, Regio's: …")."""
    target = figure_target_line(table)
    lines = [target] if target else []
    if table.has_provisional:
        lines.append(PROVISIONAL_NOTE)
    if table.shows_base_change and any(row.realised_change is not None for row in table.rows):
        lines.append(
            f"Tussen haakjes: de verandering ten opzichte van {table.base_year} "
            f"({table.amount_text(table.base_value)})."
        )
    missing = table.periods_without_total
    if missing:
        years = ", ".join(period_text(row) for row in missing)
        lines.append(
            f"Voor {years} is alleen de uitsplitsing bekend; de categorieën vormen samen niet "
            "noodzakelijk het totaal, dat daarom niet is berekend."
        )
    return lines + figure_notes(table)


def figure_notes(table):
    """Return the lines a figure table's notes are printed as, under its source: "Toelichting
    2015: …", for a category "Toelichting 2014, Regio's: …"."""
    return [
        f"{NOTE_PREFIX} {period_text(row)}{', ' + row.breakdown if row.breakdown else ''}: "
        f"{row.note}"
        for row in table.notes
    ]


def chart_alt_text(table):
    """Return the text alternative of a figure table's chart: what it shows and its numbers."""
    years = "; ".join(
        f"{period_text(row)}: streven {row.target_text}, gerealiseerd {row.realised_text}"
        for row in table.totals
    )
    per = "kwartaal" if any(row.quarter for row in table.totals) else "jaar"
    return clean(
        f"Grafiek bij tabel {table.number}, {table.title}: gerealiseerd tegenover "
        f"streven per {per}. {years}."
    )


def chart_title(table):
    return clean(f"Grafiek: {table.title}")
