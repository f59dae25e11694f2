"""The seed replays the letters on both clocks: each fact carries the valid date the letters state
(or its letter's date, marked estimated), each record the moment of its letter. And it holds what
the domain check (shared reviews/domain.md, W1–W8 and section 4) found the letters support."""

import datetime

import pytest

from measures.models import (
    Commitment,
    CommitmentStatus,
    Measure,
    MeasureStatus,
    Plan,
    ProgressLetter,
    ProgressUpdate,
)
from measures.seeding import AMSTERDAM

pytestmark = pytest.mark.django_db

D = datetime.date
JUNE_2015 = D(2015, 6, 1)
PERIOD_2015 = (D(2014, 9, 1), JUNE_2015)  # the letter of 1 June 2015: "september 2014 tot heden"
PERIOD_2010 = (D(2010, 3, 31), D(2010, 7, 1))  # the 2010 letter: "de periode vanaf 31 maart 2010"

SOMEC = "SOMEC-project"
ECPAT = "Project ECPAT/Defence for Children"
CAMPAIGN_2010 = "Bewustwordingscampagne kindersekstoerisme (2010)"
DONT_LOOK_AWAY = "Campagne tegen kindersekstoerisme «Don't Look Away»"
HANDBOOK = "Handboek kindersekstoerisme (verbetering informatiepositie)"
PLAN_2013 = "PvA KST 2013"


@pytest.fixture(scope="module", autouse=True)
def _seeded(seeded_module):
    """The seed letters, loaded once for this module (tests/conftest.py)."""


def measure(title):
    return Measure.objects.get(title=title)


def letter(day):
    return ProgressLetter.objects.get(date=day)


def record_at(obj, moment):
    """The history record of `obj` as it stood at `moment` (record time)."""
    return obj.history.filter(history_date__lte=moment).order_by("-history_date").first()


def update_of(title, letter_day):
    return ProgressUpdate.objects.get(measure__title=title, source_letter__date=letter_day)


def new_in(period, letter_day):
    """Titles of the measures first reported by the letter of `letter_day` that joined the
    programme within `period` (valid time): what a summary of that period may call new."""
    start, end = period
    return {
        m.title
        for m in Measure.objects.filter(
            source_letter__date=letter_day, joined_on__gte=start, joined_on__lte=end
        )
    }


# --- measures: joined the programme when the letters say -----------------------------------------


def test_somec_joined_with_the_2013_plan_and_is_not_new_in_the_2015_letters_period():
    somec = measure(SOMEC)
    # "Zoals in de voortgangsrapportage van 4 september 2014 aangegeven": it existed before
    assert somec.joined_on < D(2014, 9, 4)
    assert somec.joined_on == D(2013, 10, 9)  # the plan of 9 October 2013 holds it
    assert not somec.joined_on_is_estimated
    assert SOMEC not in new_in(PERIOD_2015, JUNE_2015)


def test_the_2013_plan_measures_existed_at_the_report_of_4_september_2014():
    plan = Plan.objects.get(short_title=PLAN_2013)
    joined = {m.title: m.joined_on for m in plan.measures.all()}
    assert len(joined) == 9
    assert all(day <= D(2014, 9, 4) for day in joined.values()), joined


def test_only_what_the_june_2015_letter_presents_as_new_is_new_in_its_period():
    """ECPAT ("In de vorige voortgangsrapportage is vermeld"), the Global Alliance and the EFC
    ("vanaf het begin actief ondersteund"), the sexual-offences review (AO of 20 March 2014) and
    the 2013 plan's measures existed before; the Interpol contribution (motion of 27 November
    2014) and the VGT membership ("inmiddels") are new."""
    assert new_in(PERIOD_2015, JUNE_2015) == {
        "Financiële bijdrage aan Interpol (uitvoering motie Berndsen-Jansen)",
        "Lidmaatschap van de Virtual Global Taskforce (VGT)",
    }
    assert (
        measure("Deelname aan de Global Alliance against Child Sexual Abuse Online").joined_on
        < (PERIOD_2015[0])
    )
    assert measure(ECPAT).joined_on == D(2014, 4, 1)
    assert measure(ECPAT).joined_on_is_estimated


def test_the_2010_items_that_existed_before_are_not_new_in_the_2010_letters_period():
    before = {
        "Expertisecentrum Kinderporno bij het OM": D(2009, 12, 31),  # "in 2009 ... gestart"
        "Monitor kinderpornografie (korpsmonitor)": D(2008, 12, 3),  # a product of the plan
        CAMPAIGN_2010: D(2010, 1, 13),  # "de start ... op 13 januari 2010"
        "Nationale internethotline www.meldkindersekstoerisme.nl": D(2010, 1, 13),
        "Deelname aan de European Financial Coalition (EFC)": D(2009, 3, 3),
    }
    for title, day in before.items():
        assert measure(title).joined_on == day, title
    assert not set(before) & new_in(PERIOD_2010, D(2010, 7, 1))
    assert not measure(CAMPAIGN_2010).joined_on_is_estimated  # the letter states the day
    assert measure("Expertisecentrum Kinderporno bij het OM").joined_on_is_estimated  # "in 2009"


