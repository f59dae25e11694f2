"""Send each contributor and coordinator what needs attention before the next letter."""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.management.base import CommandError
from django.template.loader import render_to_string
from django.utils import timezone, translation

from measures.management.base import TrackerCommand
from measures.models import LetterStatus, ProgressLetter
from measures.reports.reminders import build_reminders


class Command(TrackerCommand):
    help = (
        "E-mail contributors the measures of their organisation without progress since the last "
        "letter and the commitments due, and coordinators a digest of all of it. The letter date "
        "defaults to the next draft letter's."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--letter-date", help="Date of the coming letter, YYYY-MM-DD (default: next draft)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Show who would get what; send nothing."
        )

    def handle(self, *args, letter_date=None, dry_run=False, **options):
        letter_date = self.letter_date(letter_date)
        if letter_date is None:
            self.stdout.write("No draft letter is planned; nothing sent. Give --letter-date.")
            return
        with translation.override(settings.LANGUAGE_CODE):
            messages, skipped = self.compose(build_reminders(letter_date))
        prefix = "[dry run] would send" if dry_run else "Sending"
        for message, summary in messages:
            self.stdout.write(f"{prefix} to {message.to[0]}: {summary}")
        for line in skipped:
            self.stderr.write(line)
        if dry_run:
            self.stdout.write(f"Dry run: {len(messages)} message(s) composed, none sent.")
            return
        sent = get_connection().send_messages([message for message, _summary in messages]) or 0
        self.stdout.write(f"{sent} reminder(s) sent for the letter of {letter_date:%Y-%m-%d}.")

    def letter_date(self, text):
        if text:
            try:
                return datetime.date.fromisoformat(text)
            except ValueError:
                raise CommandError(
                    f"--letter-date must be a date as YYYY-MM-DD, not {text!r}; nothing sent."
                ) from None
        today = timezone.localdate()
        letter = (
            ProgressLetter.objects.filter(status=LetterStatus.DRAFT, date__gte=today)
            .order_by("date")
            .first()
        )
        return letter.date if letter else None

    def compose(self, reminders):
        """Return ([(message, summary)], [lines about users who get nothing and why])."""
        messages, skipped = [], []
        recipients = [
            ("emails/reminder_contributor", reminder, "contributor")
            for reminder in reminders.contributors
        ] + [
            ("emails/reminder_coordinator", digest, "coordinator")
            for digest in reminders.coordinators
        ]
        for template, reminder, role in recipients:
            user = reminder.user
            if reminder.is_empty:
                self.stdout.write(f"Nothing to remind {user.get_username()} ({role}) of.")
                continue
            if not user.email:
                skipped.append(
                    f"NOT SENT: {user.get_username()} ({role}) has no e-mail address; "
                    "add one in the admin."
                )
                continue
            context = {"reminder": reminder, "reminders": reminders, "user": user}
            subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
            body = render_to_string(f"{template}.txt", context)
            summary = self.summarise(reminder, role)
            messages.append(
                (EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]), summary)
            )
        return messages, skipped

    def summarise(self, reminder, role):
        if role == "contributor":
            return (
                f"{len(reminder.measures)} measure(s) of {reminder.organisation.short_name}, "
                f"{len(reminder.commitments)} commitment(s) due"
            )
        measures = sum(len(group) for _org, group in reminder.measures_by_organisation)
        return (
            f"digest: {measures} measure(s) in {len(reminder.measures_by_organisation)} "
            f"organisation(s), {len(reminder.overdue)} overdue and {len(reminder.due)} "
            "due commitment(s)"
        )
