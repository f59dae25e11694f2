"""The seed command replays the four seed letters with their history, and changes nothing twice."""

import datetime
import io
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from measures.attribution import SYSTEM_USERNAME, get_system_user
from measures.models import (
    Commitment,
    CommitmentStatus,
    IndicatorValue,
    Measure,
    MeasureStatus,
    Organisation,
    Plan,
    ProgressLetter,
    ProgressUpdate,
)
from measures.seeding import AMSTERDAM, letter_moment, load_fixture, seed_letters

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


@pytest.fixture(scope="module", autouse=True)
def _seeded(seeded_module):
    """The seed letters, loaded once for this module (tests/conftest.py)."""


def letter(day):
    return ProgressLetter.objects.get(date=day, source_file__gt="")


def value(indicator, year, breakdown="", quarter=0):
    return IndicatorValue.objects.get(
        indicator__name=indicator, year=year, quarter=quarter, breakdown=breakdown
    )


def history_models():
    """Return the models whose rows are history records (not the m2m snapshot tables)."""
    return [
        model
        for model in apps.get_models()
        if model.__name__.startswith("Historical")
        and any(field.name == "history_date" for field in model._meta.fields)
    ]


def row_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models(include_auto_created=True)
    }


# --- what was loaded -----------------------------------------------------------------------------


def test_it_loads_the_four_letters_and_the_letter_they_cite_as_sent():
    seed_letters = ProgressLetter.objects.exclude(source_file="")
    assert sorted(str(item.date) for item in seed_letters) == [
        "2010-07-01",
        "2015-06-01",
        "2016-03-21",
        "2016-09-06",
    ]
    # + the letters the letter of 1 June 2015 cites: the progress report of 4 September 2014 and
    # the letter of 18 December 2014 on the motion
    assert ProgressLetter.objects.count() == 6
    for item in ProgressLetter.objects.all():
        assert item.is_sent
        # Sent on its own day, after everything it states was recorded (a letter is what was
        # known when it was sent): no record of its day comes after it.
        assert timezone.localdate(item.sent_at) == item.date
        assert item.sent_at >= letter_moment(item.date)
        recorded = [
            m.history.filter(history_date__gt=item.sent_at)
            .filter(history_date__lt=letter_moment(item.date) + datetime.timedelta(hours=1))
            .exists()
            for m in item.measures.all()
        ]
        assert not any(recorded)


def test_the_undated_2010_letter_is_stored_with_an_estimated_date():
    item = letter(datetime.date(2010, 7, 1))
    assert item.date_is_estimated
    assert item.signed_by == "E.M.H. Hirsch Ballin"
    assert not ProgressLetter.objects.filter(date_is_estimated=True).exclude(pk=item.pk).exists()


def test_the_letters_carry_their_parliamentary_papers():
    assert letter(datetime.date(2015, 6, 1)).kamerstuk == "31 015, nr. 112"
    assert letter(datetime.date(2016, 3, 21)).kamerstuk == "31 015, nr. 121"
    assert letter(datetime.date(2016, 3, 21)).kind == "results"


def test_it_loads_the_counts_the_letters_report():
    assert Plan.objects.count() == 8
    assert Measure.objects.count() == 40
    assert Commitment.objects.count() == 10
    assert IndicatorValue.objects.count() == 62
    assert ProgressUpdate.objects.count() == 34


def test_the_cst_plans_have_their_action_lines_and_succeed_each_other():
    old = Plan.objects.get(short_title="PvA KST 2013")
    new = Plan.objects.get(short_title="PvA KST 2016–2018")
    assert list(old.action_lines.values_list("name", flat=True)) == [
        "Preventie",
        "Strafrechtelijke aanpak",
        "Samenwerking nationaal en internationaal",
    ]
    assert list(new.action_lines.values_list("name", flat=True)) == [
        "Preventie",
        "Opsporing en vervolging",
        "Internationale samenwerking",
    ]
    assert new.predecessor == old
    assert old.source_reference == "31 015, nr. 93"


def test_the_demo_users_find_the_ministry_and_the_police_by_abbreviation():
    assert Organisation.objects.get(abbreviation="JenV").name == (
        "Ministerie van Justitie en Veiligheid"
    )
    assert Organisation.objects.get(abbreviation="Politie").name == "Nationale Politie"


