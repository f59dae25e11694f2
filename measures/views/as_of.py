"""Reading `?as_of=` / `?letter=` for the dashboard, the list and the measure page."""

from django.db.models import OuterRef, Subquery
from django.shortcuts import render

from ..history.asof import InvalidAsOf, parse_as_of, progress_on
from ..models import MeasureStatus, ProgressLetter


class AsOfRefused(Exception):
    """The moment asked for cannot be read; `response` is the 400 page that says why."""

    def __init__(self, response):
        self.response = response


def read_as_of(request):
    """Return the AsOf of the request (None for today); raise AsOfRefused with a 400 page that
    names the problem and offers the control again."""
    try:
        return parse_as_of(request)
    except InvalidAsOf as error:
        context = {"error": error.messages[0], **as_of_control(request, None)}
        raise AsOfRefused(
            render(request, "measures/as_of_invalid.html", context, status=400)
        ) from None


def as_of_control(request, as_of):
    """Return the context of the "View as of" control: the sent letters (one query)."""
    return {
        "as_of": as_of,
        "as_of_letters": ProgressLetter.objects.sent().order_by("-date", "-pk"),
        "as_of_path": request.path,
        # The templates compare a record's status with these (`shown_then` sets the day's).
        "closed_statuses": MeasureStatus.closed(),
    }


def with_last_progress(records, as_of, user):
    """Annotate measure records (`asof.measures_on`) with the date of their latest progress
    up to that day, as known then."""
    latest = progress_on(as_of, user=user).filter(measure_id=OuterRef("id"))
    return records.annotate(last_progress=Subquery(latest.values("date")[:1]))
