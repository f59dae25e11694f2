"""
Roles and per-object access, in one place.

Roles are Django groups managed in the admin: `coordinator` (the ministry: edits everything),
`contributor` (edits the measures its organisation owns) and `viewer` (reads). A superuser counts
as a coordinator.
"""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ObjectDoesNotExist

COORDINATOR = "coordinator"
CONTRIBUTOR = "contributor"
VIEWER = "viewer"
ROLES = (COORDINATOR, CONTRIBUTOR, VIEWER)


def _group_names(user):
    if not hasattr(user, "_tracker_groups"):
        user._tracker_groups = (
            frozenset(user.groups.values_list("name", flat=True)) if user.is_authenticated else ()
        )
    return user._tracker_groups


def is_coordinator(user):
    return bool(
        user and user.is_authenticated and (user.is_superuser or COORDINATOR in _group_names(user))
    )


def is_contributor(user):
    return bool(user and user.is_authenticated and CONTRIBUTOR in _group_names(user))


def user_organisation(user):
    """Return the organisation the user works for, or None."""
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.profile.organisation
    except ObjectDoesNotExist:
        return None


def can_see_confidential(user):
    return is_coordinator(user)


def can_edit_measure(user, measure):
    """Return True if `user` may edit `measure` and log progress on it."""
    if is_coordinator(user):
        return True
    organisation = user_organisation(user)
    return is_contributor(user) and organisation is not None and measure.owner_id == organisation.pk


def ensure_roles():
    """Create the three role groups with their model permissions; running it again changes
    nothing."""
    app_permissions = Permission.objects.filter(content_type__app_label="measures")
    coordinator, _ = Group.objects.get_or_create(name=COORDINATOR)
    coordinator.permissions.set(app_permissions)
    contributor, _ = Group.objects.get_or_create(name=CONTRIBUTOR)
    contributor.permissions.set(
        app_permissions.filter(
            codename__in=[
                "view_measure",
                "change_measure",
                "add_progressupdate",
                "view_progressupdate",
                "change_progressupdate",
            ]
        )
    )
    viewer, _ = Group.objects.get_or_create(name=VIEWER)
    viewer.permissions.set(app_permissions.filter(codename__startswith="view_"))
    return coordinator, contributor, viewer
