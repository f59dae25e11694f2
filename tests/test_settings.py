"""Settings come from the environment; a bad value stops the start-up with a clear message."""

import os
import subprocess
import sys

import pytest
from django.conf import settings


def start(**env):
    """Load the settings in a fresh interpreter with `env` and return the result."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE"))}
    environment.update(env)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; "
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'tracker.settings'); django.setup()",
        ],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_production_without_a_secret_key_refuses_to_start():
    result = start(DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("value", ["maybe", "2", "ja"])
def test_a_bad_debug_value_refuses_to_start(value):
    result = start(DJANGO_DEBUG=value)
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be 0 or 1" in result.stderr


def test_an_unsupported_database_refuses_to_start():
    result = start(DJANGO_DEBUG="1", DATABASE_URL="mysql://root@localhost/tracker")
    assert result.returncode != 0
    assert "DATABASE_URL must start with sqlite:/// or postgres://" in result.stderr


def test_a_bad_whole_number_refuses_to_start():
    result = start(DJANGO_DEBUG="1", DJANGO_CONN_MAX_AGE="lang")
    assert result.returncode != 0
    assert "DJANGO_CONN_MAX_AGE must be a whole number" in result.stderr


def test_development_starts_with_defaults():
    result = start(DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_the_time_zone_and_languages():
    assert settings.TIME_ZONE == "Europe/Amsterdam"
    assert settings.LANGUAGE_CODE == "nl"
    assert [code for code, _ in settings.LANGUAGES] == ["nl", "en"]
