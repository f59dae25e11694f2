"""The published demo accounts never log in under production settings, and the deployment check
fails while one exists."""

import secrets

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from measures.demo import DEMO_PASSWORD, DEMO_USERNAMES
from measures.management.commands.create_demo_users import DEMO_USERS

from .test_security import manage

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_viewer(roles):
    return get_user_model().objects.create_user(username="viewer", password=DEMO_PASSWORD)


def login(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_the_demo_command_and_the_rule_name_the_same_accounts():
    assert tuple(DEMO_USERS) == DEMO_USERNAMES


def test_a_demo_account_cannot_log_in_under_production_settings(client, demo_viewer, settings):
    settings.DEBUG = False
    response = login(client, "viewer", DEMO_PASSWORD)
    assert response.status_code == 200  # the login form again, with its error
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302


def test_any_account_with_the_demo_password_is_refused_under_production(client, roles, settings):
    settings.DEBUG = False
    get_user_model().objects.create_user(username="padmin", password=DEMO_PASSWORD)
    login(client, "padmin", DEMO_PASSWORD)
    assert "_auth_user_id" not in client.session


def test_a_demo_account_logs_in_during_development(client, demo_viewer, settings):
    settings.DEBUG = True
    response = login(client, "viewer", DEMO_PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(demo_viewer.pk)


def test_the_admin_login_refuses_the_demo_password_too(client, roles, settings):
    settings.DEBUG = False
    get_user_model().objects.create_superuser(username="admin", password=DEMO_PASSWORD)
    client.post("/admin/login/", {"username": "admin", "password": DEMO_PASSWORD})
    assert "_auth_user_id" not in client.session


def test_the_deployment_check_fails_while_a_demo_account_exists(demo_viewer):
    with pytest.raises(SystemCheckError) as raised:
        call_command("check", "--deploy", "--tag", "security", "--fail-level", "ERROR")
    assert "tracker.E001" in str(raised.value) and "viewer" in str(raised.value)


def test_the_deployment_check_passes_once_the_demo_password_is_changed(demo_viewer):
    demo_viewer.set_password("a-real-long-password-7431")
    demo_viewer.save()
    call_command(
        "check", "--deploy", "--tag", "security", "--fail-level", "ERROR"
    )  # raises on an error


def test_check_deploy_fails_under_production_settings_while_a_demo_account_exists(tmp_path):
    production = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "tracker.example.nl",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'seeded.sqlite3'}",
    }
    manage("migrate", "--noinput", "-v", "0", **production)
    manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        f"User.objects.create_user('coordinator', password={DEMO_PASSWORD!r})",
        **production,
    )
    result = manage("check", "--deploy", **production)
    assert result.returncode != 0
    assert "tracker.E001" in result.stderr and "coordinator" in result.stderr
