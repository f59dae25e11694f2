"""
The access checks views open with: a decorator for coordinator-only views, and the lookup of a
measure the user may see (and, for an edit, change).
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from ..access import can_edit_measure, is_coordinator
from ..models import Measure


def coordinator_required(message=None, *, action=None):
    """Refuse (403) a user who is not a coordinator before the view runs, saying `message` or
    "Only a coordinator can `action`." (both lazy strings, translated when refused)."""

    def decorator(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            if not is_coordinator(request.user):
                if message is not None:
                    raise PermissionDenied(str(message))
                raise PermissionDenied(
                    _("Only a coordinator can %(action)s.") % {"action": str(action)}
                )
            return view(request, *args, **kwargs)

        return checked

    return decorator


def get_measure_for_user(request, pk, *, edit=False):
    """Return the measure the user may see (404 otherwise); with `edit`, refuse (403) a user who
    may not change it."""
    measure = get_object_or_404(Measure.objects.visible_to(request.user), pk=pk)
    if edit and not can_edit_measure(request.user, measure):
        raise PermissionDenied(
            _(
                "Only a coordinator or a contributor of %(owner)s can change this measure "
                "or log progress on it."
            )
            % {"owner": measure.owner.short_name}
        )
    return measure
