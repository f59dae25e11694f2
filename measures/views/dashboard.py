"""The dashboard: where the programme stands, what is late, and what changed lately."""

import datetime
from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from ..access import is_contributor, is_coordinator, user_organisation
from ..filters import NOT_STATED
from ..history.asof import measures_on, overdue_on, shown_then
from ..models import (
    Commitment,
    Measure,
    MeasureQuerySet,
    MeasureStatus,
    ProgressLetter,
    ProgressUpdate,
    UpdateState,
)
from ..reports.checklist import letter_checklist
from .as_of import AsOfRefused, as_of_control, read_as_of, with_last_progress

LIST_LENGTH = 8
CHANGES_LENGTH = 10
COMMITMENTS_HORIZON = datetime.timedelta(days=42)


def dashboard(request):
    try:
        as_of = read_as_of(request)
    except AsOfRefused as refused:
        return refused.response
    by_action_line = request.GET.get("by") == "action_line"
    if as_of:
        data = dashboard_as_of(request.user, as_of, by_action_line=by_action_line)
    else:
        data = dashboard_data(request.user, timezone.localdate(), by_action_line=by_action_line)
    return render(
        request,
        "measures/dashboard.html",
        {**data, "by_action_line": by_action_line, **as_of_control(request, as_of)},
    )


def dashboard_as_of(user, as_of, by_action_line=False):
    """Return what the dashboard showed at the end of `as_of`: the status table and the overdue
    measures as they stood then, in a fixed number of queries. Commitments and the latest changes
    are today's business and are left out."""
    records = measures_on(as_of, user=user)
    overdue = overdue_on(records, as_of.day)
    counts = MeasureQuerySet.status_counts(
        records, by_action_line=by_action_line, status="status_then"
    )
    return {
        "today": as_of.day,
        **status_section(counts, as_of=as_of),
        "overdue": shown_then(
            with_last_progress(overdue, as_of, user).order_by("due_date", "title")[:LIST_LENGTH]
        ),
        "overdue_count": overdue.count(),
    }


def status_section(counts, as_of=None):
    """Return the status table's "statuses" (its columns) and "status_rows" (each row's
    "cells" in those columns, as (count, link to the measure list filtered on the row and the
    status) pairs, and "link" for its total) from the rows of `MeasureQuerySet.status_counts`."""
    rows = status_table(counts, MeasureStatus.values)
    shown = _shown_statuses(rows)
    for row in rows:
        row["link"] = _list_url(row["filters"], as_of)
        row["cells"] = [
            (
                row["cells"][index],
                _list_url({**row["filters"], "status": value or NOT_STATED}, as_of),
            )
            for index, value, _label in shown
        ]
    return {"statuses": [(value, label) for _index, value, label in shown], "status_rows": rows}


def _list_url(filters, as_of):
    """Return the measure list's URL with `filters` (and the moment viewed, if any)."""
    query = urlencode(filters)
    if as_of:
        query = f"{query}&{as_of.query()}"
    return f"{reverse('measures:list')}?{query}"


def _shown_statuses(rows):
    """Return (index, value, label) of the statuses that get a column: "Not stated" only when
    some measure lacks a status."""
    return [
        (index, value, label)
        for index, (value, label) in enumerate(MeasureStatus.choices)
        if value or any(row["counts"][value] for row in rows)
    ]


def dashboard_data(user, today, by_action_line=False):
    """Return everything the dashboard shows, restricted to what `user` may read, in a fixed
    number of queries. The status table has a row per plan; `by_action_line` splits it per
    theme and action line."""
    visible = Measure.objects.visible_to(user)
    last_letter = ProgressLetter.objects.last_sent()
    overdue = visible.overdue(today)
    stale = visible.open().without_progress_since(last_letter.date if last_letter else None)
    return {
        "today": today,
        **to_do_section(user, stale, today),
        **status_section(visible.status_counts(by_action_line)),
        "overdue": overdue.for_list().order_by("due_date", "title")[:LIST_LENGTH],
        "overdue_count": overdue.count(),
        "last_letter": last_letter,
        "stale": stale.for_list().order_by("last_progress", "title")[:LIST_LENGTH],
        "stale_count": stale.count(),
        "commitments": Commitment.objects.open()
        .filter(due_date__lte=today + COMMITMENTS_HORIZON)
        .order_by("due_date", "pk")[:LIST_LENGTH],
        "changes": latest_changes(user),
        # For a coordinator: where the next letter stands, step by step.
        "checklist": letter_checklist(user, today, last_letter) if is_coordinator(user) else None,
    }


