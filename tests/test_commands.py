"""make seed's commands: idempotent, and no demo users under production settings."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError

from measures.models import Profile


def test_demo_users_are_created_with_their_roles(settings, db):
    settings.DEBUG = True
    call_command("seed")
    call_command("create_demo_users")
    users = {u.username: u for u in get_user_model().objects.all()}
    assert users["admin"].is_superuser
    assert users["coordinator"].groups.filter(name="coordinator").exists()
    assert users["contributor"].groups.filter(name="contributor").exists()
    assert users["contributor"].profile.organisation.abbreviation == "Politie"
    assert users["viewer"].groups.filter(name="viewer").exists()
    assert users["viewer"].check_password("tracker-demo")


def test_running_the_seed_twice_changes_nothing(settings, db):
    settings.DEBUG = True
    call_command("seed")
    call_command("create_demo_users")
    counts = (
        get_user_model().objects.count(),
        Group.objects.count(),
        Profile.objects.count(),
        Profile.history.count(),
    )
    call_command("seed")
    call_command("create_demo_users")
    assert counts == (
        get_user_model().objects.count(),
        Group.objects.count(),
        Profile.objects.count(),
        Profile.history.count(),
    )


def test_no_demo_users_under_production_settings(settings, db):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only created with DJANGO_DEBUG=1"):
        call_command("create_demo_users")
    assert not get_user_model().objects.filter(username="admin").exists()
