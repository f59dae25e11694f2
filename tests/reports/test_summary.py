"""The summary builder, called directly: structure, history, visibility, figures, commitments."""

import dataclasses
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from measures.models import (
    Commitment,
    Indicator,
    IndicatorValue,
    Measure,
    MeasureStatus,
    ProgressUpdate,
    UpdateState,
    Visibility,
)
from measures.reports.summary import (
    OUTCOME_FULFILLED,
    OUTCOME_LATE,
    OUTCOME_OPEN,
    build_summary,
    corrections,
    letter_summary,
)
from tests import summary_data
from tests.summary_data import END, START, at, make_measure, make_update, save_at

# The fixtures of the letter of 1 June 2015.
kp, letters, letter_data = summary_data.kp, summary_data.letters, summary_data.letter_data


def titles(summary):
    return [m.title for m in summary.measures]


def update_texts(summary):
    return [u.text for m in summary.measures for u in m.updates]


def test_it_groups_measures_per_theme_and_action_line_in_order(letter_data):
    summary = build_summary(START, END)

    assert [(t.number, t.name) for t in summary.themes] == [
        (1, "Kinderpornografie"),
        (2, "Kindersekstoerisme"),
    ]
    kst = summary.themes[1]
    assert [(line.number, line.name) for line in kst.action_lines] == [
        ("2.1", "Preventie"),
        ("2.2", "Opsporing en vervolging"),
        ("2.3", "Samenwerking nationaal en internationaal"),
    ]
    assert [[m.title for m in line.measures] for line in kst.action_lines] == [
        ["Handboek kindersekstoerisme"],
        ["Tweede FILO in Bangkok"],
        ["Samenwerkingspilot met NGO's", "Toolkit Aanpak Kindersekstoerisme"],
    ]


def test_it_reads_the_status_at_the_start_and_the_end_from_history(letter_data):
    summary = build_summary(START, END)
    by_title = {m.title: m for m in summary.measures}

    handbook = by_title["Handboek kindersekstoerisme"]
    assert (handbook.status_start, handbook.status_end) == ("in_progress", "completed")
    assert handbook.is_completed
    pilot = by_title["Samenwerkingspilot met NGO's"]
    assert (pilot.status_start, pilot.status_end) == (None, "embedded")
    assert pilot.is_new
    assert [m.title for m in summary.new_measures] == ["Samenwerkingspilot met NGO's"]
    assert [m.title for m in summary.completed_measures] == ["Handboek kindersekstoerisme"]
    assert [m.title for m in summary.delayed_measures] == ["Toolkit Aanpak Kindersekstoerisme"]


def test_a_period_ending_before_a_change_shows_the_old_status(letter_data):
    summary = build_summary(START, datetime.date(2015, 1, 31))

    handbook = next(m for m in summary.measures if m.title == "Handboek kindersekstoerisme")
    assert handbook.status_end == "in_progress"
    assert "Samenwerkingspilot met NGO's" in titles(summary)
    assert "Toolkit Aanpak Kindersekstoerisme" in titles(summary)


def test_it_takes_only_approved_updates_for_the_letter_dated_in_the_period(letter_data):
    summary = build_summary(START, END)
    filo = next(m for m in summary.measures if m.title == "Tweede FILO in Bangkok")

    assert [u.text for u in filo.updates] == ["De tweede FILO is in Bangkok gestart."]
    assert filo.next_steps == "Evaluatie in 2016."
    assert filo.drafts_waiting == 1


def test_an_update_sent_back_stays_out_of_the_letter_and_waits_for_its_author(letter_data, alice):
    draft = ProgressUpdate.objects.get(
        state=UpdateState.DRAFT, measure__title="Tweede FILO in Bangkok"
    )
    draft.send_back(by=alice, comment="Graag met cijfers")

    summary = build_summary(START, END)
    filo = next(m for m in summary.measures if m.title == "Tweede FILO in Bangkok")
    assert [u.text for u in filo.updates] == ["De tweede FILO is in Bangkok gestart."]
    assert filo.drafts_waiting == 0  # not waiting for approval: the review queue lists drafts
    assert filo not in summary.completeness.drafts_waiting


def test_confidential_and_internal_measures_and_updates_never_reach_the_public_draft(
    letter_data, alice
):
    for summary in (build_summary(START, END), build_summary(START, END, user=alice)):
        assert "Geheime operatie Zuidoost-Azie" not in titles(summary)
        assert "Interne evaluatie voorlichting" not in titles(summary)
        assert not [t for t in update_texts(summary) if "Vertrouwelijke" in t or "Interne" in t]


