"""
Shared fixtures: the organisations and the named users of every role.

Alice coordinates at the ministry, Bob contributes for the police, Carol contributes for the
prosecution service (OM), Vera only reads.
"""

import os

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from measures.access import ensure_roles
from measures.models import (
    ActionLine,
    MeasureStatus,
    Organisation,
    OrganisationKind,
    Plan,
    Profile,
    Theme,
)
from tests.factories import make_measure

# Hypothesis in `make test`: the same examples on every run and no example database, so a test
# fails for the code, never for an example a previous run happened to find and keep.
# `make fuzz` (HYPOTHESIS_PROFILE=fuzz) explores: many more examples from a random seed.
# Examples share the test's database rows, hence the function-scoped-fixture health check.
_HYPOTHESIS = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
hypothesis_settings.register_profile(
    "deterministic", max_examples=25, derandomize=True, **_HYPOTHESIS
)
hypothesis_settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "200")),
    derandomize=False,
    print_blob=True,
    **_HYPOTHESIS,
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))


@pytest.fixture
def roles(db):
    return dict(zip(("coordinator", "contributor", "viewer"), ensure_roles(), strict=True))


@pytest.fixture
def ministry(db):
    return Organisation.objects.create(
        name="Ministerie van Justitie en Veiligheid",
        abbreviation="JenV",
        kind=OrganisationKind.MINISTRY,
    )


@pytest.fixture
def police(db):
    return Organisation.objects.create(
        name="Nationale Politie", abbreviation="Politie", kind=OrganisationKind.POLICE
    )


@pytest.fixture
def prosecution(db):
    return Organisation.objects.create(
        name="Openbaar Ministerie", abbreviation="OM", kind=OrganisationKind.PROSECUTION
    )


def make_user(username, group=None, organisation=None, **extra):
    user = get_user_model().objects.create_user(
        username=username, password="pw-" + username, **extra
    )
    if group is not None:
        user.groups.add(group)
    if organisation is not None:
        Profile.objects.create(user=user, organisation=organisation)
    return user


@pytest.fixture
def alice(roles, ministry):
    return make_user("alice", roles["coordinator"], ministry, first_name="Alice", is_staff=True)


@pytest.fixture
def bob(roles, police):
    return make_user("bob", roles["contributor"], police, first_name="Bob")


@pytest.fixture
def carol(roles, prosecution):
    return make_user("carol", roles["contributor"], prosecution, first_name="Carol")


@pytest.fixture
def vera(roles):
    return make_user("vera", roles["viewer"], first_name="Vera")


@pytest.fixture
def kst(db):
    return Theme.objects.create(code="kst", name="Kindersekstoerisme", order=2)


@pytest.fixture
def plan(kst, ministry):
    plan = Plan.objects.create(title="Plan van aanpak kindersekstoerisme", owner=ministry)
    plan.themes.add(kst)
    return plan


@pytest.fixture
def prevention(plan):
    return ActionLine.objects.create(plan=plan, name="Preventie", order=1)


@pytest.fixture
def measure(plan, prevention, kst, police):
    return make_measure(
        plan=plan,
        action_line=prevention,
        theme=kst,
        title="Handboek kindersekstoerisme",
        owner=police,
        status=MeasureStatus.IN_PROGRESS,
    )


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Hash test passwords cheaply; the real hasher is for real accounts."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(config, items):
    """Run `postgres_only` tests (concurrent writers) only on PostgreSQL, where .ci/run runs
    them; on SQLite they are deselected, with a note, rather than skipped."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    kept = [item for item in items if item.get_closest_marker("postgres_only") is None]
    deselected = [item for item in items if item not in kept]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept
        config.pluginmanager.get_plugin("terminalreporter").write_line(
            f"{len(deselected)} PostgreSQL-only test(s) deselected on SQLite: "
            + ", ".join(item.name for item in deselected)
        )


@pytest.fixture(scope="module")
def seeded_module(django_db_setup, django_db_blocker):
    """Load the seed letters once for a module, in a transaction rolled back afterwards."""
    import io

    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def english(client):
    """Read in English, the source strings, so the assertions hold whatever the Dutch catalogue
    says: the test client asks for English pages, and the test's own code (commands, imports,
    messages built outside a request) runs in English. A module that reads English throughout
    says `pytestmark = pytest.mark.usefixtures("english")`."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield client


@pytest.fixture(autouse=True)
def default_language():
    """Start every test in Dutch, the default, whatever language an earlier request left
    active in this thread."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield
