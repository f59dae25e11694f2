"""Reminders before the next letter: who gets what (measures/reports/reminders.py) and the command
that mails it (send_reminders)."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from measures.models import Measure, MeasureStatus
from measures.reports.reminders import build_reminders
from tests.commitment_data import letter_2015, open_commitment
from tests.factories import EARLY, make_measure

LETTER_DATE = datetime.date(2015, 12, 1)
TODAY = datetime.date(2015, 11, 1)


@pytest.fixture
def programme(alice, bob, carol, vera, measure, plan, prevention, kst, police, prosecution):
    """Since the letter of 1 June 2015: one police measure has progress, one has none; one OM
    measure has none, one is completed. Commitments: one overdue (police), one due before the
    letter (OM), one due after the letter, one already answered."""
    letter_2015()
    measure.log_progress(by=bob, text="Handboek verspreid", date=datetime.date(2015, 7, 1))

    def make(title, owner, **extra):
        return Measure.objects.create(
            joined_on=EARLY,
            plan=plan,
            action_line=prevention,
            theme=kst,
            title=title,
            owner=owner,
            **extra,
        )

    stale_police = make("Tweede FILO in Bangkok", police, status=MeasureStatus.IN_PROGRESS)
    stale_police.log_progress(by=bob, text="Voorbereiding", date=datetime.date(2015, 5, 1))
    stale_om = make("Expertisecentrum kinderporno", prosecution, status=MeasureStatus.DELAYED)
    make("Campagne Don't Look Away", prosecution, status=MeasureStatus.COMPLETED)
    overdue = open_commitment("T-1", datetime.date(2015, 9, 1), title="Strafmaat")
    overdue.measures.add(stale_police)
    due = open_commitment("T-2", datetime.date(2015, 11, 15), title="Expertisecentrum")
    due.measures.add(stale_om)
    later = open_commitment("T-3", datetime.date(2016, 3, 1), title="Na de brief")
    later.measures.add(stale_police, stale_om)
    answered = open_commitment("T-4", datetime.date(2015, 8, 1), title="Beantwoord")
    answered.measures.add(stale_police)
    answered.fulfil(by=alice, on=datetime.date(2015, 7, 1))
    for user, email in ((alice, "alice@minjenv.nl"), (bob, "bob@politie.nl")):
        user.email = email
        user.save()
    return {
        "stale_police": stale_police,
        "stale_om": stale_om,
        "overdue": overdue,
        "due": due,
    }


def by_user(reminders):
    return {item.user.username: item for item in reminders.contributors + reminders.coordinators}


def test_a_police_contributor_gets_only_police_measures(programme):
    reminder = by_user(build_reminders(LETTER_DATE, today=TODAY))["bob"]
    assert reminder.organisation.abbreviation == "Politie"
    assert reminder.measures == [programme["stale_police"]]
    assert reminder.commitments == [programme["overdue"]]


def test_an_om_contributor_gets_only_om_measures(programme):
    reminder = by_user(build_reminders(LETTER_DATE, today=TODAY))["carol"]
    assert reminder.measures == [programme["stale_om"]]
    assert reminder.commitments == [programme["due"]]


def test_viewers_get_nothing(programme):
    assert "vera" not in by_user(build_reminders(LETTER_DATE, today=TODAY))


def test_the_coordinator_digest_has_everything_by_organisation(programme):
    reminders = build_reminders(LETTER_DATE, today=TODAY)
    digest = by_user(reminders)["alice"]
    assert reminders.since == datetime.date(2015, 6, 1)
    assert [(org.abbreviation, ms) for org, ms in digest.measures_by_organisation] == [
        ("Politie", [programme["stale_police"]]),
        ("OM", [programme["stale_om"]]),
    ]
    assert digest.overdue == [programme["overdue"]]
    assert digest.due == [programme["due"]]


def test_without_a_sent_letter_every_measure_without_progress_counts(
    db, bob, plan, prevention, kst, police
):
    measure = make_measure(
        plan=plan, action_line=prevention, theme=kst, title="Nieuw", owner=police
    )
    reminders = build_reminders(LETTER_DATE, today=TODAY)
    assert reminders.last_letter is None
    assert by_user(reminders)["bob"].measures == [measure]


@pytest.mark.parametrize("count", [3, 30])
def test_its_query_count_does_not_grow_with_the_measures(
    programme, plan, prevention, kst, police, count, django_assert_num_queries
):
    for number in range(count):
        extra = make_measure(
            plan=plan, action_line=prevention, theme=kst, title=f"Maatregel {number}", owner=police
        )
        open_commitment(f"X-{number}", datetime.date(2015, 10, 1)).measures.add(extra)
    # 1 last sent letter, 2 stale measures with owner and plan, 3 commitments due,
    # 4 their measures, 5 contributors with profile and organisation, 6 coordinators.
    with django_assert_num_queries(6):
        reminders = build_reminders(LETTER_DATE, today=TODAY)
    assert len(by_user(reminders)["bob"].measures) == count + 1


# --- The command -------------------------------------------------------------------------------


def test_the_command_mails_each_contributor_and_coordinator(programme, mailoutbox, capsys):
    call_command("send_reminders", "--letter-date", "2015-12-01")
    assert sorted(message.to[0] for message in mailoutbox) == [
        "alice@minjenv.nl",
        "bob@politie.nl",
    ]
    to_bob = next(message for message in mailoutbox if message.to == ["bob@politie.nl"])
    assert "Tweede FILO in Bangkok" in to_bob.body
    assert "Expertisecentrum kinderporno" not in to_bob.body
    assert "1 december 2015" in to_bob.subject
    to_alice = next(message for message in mailoutbox if message.to == ["alice@minjenv.nl"])
    assert "Tweede FILO in Bangkok" in to_alice.body
    assert "Expertisecentrum kinderporno" in to_alice.body
    output = capsys.readouterr()
    assert "carol" in output.err and "no e-mail address" in output.err
    assert "2 reminder(s) sent" in output.out


def test_a_dry_run_sends_nothing_and_says_who_would_get_what(programme, mailoutbox, capsys):
    call_command("send_reminders", "--dry-run", "--letter-date", "2015-12-01")
    assert mailoutbox == []
    output = capsys.readouterr()
    assert "[dry run] would send to bob@politie.nl: 1 measure(s) of Politie" in output.out
    assert "[dry run] would send to alice@minjenv.nl: digest" in output.out
    assert "carol" in output.err


def test_a_bad_date_is_refused(db, mailoutbox):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--letter-date", "1-12-2015")
    assert mailoutbox == []


def test_without_a_planned_letter_nothing_is_sent(programme, mailoutbox, capsys):
    call_command("send_reminders")
    assert mailoutbox == []
    assert "No draft letter is planned" in capsys.readouterr().out


@pytest.mark.parametrize("count", [3, 30])
def test_the_commands_query_count_does_not_grow_with_the_measures(
    programme, plan, prevention, kst, police, count, django_assert_num_queries, mailoutbox
):
    for number in range(count):
        make_measure(
            plan=plan, action_line=prevention, theme=kst, title=f"Maatregel {number}", owner=police
        )
    call_command("send_reminders", "--dry-run", "--letter-date", "2015-12-01")  # system account
    # 1 the system account (TrackerCommand), then the six of build_reminders: 2 last sent
    # letter, 3 stale measures, 4 commitments due, 5 their measures, 6 contributors,
    # 7 coordinators. Rendering the mails needs nothing more.
    with django_assert_num_queries(7):
        call_command("send_reminders", "--letter-date", "2015-12-01")
    assert len(mailoutbox) == 2
    assert f"Maatregel {count - 1}" in mailoutbox[0].body + mailoutbox[1].body
