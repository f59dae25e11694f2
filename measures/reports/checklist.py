"""The coordinator's checklist for the next letter: each step from progress to sending, whether it
is done, what is left and where to do it. Plain data; the dashboard renders it."""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..formatting import date_nl
from ..models import (
    Commitment,
    Indicator,
    IndicatorValue,
    Measure,
    ProgressLetter,
    ProgressUpdate,
)


@dataclass
class Link:
    text: str
    url: str
    count: int | None = None


@dataclass
class Step:
    key: str
    title: str
    done: bool
    status: str  # what stands, in a sentence
    link: Link | None = None  # where to do it; None when nothing can be done yet
    details: list[Link] = field(default_factory=list)


@dataclass
class Checklist:
    start: datetime.date
    end: datetime.date
    figures_year: int
    draft: ProgressLetter | None
    steps: list[Step]

    @property
    def next_step(self):
        """Return the first step not yet done, or None."""
        return next((step for step in self.steps if not step.done), None)


def _url(name, *args, **query):
    url = reverse(f"measures:{name}", args=args)
    return f"{url}?{urlencode(query)}" if query else url


def letter_checklist(user, today, last):
    """Return the Checklist of the next letter for `user` (a coordinator) on `today`, after
    `last` (the last sent letter, or None), counting only what `user` may read, in a fixed number
    of queries: the draft, the four counts and, for a checked draft, who checked it and up to
    four for what changed since."""
    draft = ProgressLetter.objects.drafts_since(last).select_related("checked_by").first()
    start, end = draft.period if draft else ProgressLetter.period_after(last, today)
    figures_year = end.year - 1
    return Checklist(
        start=start,
        end=end,
        figures_year=figures_year,
        draft=draft,
        steps=[
            _progress_step(user, last),
            _review_step(user),
            _commitments_step(end),
            _figures_step(figures_year),
            _draft_step(draft, start, end),
            _checked_step(draft),
            _sent_step(draft, last),
        ],
    )


def _progress_step(user, last):
    stale = (
        Measure.objects.visible_to(user).open().without_progress_since(last.date if last else None)
    )
    per_owner = list(
        stale.order_by()
        .values("owner__pk", "owner__name", "owner__abbreviation")
        .annotate(count=Count("pk"))
        .order_by("-count", "owner__name")
    )
    total = sum(row["count"] for row in per_owner)
    since = (
        _("since the last letter (%(date)s)") % {"date": date_nl(last.date)}
        if last
        else _("at all")
    )
    return Step(
        key="progress",
        title=_("Progress complete"),
        done=total == 0,
        status=(
            ngettext(
                "%(count)d open measure without progress %(since)s.",
                "%(count)d open measures without progress %(since)s.",
                total,
            )
            % {"count": total, "since": since}
            if total
            else _("Every open measure has progress %(since)s.") % {"since": since}
        ),
        link=Link(_("Measures without progress"), _url("list", stale="true"), total)
        if total
        else None,
        details=[
            Link(
                row["owner__abbreviation"] or row["owner__name"] or _("no owner"),
                _url("list", stale="true", owner=row["owner__pk"])
                if row["owner__pk"]
                else _url("list", stale="true"),
                row["count"],
            )
            for row in per_owner
        ],
    )


def _review_step(user):
    drafts = ProgressUpdate.objects.visible_to(user).drafts().count()
    return Step(
        key="review",
        title=_("Drafts reviewed"),
        done=drafts == 0,
        status=ngettext(
            "%(count)d progress update waits for approval.",
            "%(count)d progress updates wait for approval.",
            drafts,
        )
        % {"count": drafts}
        if drafts
        else _("No progress update waits for approval."),
        link=Link(_("Review queue"), _url("review"), drafts) if drafts else None,
    )


def _commitments_step(end):
    open_count = Commitment.objects.unanswered_by(end).count()
    return Step(
        key="commitments",
        title=_("Commitments answered"),
        done=open_count == 0,
        status=ngettext(
            "%(count)d commitment due by %(date)s is not answered.",
            "%(count)d commitments due by %(date)s are not answered.",
            open_count,
        )
        % {"count": open_count, "date": date_nl(end)}
        if open_count
        else _("Every commitment due by %(date)s is answered.") % {"date": date_nl(end)},
        link=Link(
            _("Open commitments"),
            _url("commitments", status="open", due_to=end.isoformat()),
            open_count,
        )
        if open_count
        else None,
    )


def _figures_step(year):
    missing = Indicator.objects.without_total_for(year).count()
    return Step(
        key="figures",
        title=_("Figures entered"),
        done=missing == 0,
        status=ngettext(
            "%(count)d indicator has no realised total for %(year)s.",
            "%(count)d indicators have no realised total for %(year)s.",
            missing,
        )
        % {"count": missing, "year": year}
        if missing
        else _("Every indicator has its realised total for %(year)s.") % {"year": year},
        link=Link(_("Indicators without figures"), _url("indicators", missing=year), missing)
        if missing
        else None,
    )


def _draft_step(draft, start, end):
    if draft is None:
        return Step(
            key="draft",
            title=_("Draft letter made"),
            done=False,
            status=_("No draft letter yet."),
            link=Link(
                _("Make the draft letter"),
                _url("letter_create", **{"from": start.isoformat(), "to": end.isoformat()}),
            ),
        )
    return Step(
        key="draft",
        title=_("Draft letter made"),
        done=True,
        status=_("“%(title)s”, dated %(date)s.")
        % {"title": draft.title, "date": date_nl(draft.date)},
        link=Link(_("Open the draft letter"), _url("letter_detail", draft.pk)),
    )


def changed_since(moment):
    """Return True when a measure, progress update, commitment or figure was recorded after
    `moment`: a draft letter checked before then may read differently now (1 to 4 queries)."""
    return any(
        model.history.filter(history_date__gt=moment).exists()
        for model in (Measure, ProgressUpdate, Commitment, IndicatorValue)
    )


def _checked_step(draft):
    title = _("Draft checked")
    if draft is None:
        return Step(key="checked", title=title, done=False, status=_("Make the draft first."))
    link = Link(_("Read and check the draft"), _url("letter_detail", draft.pk) + "#check")
    if draft.checked_at is None:
        return Step(key="checked", title=title, done=False, status=_("Not checked yet."), link=link)
    who = {
        "name": draft.checked_by.get_full_name() or draft.checked_by.get_username(),
        "date": date_nl(draft.checked_at),
    }
    if changed_since(draft.checked_at):
        return Step(
            key="checked",
            title=title,
            done=False,
            status=_("Checked by %(name)s on %(date)s, but the programme changed since.") % who,
            link=link,
        )
    return Step(
        key="checked",
        title=title,
        done=True,
        status=_("Checked by %(name)s on %(date)s.") % who,
        link=link,
    )


def _sent_step(draft, last):
    last_sent = (
        _("The last letter went out on %(date)s.") % {"date": date_nl(last.date)}
        if last
        else _("No letter has been sent yet.")
    )
    return Step(
        key="sent",
        title=_("Letter sent"),
        done=False,
        status=last_sent,
        link=Link(_("Mark as sent"), _url("letter_send", draft.pk)) if draft else None,
    )