def test_every_measure_update_figure_and_commitment_names_its_letter():
    assert not Measure.objects.filter(source_letter__isnull=True).exists()
    assert not ProgressUpdate.objects.filter(source_letter__isnull=True).exists()
    assert not IndicatorValue.objects.filter(source_letter__isnull=True).exists()
    assert not Commitment.objects.filter(source_letter__isnull=True).exists()


# --- facts straight from the letters -------------------------------------------------------------


def test_suspects_handed_to_the_om_in_2014_missed_the_target():
    figure = value("Verdachten aangeleverd bij het OM", 2014)
    assert (figure.target, figure.realised) == (594, 560)
    assert value("Verdachten aangeleverd bij het OM", 2010).realised == 475
    assert value("Verdachten aangeleverd bij het OM", 2010).target is None


def test_interventions_2015_came_from_two_letters():
    figure = value("Interventies", 2015)
    assert (figure.target, figure.realised) == (600, 842)
    assert figure.source_letter == letter(datetime.date(2016, 3, 21))
    records = list(figure.history.order_by("history_date"))
    assert [(record.target, record.realised) for record in records] == [(600, None), (600, 842)]
    assert value("Interventies", 2015, "proactieve onderzoeken").realised == 25
    assert value("Interventies", 2015, "reguliere onderzoeken").target == 215


def test_the_share_of_distribution_cases_in_2014_is_a_percentage():
    figure = value("Aandeel zaken met verspreiding", 2014)
    assert figure.realised == Decimal("30.8")
    assert figure.indicator.is_percentage
    assert value("Aan het OM aangeleverde kinderpornografiezaken", 2014).realised == 542


def test_the_quarterly_table_of_2009_adds_up_per_police_unit():
    total = value("Kinderpornozaken in behandeling bij de politie", 2009, quarter=4)
    parts = IndicatorValue.objects.filter(
        indicator=total.indicator, year=2009, quarter=4, breakdown__gt=""
    )
    assert total.realised == 809
    assert sum(part.realised for part in parts) == 809
    assert sorted(parts.values_list("breakdown", flat=True)) == ["BR-en", "KLPD", "Regio's"]


def test_the_prison_sentence_commitment_was_answered_late_by_the_letter_of_june_2015():
    commitment = Commitment.objects.get(title__startswith="Gemiddelde duur van vrijheidsstraffen")
    assert commitment.made_on == datetime.date(2014, 3, 20)
    assert commitment.due_date == datetime.date(2014, 9, 4)
    assert commitment.status == CommitmentStatus.FULFILLED
    assert commitment.fulfilled_by == letter(datetime.date(2015, 6, 1))
    assert commitment.is_late


def test_the_new_cst_plan_was_promised_before_the_summer_and_delivered_in_september():
    commitment = Commitment.objects.get(title__startswith="Nieuw plan van aanpak")
    assert commitment.made_in_letter == letter(datetime.date(2016, 3, 21))
    assert commitment.fulfilled_on == datetime.date(2016, 9, 6)
    assert commitment.is_late


def test_the_motion_was_answered_by_the_letter_of_december_2014():
    motion = Commitment.objects.get(kind="motie")
    assert motion.kamerstuk == "29 628, nr. 494"
    assert motion.fulfilled_by.kamerstuk == "29 628, nr. 500"
    assert motion.measures.get().budget_eur == 2_000_000


def test_the_green_notices_commitment_is_still_open():
    commitment = Commitment.objects.get(title__contains="Green Notices")
    assert commitment.status == CommitmentStatus.OPEN
    assert commitment.made_on == datetime.date(2016, 4, 13)


# --- history over time ---------------------------------------------------------------------------


def test_a_measure_has_history_only_at_the_letters_that_reported_on_it():
    campaign = Measure.objects.get(title="Bewustwordingscampagne kindersekstoerisme (2010)")
    reported = {update.source_letter.date for update in campaign.updates.all()}
    assert reported == {datetime.date(2010, 7, 1), datetime.date(2015, 6, 1)}
    days = set()
    for record in campaign.history.all():
        day = record.history_date.astimezone(AMSTERDAM).date()
        assert letter_moment(day) <= record.history_date < letter_moment(day) + HOUR
        days.add(day)
    assert days == reported
    statuses = [record.status for record in campaign.history.order_by("history_date")]
    assert statuses[-2:] == [MeasureStatus.IN_PROGRESS, MeasureStatus.REPLACED]


