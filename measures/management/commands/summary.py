"""Write the progress summary of a period as Markdown, Word, PDF or HTML."""

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from measures.models import Theme
from measures.reports.renderers.docx import render_docx
from measures.reports.renderers.markdown import render_markdown
from measures.reports.renderers.pdf import render_pdf, render_pdf_html
from measures.reports.summary import build_summary

RENDERERS = {"md": render_markdown, "docx": render_docx, "pdf": render_pdf, "html": render_pdf_html}


def parse_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date; write it as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "Write the summary of a period (the draft of the next progress letter)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="First day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="Last day, YYYY-MM-DD")
        parser.add_argument("--format", choices=sorted(RENDERERS), default="md")
        parser.add_argument("--output", help="File to write (default: standard output)")
        parser.add_argument("--theme", help="Only this theme (its code, e.g. kst)")
        parser.add_argument(
            "--include-internal",
            action="store_true",
            help="Include internal measures and updates (confidential ones only with --user "
            "of someone who may see them). Not for the letter.",
        )
        parser.add_argument("--user", help="Read as this user (their access applies)")

    def handle(self, *args, **options):
        start, end = parse_date(options["start"]), parse_date(options["end"])
        if start > end:
            raise CommandError("The period must end on or after its first day (--from ≤ --to).")
        theme = None
        if options["theme"]:
            theme = Theme.objects.filter(code=options["theme"]).first()
            if theme is None:
                codes = ", ".join(Theme.objects.values_list("code", flat=True)) or "none"
                raise CommandError(f"No theme {options['theme']!r}; known codes: {codes}.")
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"No user named {options['user']!r}.")
        with translation.override("nl"):
            summary = build_summary(
                start,
                end,
                theme=theme,
                include_internal=options["include_internal"],
                user=user,
            )
            content = RENDERERS[options["format"]](summary)
        if isinstance(content, str):
            content = content.encode("utf-8")
        if options["output"]:
            try:
                with open(options["output"], "wb") as handle:
                    handle.write(content)
            except OSError as error:
                raise CommandError(f"Cannot write {options['output']}: {error.strerror}.") from None
            self.stderr.write(f"Wrote {options['output']} ({len(content)} bytes).")
        else:
            self.stdout.flush()
            stream = getattr(self.stdout._out, "buffer", None)
            if stream is None:
                self.stdout.write(content.decode("utf-8", "replace"), ending="")
            else:
                stream.write(content)
                stream.flush()