def test_a_measure_the_letters_give_no_date_for_joined_on_its_letters_date_estimated():
    vgt = measure("Lidmaatschap van de Virtual Global Taskforce (VGT)")
    assert (vgt.joined_on, vgt.joined_on_is_estimated) == (JUNE_2015, True)
    barrier = measure("Barrièremodel kindersekstoerisme")  # presented with the plan that day
    assert (barrier.joined_on, barrier.joined_on_is_estimated) == (D(2016, 9, 6), False)


def test_no_measure_has_progress_or_a_status_before_it_joined():
    for item in Measure.objects.prefetch_related("updates"):
        assert item.status_since >= item.joined_on, item.title
        for update in item.updates.all():
            assert update.date >= item.joined_on, item.title


# --- progress and statuses: dated as the letters state -------------------------------------------


def test_progress_is_dated_at_the_event_the_letter_states():
    stated = {
        SOMEC: D(2014, 11, 7),  # "op 5, 6 en 7 november 2014 ... slotconferentie"
        DONT_LOOK_AWAY: D(2015, 3, 26),  # "op 26 maart 2015 op Schiphol ... van start gegaan"
        "Strafrechtelijke samenwerking met bronlanden van kindersekstoerisme": D(2015, 3, 25),
    }
    for title, day in stated.items():
        update = update_of(title, JUNE_2015)
        assert (update.date, update.date_is_estimated) == (day, False), title
    eokm = update_of(
        "Toekomstige financiering van het EOKM (meldpunt en «Stop it Now!»)", D(2016, 9, 6)
    )
    assert (eokm.date, eokm.date_is_estimated) == (D(2016, 6, 20), False)


def test_progress_without_a_stated_day_is_dated_at_its_letter_and_marked_estimated():
    undated = ProgressUpdate.objects.filter(date_is_estimated=False).select_related("source_letter")
    assert all(update.date != update.source_letter.date for update in undated)
    ngo = update_of("Samenwerking met NGO's", JUNE_2015)
    assert (ngo.date, ngo.date_is_estimated) == (JUNE_2015, True)
    # a rough time ("eind vorig jaar") is read as its last day, estimated
    monitor = update_of("Monitor kinderpornografie (korpsmonitor)", D(2010, 7, 1))
    assert (monitor.date, monitor.date_is_estimated) == (D(2009, 12, 31), True)


def test_a_status_takes_effect_on_the_day_the_letters_state_else_its_letters_day_estimated():
    look_away = measure(DONT_LOOK_AWAY)
    assert (look_away.status_since, look_away.status_since_is_estimated) == (D(2015, 3, 26), False)
    ngo = measure("Samenwerking met NGO's")
    assert ngo.status == MeasureStatus.EMBEDDED
    assert (ngo.status_since, ngo.status_since_is_estimated) == (JUNE_2015, True)
    # "loopt nog": the review already ran when the letter said so
    review = measure(
        "Onderzoek naar herziening van de zedentitel (titel XIV) van het Wetboek van Strafrecht"
    )
    assert review.status == MeasureStatus.IN_PROGRESS
    assert review.status_since == D(2014, 3, 20) and review.status_since_is_estimated
    # the 2010 campaign ran from its start on 13 January 2010, as the 2010 letter says
    campaign_2010 = record_at(measure(CAMPAIGN_2010), letter(D(2010, 7, 1)).as_of)
    assert campaign_2010.status == MeasureStatus.IN_PROGRESS
    assert (campaign_2010.status_since, campaign_2010.status_since_is_estimated) == (
        D(2010, 1, 13),
        False,
    )


def test_completion_dates_that_are_letter_dates_are_marked_estimated():
    """W5: no letter gives a completion day; the completion date is the letter's, estimated."""
    completed = Measure.objects.filter(status=MeasureStatus.COMPLETED)
    assert completed.count() == 4
    for item in completed:
        assert item.completed_date == item.status_since == item.source_letter.date, item.title
        assert item.status_since_is_estimated, item.title
    assert measure(HANDBOOK).completed_date == JUNE_2015


# --- what the domain check found -----------------------------------------------------------------


