"""Test data with the fields every row needs filled in, so a test names only what it is about."""

import datetime

from measures.models import Measure

# Measures join the programme long before the dates the tests log progress on.
EARLY = datetime.date(2000, 1, 1)


def make_measure(*, like=None, **overrides):
    """Create a measure that joined the programme at EARLY, in the plan and theme of the measure
    `like` when given; `overrides` set any field (plan, theme, owner and title at least)."""
    fields = {"joined_on": EARLY}
    if like is not None:
        fields.update(plan=like.plan, theme=like.theme)
    fields.update(overrides)
    return Measure.objects.create(**fields)