def stale_of_own_organisation(user, stale=None):
    """Return the open measures of a contributor's organisation without progress since the last
    sent letter (`stale`: those of the measures `user` reads, when already built), or None for
    a user who is not a contributor of an organisation."""
    organisation = user_organisation(user) if is_contributor(user) else None
    if organisation is None:
        return None
    if stale is None:
        last_letter = ProgressLetter.objects.last_sent()
        stale = (
            Measure.objects.visible_to(user)
            .open()
            .without_progress_since(last_letter.date if last_letter else None)
        )
    return stale.filter(owner_id=organisation.pk)


def to_do_section(user, stale, today):
    """Return a contributor's "For you to do": their organisation's measures still waiting for
    progress, their own updates that are drafts or were sent back, and the open commitments
    linked to their organisation's measures falling due; nothing for other users."""
    own_stale = stale_of_own_organisation(user, stale)
    if own_stale is None:
        return {"to_do": None}
    updates = (
        ProgressUpdate.objects.visible_to(user)
        .filter(author=user, state__in=(UpdateState.DRAFT, UpdateState.RETURNED))
        .select_related("measure")
        .order_by("-state", "-date", "-pk")  # sent back ("returned") before drafts
    )
    organisation = user_organisation(user)
    return {
        "to_do": {
            "organisation": organisation,
            "measures": own_stale.order_by("title", "pk")[:LIST_LENGTH],
            "measures_count": own_stale.count(),
            "updates": updates[:LIST_LENGTH],
            "commitments": Commitment.objects.open()
            .for_organisation(organisation, user)
            .filter(due_date__lte=today + COMMITMENTS_HORIZON)
            .order_by("due_date", "pk")[:LIST_LENGTH],
        }
    }


def status_table(counts, statuses):
    """Return one row per plan (or per theme, plan and action line) with the number of
    measures per status, from the rows of `MeasureQuerySet.status_counts`."""
    rows = {}
    for item in counts:
        key = (item.get("theme__pk"), item["plan__pk"], item.get("action_line__pk"))
        filters = {"plan": key[1]} if key[1] is not None else {}
        if key[0] is not None:
            filters["theme"] = key[0]
        if key[2] is not None:
            filters["action_line"] = key[2]
        row = rows.setdefault(
            key,
            {
                "filters": filters,
                "theme": item.get("theme__name"),
                "plan": item["plan__short_title"] or item["plan__title"],
                "action_line": item.get("action_line__name"),
                "counts": dict.fromkeys(statuses, 0),
                "total": 0,
            },
        )
        row["counts"][item["counted_status"]] += item["count"]
        row["total"] += item["count"]
    for row in rows.values():
        row["cells"] = [row["counts"][status] for status in statuses]
    return list(rows.values())


def latest_changes(user):
    """Return the latest history records of measures and progress updates, newest first.

    The few records the user may not see are excluded (rather than the many visible ones
    included), so the newest-first scan runs on the history date index.
    """
    measure_records = Measure.history.all().visible_to(user)
    update_records = ProgressUpdate.history.all().visible_to(user)
    measure_records = measure_records.select_related("history_user").order_by(
        "-history_date", "-history_id"
    )[:CHANGES_LENGTH]
    update_records = update_records.select_related("history_user", "measure").order_by(
        "-history_date", "-history_id"
    )[:CHANGES_LENGTH]
    changes = [
        {
            "record": record,
            "kind": "measure",
            "measure_id": record.id,
            "title": f"{record.code} {record.title}".strip(),
        }
        for record in measure_records
    ] + [
        {
            "record": record,
            "kind": "update",
            "measure_id": record.measure_id,
            "title": str(record.measure) if record.measure else "",
        }
        for record in update_records
    ]
    changes.sort(key=lambda change: change["record"].history_date, reverse=True)
    return changes[:CHANGES_LENGTH]