def test_the_ecpat_project_has_no_due_date_only_a_funding_period():
    """W1: "tot 1 juli 2016" ends a funding period; no letter says the project was due then."""
    ecpat = measure(ECPAT)
    assert ecpat.due_date is None
    assert not ecpat.history.filter(due_date__isnull=False).exists()
    assert "1 april 2014 tot 1 juli 2016" in ecpat.description
    assert ecpat.budget_eur == 5_000_000
    first = ecpat.history.earliest("history_date")
    assert first.budget_eur == 2_000_000
    assert "1 juli 2015" in first.description and "1 juli 2016" not in first.description


def test_the_2010_campaign_was_replaced_not_stopped():
    """W2: "Met deze nieuwe campagne, die de voorgaande nationale campagne ... vervangt"."""
    campaign = measure(CAMPAIGN_2010)
    assert campaign.status == MeasureStatus.REPLACED
    assert not campaign.history.filter(status=MeasureStatus.STOPPED).exists()
    # the day the new campaign started; that it is the day of the replacement is a reading
    assert (campaign.status_since, campaign.status_since_is_estimated) == (D(2015, 3, 26), True)
    assert campaign.completed_date is None


def test_the_motion_is_answered_in_part_without_a_deadline():
    """W3: answered by the letter of 18 December 2014; the 2015 letter says the payment is
    spread over three years."""
    motion = Commitment.objects.get(kind="motie")
    assert motion.status == CommitmentStatus.PARTLY_FULFILLED
    assert motion.due_date is None
    assert motion.fulfilled_on == D(2014, 12, 18)
    assert motion.fulfilled_by.kamerstuk == "29 628, nr. 500"
    assert "drie jaren" in motion.fulfilment_note
    assert not motion.is_late


def test_the_2013_plan_as_the_june_2015_letter_knew_it_cites_no_later_letter():
    plan = Plan.objects.get(short_title=PLAN_2013)
    then = record_at(plan, letter(JUNE_2015).as_of)
    assert "2016" not in then.description
    assert "9 oktober 2013" in then.description
    assert "6 september 2016" in plan.description  # written at that letter
    written = record_at(plan, letter(D(2016, 9, 6)).as_of).history_date
    assert written.astimezone(AMSTERDAM).date() == D(2016, 9, 6)


def test_the_safety_agenda_in_june_2015_uses_that_letters_words():
    agenda = Plan.objects.get(short_title="Veiligheidsagenda 2015–2018")
    then = record_at(agenda, letter(JUNE_2015).as_of)
    assert "landelijke prioriteiten" not in then.description
    assert "landelijke prioriteiten" in agenda.description  # the letter of 21 March 2016


def test_a_letters_number_and_date_are_known_from_the_letter_that_states_them():
    june_2015 = letter(JUNE_2015)
    assert record_at(june_2015, june_2015.as_of).kamerstuk == ""
    assert june_2015.kamerstuk == "31 015, nr. 112"  # stated by the letter of 21 March 2016
    results = letter(D(2016, 3, 21))
    then = record_at(results, results.as_of)
    assert then.kamerstuk == "" and then.date_is_estimated  # the letter carries no date
    assert results.kamerstuk == "31 015, nr. 121" and not results.date_is_estimated
    commitment = Commitment.objects.get(title__startswith="Waardering van het onderzoek")
    assert record_at(commitment, june_2015.as_of).kamerstuk == ""
    assert commitment.kamerstuk == "31 015, nr. 112"


@pytest.mark.parametrize(
    "title",
    [
        "Actiedagen kinderpornokoeriers op Schiphol",
        HANDBOOK,
        "Project Green Notices van Interpol",
        DONT_LOOK_AWAY,
        "Strafrechtelijke samenwerking met bronlanden van kindersekstoerisme",
        "Aanjaagteam plan van aanpak bestrijding kindersekstoerisme",
    ],
)
def test_an_owner_no_letter_names_says_so(title):
    """W8: the fixture's rule: an owner the letter does not name says so in the description."""
    assert "De brief noemt geen eigenaar" in measure(title).description


# --- the model: an estimated date is stored as such ----------------------------------------------


def test_log_progress_stores_an_estimated_date_on_the_update_and_the_status(admin_user):
    item = measure("Lidmaatschap van de Virtual Global Taskforce (VGT)")
    update = item.log_progress(
        by=admin_user,
        text="Test",
        date=D(2016, 1, 1),
        date_is_estimated=True,
        status=MeasureStatus.DELAYED,
    )
    assert update.date_is_estimated
    item.refresh_from_db()
    assert (item.status_since, item.status_since_is_estimated) == (D(2016, 1, 1), True)
    item.set_status(MeasureStatus.IN_PROGRESS, by=admin_user, on=D(2016, 2, 1))
    item.refresh_from_db()
    assert (item.status_since, item.status_since_is_estimated) == (D(2016, 2, 1), False)