def test_every_measure_has_history_only_on_the_days_of_the_letters_that_report_it():
    """The measure's own records fall on reporting letters; with its progress updates' records
    they cover every letter that reported on it (an update that leaves the status alone writes
    no record of the measure)."""

    def days(records):
        return {record.history_date.astimezone(AMSTERDAM).date() for record in records}

    for measure in Measure.objects.select_related("source_letter"):
        updates = ProgressUpdate.objects.filter(measure=measure).select_related("source_letter")
        letters = {measure.source_letter.date} | {update.source_letter.date for update in updates}
        own = days(measure.history.all())
        of_updates = days(ProgressUpdate.history.filter(measure_id=measure.pk))
        assert own <= letters, measure.title
        assert own | of_updates == letters, measure.title


def test_as_of_the_letter_of_june_2015_shows_what_that_letter_said():
    june_2015 = letter(datetime.date(2015, 6, 1))
    then = {record.title: record for record in Measure.history.as_of(june_2015.as_of)}
    assert len(then) == Measure.history.as_of(june_2015.as_of).count()  # no duplicates
    assert then["Samenwerking met NGO's"].status == MeasureStatus.EMBEDDED
    assert then["Handboek kindersekstoerisme (verbetering informatiepositie)"].status == (
        MeasureStatus.COMPLETED
    )
    assert then["Project ECPAT/Defence for Children"].budget_eur == 5_000_000
    assert "Barrièremodel kindersekstoerisme" not in then
    update = ProgressUpdate.objects.get(measure__title="Samenwerking met NGO's")
    assert update.source_letter == june_2015
    assert "geborgd in het reguliere proces" in update.text

    earlier = {
        record.title: record
        for record in Measure.history.as_of(letter(datetime.date(2010, 7, 1)).as_of)
    }
    assert earlier["Bewustwordingscampagne kindersekstoerisme (2010)"].status == (
        MeasureStatus.IN_PROGRESS
    )
    assert "Samenwerking met NGO's" not in earlier


def test_the_meldpunt_of_2010_is_the_eokm_of_2016():
    eokm = Organisation.objects.get(abbreviation="EOKM")
    names = [record.name for record in eokm.history.order_by("history_date")]
    assert names == ["Meldpunt Kinderporno op Internet", "Expertisebureau Online Kindermisbruik"]


def test_no_two_history_records_of_one_object_share_a_moment():
    for model in history_models():
        moments = list(model.objects.values_list("id", "history_date"))
        assert len(moments) == len(set(moments)), model.__name__


def test_every_history_record_names_the_system_user():
    for model in history_models():
        users = set(model.objects.values_list("history_user__username", flat=True))
        assert users <= {SYSTEM_USERNAME}, model.__name__


def test_running_seed_again_changes_no_row_and_no_history():
    before = row_counts()
    call_command("seed", stdout=io.StringIO())
    assert row_counts() == before


def test_a_figure_added_to_an_already_loaded_letter_is_all_that_a_new_run_writes():
    data = load_fixture()
    results = next(entry for entry in data["letters"] if entry["date"] == "2016-03-21")
    results["values"].append(
        {"indicator": "Interventies", "year": 2015, "breakdown": "test", "realised": 1}
    )
    before = row_counts()

    written = seed_letters(by=get_system_user(), data=data)

    assert written == {"IndicatorValue": 1}
    after = row_counts()
    changed = {label for label in after if after[label] != before[label]}
    # The value, and its breakdown "test" listed on the indicator (with history).
    assert changed == {
        "measures.IndicatorValue",
        "measures.HistoricalIndicatorValue",
        "measures.IndicatorBreakdown",
        "measures.HistoricalIndicatorBreakdown",
    }
    added = value("Interventies", 2015, "test")
    assert added.indicator.breakdown_names()[-1] == "test"
    assert added.source_letter == letter(datetime.date(2016, 3, 21))
    assert added.history.get().history_date.astimezone(AMSTERDAM).date() == added.source_letter.date