def test_include_internal_adds_internal_but_confidential_only_for_who_may_see_it(
    letter_data, alice, bob, carol, vera
):
    anonymous_command = build_summary(START, END, include_internal=True)
    assert "Interne evaluatie voorlichting" in titles(anonymous_command)
    assert "Geheime operatie Zuidoost-Azie" not in titles(anonymous_command)
    assert "Vertrouwelijke voortgang over een bron." not in update_texts(anonymous_command)

    for reader in (carol, vera):
        summary = build_summary(START, END, include_internal=True, user=reader)
        assert "Interne evaluatie voorlichting" in titles(summary)
        assert "Geheime operatie Zuidoost-Azie" not in titles(summary)

    coordinator = build_summary(START, END, include_internal=True, user=alice)
    assert "Geheime operatie Zuidoost-Azie" in titles(coordinator)
    assert "Vertrouwelijke voortgang over een bron." in update_texts(coordinator)
    owner = build_summary(START, END, include_internal=True, user=bob)
    assert "Geheime operatie Zuidoost-Azie" in titles(owner)


def test_figures_show_target_realised_difference_and_percentage_of_target(letter_data):
    summary = build_summary(START, END)
    tables = summary.themes[0].figures

    suspects = tables[0]
    assert suspects.title == "Verdachten aangeleverd bij het OM"
    assert suspects.source == "Op basis van politiegegevens"
    assert [
        (r.year, r.target_text, r.realised_text, r.difference_text, r.percentage_of_target_text)
        for r in suspects.rows
    ] == [
        (2012, "511", "522", "+11", "102,2 %"),
        (2013, "546", "568", "+22", "104,0 %"),
        (2014, "594", "560", "-34", "94,3 %"),
    ]
    # Without a target there is no percentage of it.
    assert [(r.realised_text, r.percentage_of_target_text) for r in tables[1].rows] == [
        ("20,7 %", "–"),
        ("30,8 %", "–"),
    ]


def test_a_figures_note_comes_with_its_year(letter_data):
    value = letter_data["suspects"].values.get(year=2014)
    value.note = "Exclusief zaken van de KMar."
    save_at(value, at(END, 9))
    [suspects, spreading] = build_summary(START, END).themes[0].figures
    assert [row.note for row in suspects.rows] == ["", "", "Exclusief zaken van de KMar."]
    assert [(row.year, row.note) for row in suspects.notes] == [
        (2014, "Exclusief zaken van de KMar.")
    ]
    assert spreading.notes == []


def test_commitments_due_or_answered_in_the_period_say_how_they_were_answered(letter_data):
    summary = build_summary(START, END)
    outcomes = {c.title[:30]: (c.outcome, c.fulfilled_on) for c in summary.commitments}

    assert outcomes == {
        "Gemiddelde duur opgelegde vrij": (OUTCOME_LATE, END),
        "Evaluatie van de liaisons": (OUTCOME_OPEN, None),
        "Motie Berndsen-Jansen over een": (OUTCOME_FULFILLED, datetime.date(2015, 5, 1)),
    }
    sentences = summary.commitments[0]
    assert sentences.fulfilled_by.title == letter_data["letter"].title
    assert [n.text for n in summary.notes] == [
        "Kamerstuk 31 015, nr. 104.",
        "Kamerstuk 31 015, nr. 93.",
        "Kamerstuk 31 015, nr. 102.",
        "Kamerstuk 31 015, nr. 105.",
    ]


def test_a_commitment_answered_after_the_period_is_still_open_in_it(letter_data):
    summary = build_summary(START, datetime.date(2015, 4, 30))

    sentences = next(c for c in summary.commitments if c.title.startswith("Gemiddelde"))
    assert sentences.outcome == OUTCOME_OPEN
    assert sentences in summary.completeness.commitments_unanswered


def test_the_completeness_list_names_what_the_coordinator_must_chase(letter_data):
    completeness = build_summary(START, END).completeness

    assert [m.title for m in completeness.measures_without_progress] == [
        "Toolkit Aanpak Kindersekstoerisme"
    ]
    assert [m.title for m in completeness.drafts_waiting] == ["Tweede FILO in Bangkok"]
    assert [c.title for c in completeness.commitments_unanswered] == ["Evaluatie van de liaisons"]


def test_it_names_the_previous_sent_letter_and_what_changed_since(letter_data):
    summary = build_summary(START, END)

    assert summary.previous_letter.date == datetime.date(2014, 9, 4)
    changed = {
        c.measure.title: (c.status_then, c.status_now) for c in summary.changes.status_changes
    }
    assert changed == {
        "Handboek kindersekstoerisme": ("in_progress", "completed"),
        "Samenwerkingspilot met NGO's": (None, "embedded"),
    }
    assert "De tweede FILO is in Bangkok gestart." in [
        u.text for _, u in summary.changes.new_updates
    ]


def test_filters_keep_one_theme_plan_or_owner(letter_data, kst, police):
    assert [t.code for t in build_summary(START, END, theme=kst).themes] == ["kst"]
    assert [t.code for t in build_summary(START, END, theme="kp").themes] == ["kp"]
    by_police = build_summary(START, END, organisation=police)
    assert titles(by_police) == ["Handboek kindersekstoerisme", "Tweede FILO in Bangkok"]
    assert [c.title[:5] for c in by_police.commitments] == ["Gemid", "Motie"]
    assert titles(build_summary(START, END, plan=letter_data["plan"])) == titles(
        build_summary(START, END, theme=kst)
    )


def test_a_letter_rebuilt_after_later_edits_gives_the_same_summary(letter_data, alice):
    letter = letter_data["letter"]
    letter.mark_sent(by=alice, at=at(END, 16))
    before = letter_summary(letter)

    later = at(datetime.date(2015, 7, 1))
    handbook = letter_data["handbook"]
    handbook.title = "Handboek kindersekstoerisme (herzien)"
    handbook.status = MeasureStatus.STOPPED
    save_at(handbook, later)
    update = ProgressUpdate.objects.get(text="De tweede FILO is in Bangkok gestart.")
    update.text = "Achteraf herschreven."
    save_at(update, later.replace(minute=1))
    backdated = ProgressUpdate(
        measure=letter_data["toolkit"],
        date=datetime.date(2015, 5, 1),
        text="Later ingevoerd.",
        state=UpdateState.APPROVED,
        approved_at=later,
    )
    save_at(backdated, later.replace(minute=2))
    draft = ProgressUpdate.objects.get(state=UpdateState.DRAFT)
    draft.state = UpdateState.APPROVED
    draft.approved_at = later
    save_at(draft, later.replace(minute=3))
    letter_data["open"].fulfil(by=None, on=datetime.date(2015, 5, 20))

    after = letter_summary(letter)

    assert dataclasses.asdict(after) == dataclasses.asdict(before)
    now = build_summary(START, END, letter=letter, known=at(datetime.date(2015, 8, 1)))
    assert "Handboek kindersekstoerisme (herzien)" in titles(now)
    assert "Later ingevoerd." in update_texts(now)


def test_from_now_on_the_live_tables_give_the_summary_the_history_gives_of_now(letter_data, alice):
    """A summary up to today reads the live tables (`state_at`); the history read just before
    must say the same, deletions, drafts, internal and confidential items included."""
    ProgressUpdate.objects.get(text="De tweede FILO is in Bangkok gestart.").delete()
    letter_data["toolkit"].delete()
    options = {"include_internal": True, "user": alice, "letter": letter_data["letter"]}
    written = timezone.now()

    with CaptureQueriesContext(connection) as live_queries:
        live = build_summary(START, END, known=written + datetime.timedelta(days=1), **options)
    with CaptureQueriesContext(connection) as history_queries:
        past = build_summary(START, END, known=written, **options)

    assert "historicalprogressupdate" not in " ".join(q["sql"] for q in live_queries)
    assert "historicalprogressupdate" in " ".join(q["sql"] for q in history_queries)
    assert dataclasses.replace(live, known=None) == dataclasses.replace(past, known=None)
    assert live.measures and live.commitments and live.figure_tables
    assert not any(m.title.startswith("Toolkit") for m in live.measures)


def test_a_measure_the_history_never_recorded_is_read_from_its_row_now_and_absent_before(
    letter_data, plan, prevention, kst, police
):
    """A bulk write skips the history (simple-history records from signals): the live table
    still answers for now from the row's own valid dates (without failing on the missing
    history), and the past as recorded cannot show what was never recorded."""
    Measure.objects.bulk_create(
        [
            Measure(
                joined_on=datetime.date(2015, 1, 5),
                status_since=datetime.date(2015, 1, 5),
                status=MeasureStatus.IN_PROGRESS,
                plan=plan,
                action_line=prevention,
                theme=kst,
                owner=police,
                title="Stil erbij",
            )
        ]
    )
    written = timezone.now()

    live = build_summary(START, END, known=written + datetime.timedelta(days=1))
    past = build_summary(START, END, known=written)

    quiet = next(m for m in live.measures if m.title == "Stil erbij")
    assert (quiet.is_new, quiet.status_end) == (True, MeasureStatus.IN_PROGRESS)
    assert "Stil erbij" not in titles(past)


def test_two_history_records_with_one_timestamp_give_one_measure(letter_data):
    toolkit = letter_data["toolkit"]
    moment = at(datetime.date(2015, 3, 3))
    toolkit.title = "Toolkit (1)"
    save_at(toolkit, moment)
    toolkit.title = "Toolkit (2)"
    save_at(toolkit, moment)

    summary = build_summary(START, END)

    assert [t for t in titles(summary) if t.startswith("Toolkit")] == ["Toolkit (2)"]


def test_a_period_that_ends_before_it_starts_is_refused(db):
    with pytest.raises(ValueError):
        build_summary(END, START)


@pytest.fixture
def measures_with_progress(plan, prevention, kst, police, letters):
    indicator = Indicator.objects.create(name="Meldingen", theme=kst)
    save_at(IndicatorValue(indicator=indicator, year=2014, target=10, realised=12), at(START))
    commitment = save_at(Commitment(title="Toezegging", text="Iets", due_date=END), at(START))
    commitment.fulfil(by=None, letter=letters["letter"], history_date=at(END, 9))

    def make(count):
        for i in range(count):
            measure = make_measure(
                plan,
                prevention,
                kst,
                police,
                f"Maatregel {i}",
                at(START, 8, i % 60),
                status=MeasureStatus.IN_PROGRESS,
                visibility=Visibility.PUBLIC,
            )
            make_update(
                measure,
                datetime.date(2015, 1, 1 + i % 28),
                f"Voortgang {i}",
                minute=i % 60,
                author_organisation=police,
            )
        return Measure.objects.count()

    return make


@pytest.mark.parametrize("count", [3, 30])
def test_the_builder_needs_the_same_number_of_queries_for_3_and_30_measures(
    count, measures_with_progress, django_assert_num_queries
):
    assert measures_with_progress(count) == count
    # 1 previous letter, 2 the measures as recorded (their statuses on the day before the
    # period, its last day and the previous letter's day as expressions), 3 themes, 4 plans,
    # 5 action lines, 6 organisations (owners and authors), 7 their former names, 8 progress
    # updates dated in the period, 9 events dated in the period, 10 links between
    # measures, 11 links to documents (the documents linked: none here, so no query),
    # 12 indicators, 13 their yearly values, 14 the order of their categories,
    # 15 commitments with the letters that answered them, 16 the letterhead in use (its files:
    # none here)
    with django_assert_num_queries(16):
        summary = build_summary(START, END)
    assert len(summary.measures) == count
    assert all(len(m.updates) == 1 for m in summary.measures)
    assert len(summary.figure_tables) == 1
    assert summary.commitments[0].fulfilled_by is not None


@pytest.mark.parametrize("count", [3, 30])
def test_the_corrections_to_a_letter_need_the_same_number_of_queries_for_3_and_30_measures(
    count, measures_with_progress, letters, alice, django_assert_num_queries
):
    """Every measure of the period gets a back-dated status and a progress update after the
    letter was sent: the corrections list them all, in a fixed number of queries."""
    measures_with_progress(count)
    letter = letters["letter"]
    letter.mark_sent(by=alice, at=at(END, 16))
    for measure in Measure.objects.all():
        measure.set_status(MeasureStatus.DELAYED, by=alice, on=datetime.date(2015, 3, 1))
        measure.log_progress(by=alice, text="Achteraf", date=datetime.date(2015, 4, 1))
    value = IndicatorValue.objects.get()
    value.realised = 13
    value.save()
    Commitment.objects.create(title="Later vastgelegd", text="Iets", due_date=END)
    # Touched: 1 measures, 2 updates, 3 values, 4 commitments; then the builder twice, on the
    # touched objects only: as sent (16 queries, 4 more for names the history had not recorded
    # by then, 2 fewer as the indicator, created today, had no record then and neither its
    # values nor its categories are read) and as known now (16); 1 the touched measures still
    # in the period now
    with django_assert_num_queries(39):
        found = corrections(letter)
    assert len(found.statuses) == Measure.objects.count()
    assert len(found.progress) == Measure.objects.count()
    [(table, then, now)] = found.figures
    assert now.realised == 13  # (the fixture records its indicator today: unknown when sent)
    assert [(then, now.title) for then, now in found.commitments] == [(None, "Later vastgelegd")]


def test_a_measure_no_longer_public_is_not_called_withdrawn_but_a_deleted_one_is(
    letter_data, alice
):
    letter = letter_data["letter"]
    letter.mark_sent(by=alice, at=at(END, 16))
    sent = {m.title for m in letter_summary(letter).measures}
    handbook, toolkit = letter_data["handbook"], letter_data["toolkit"]
    assert {handbook.title, toolkit.title} <= sent
    handbook.refresh_from_db()
    handbook.visibility = Visibility.INTERNAL
    handbook.save()
    toolkit.updates.all().delete()
    toolkit.delete()

    found = corrections(letter)

    assert [m.title for m in found.withdrawn] == [toolkit.title]
