"""Walk every URL the tracker serves and check who gets what.

Anonymous visitors never see data: every route but the few public ones (login, language switch,
the accessibility statement, static files) sends them to the login page, for GET and for POST alike.
"""

import datetime
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import make_measure

PUBLIC = {
    "login",
    "set_language",
    "measures:accessibility",  # the statement holds no data and is read before logging in
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "logout",
    "admin:login",
    "admin:logout",
}


def walk(patterns, prefix="", namespace=""):
    """Yield (name, route) for every URL pattern, with the parameters filled in."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            yield from walk(pattern.url_patterns, route, ns)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name or route, route


def concrete(route):
    """Turn a route (path or regex) into a URL with sample values for its parameters."""
    url = re.sub(r"<(?:int|str|slug|path):\w+>", "1", route)
    url = re.sub(r"<\w+>", "1", url)
    url = url.lstrip("^").rstrip("$").replace("\\", "")
    url = re.sub(r"\(\?P<\w+>[^)]*\)", "1", url)
    url = re.sub(r"[()?*+|\[\]]", "", url)
    return "/" + url


ROUTES = sorted(set(walk(get_resolver().url_patterns)))
PRIVATE = [(name, route) for name, route in ROUTES if name not in PUBLIC]


def test_the_walk_finds_the_routes():
    names = {name for name, _ in ROUTES}
    assert "login" in names and "admin:index" in names


def test_the_public_routes_are_only_the_login_and_language_ones():
    public = {name for name, _ in ROUTES} - {name for name, _ in PRIVATE}
    assert public == PUBLIC


@pytest.mark.parametrize(("name", "route"), PRIVATE, ids=[n for n, _ in PRIVATE])
def test_anonymous_visitors_see_no_data(client, db, name, route):
    url = concrete(route)
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code in (301, 302), (
            f"{method.__name__.upper()} {url}: {response.status_code}"
        )
        assert "login" in response["Location"], f"{url} redirects to {response['Location']}"


# --- Every route for every role -----------------------------------------------------------------
#
# Roles: viewer (Vera), contributor of another organisation (Carol, OM), contributor of the owning
# organisation (Bob, police), coordinator (Alice). "ok" means allowed (any answer below 400, or a
# form that comes back with its errors), a number is the exact refusal.

VIEWER, OTHER, OWNER, COORDINATOR = "vera", "carol", "bob", "alice"
ROLES = (VIEWER, OTHER, OWNER, COORDINATOR)
EVERYONE = dict.fromkeys(ROLES, "ok")
COORDINATOR_ONLY = {VIEWER: 403, OTHER: 403, OWNER: 403, COORDINATOR: "ok"}
OWNER_AND_COORDINATOR = {VIEWER: 403, OTHER: 403, OWNER: "ok", COORDINATOR: "ok"}
HIDDEN_FROM_OTHERS = {VIEWER: 404, OTHER: 404, OWNER: "ok", COORDINATOR: "ok"}
NOT_ALLOWED = dict.fromkeys(ROLES, 405)
# A coordinator's import token that does not exist (or is not hers) is not found.
NO_SUCH_UPLOAD = {VIEWER: 403, OTHER: 403, OWNER: 403, COORDINATOR: 404}


@pytest.fixture
def world(alice, bob, carol, vera, measure, police, kst):
    """One of everything the routes show, owned by the police."""

    from measures.models import (
        Commitment,
        Document,
        DocumentKind,
        Indicator,
        IndicatorValue,
        MeasureEvent,
        MeasureLink,
        MeasureLinkKind,
        ProgressLetter,
        StoredFile,
        Visibility,
    )

    secret = make_measure(
        plan=measure.plan,
        theme=kst,
        owner=police,
        title="Vertrouwelijke maatregel",
        visibility=Visibility.CONFIDENTIAL,
    )
    update = measure.log_progress(by=bob, text="Concept van de politie")
    commitment = Commitment.objects.create(
        title="Toezegging", text="Iets", due_date=datetime.date(2030, 1, 1)
    )
    indicator = Indicator.objects.create(name="Interventies", theme=kst)
    value = IndicatorValue.objects.create(indicator=indicator, year=2015, target=600, realised=842)
    letter = ProgressLetter.objects.create(date=datetime.date(2015, 6, 1), title="Voortgangsbrief")
    stored = StoredFile.objects.create(
        name="rapport.pdf", content_type="application/pdf", size=9, sha256="0", data=b"%PDF-1.4\n"
    )
    document = Document(
        kind=DocumentKind.RESEARCH, title="Rapport", date=datetime.date(2015, 1, 1), file=stored
    ).save_with_links(by=alice, links={"measure": [measure, secret]})
    event = MeasureEvent(measure=measure, date=datetime.date(2015, 1, 1), text="Aangesteld")
    event.save_change(by=alice)
    link = MeasureLink(source=measure, target=secret, kind=MeasureLinkKind.CONTINUES)
    link.record(by=alice)
    return {
        "measure_link": link,
        "document": document,
        "event": event,
        "measure": measure,
        "secret": secret,
        "update": update,
        "version": measure.history.earliest().history_id,
        "commitment": commitment,
        "indicator": indicator,
        "value": value,
        "letter": letter,
        "plan": measure.plan,
        "theme": kst,
        "organisation": police,
    }


def cases(w):
    """(method, URL, expectations) for every route of the tracker."""
    m, s = w["measure"].pk, w["secret"].pk
    return {
        "measures:dashboard": [("get", "/", EVERYONE)],
        "measures:list": [("get", "/measures/", EVERYONE)],
        "measures:measure_export": [("get", "/measures/export.csv", EVERYONE)],
        "measures:import": [
            ("get", "/measures/import/", COORDINATOR_ONLY),
            ("post", "/measures/import/", COORDINATOR_ONLY),
        ],
        "measures:import_preview": [
            ("get", "/measures/import/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/", NO_SUCH_UPLOAD)
        ],
        "measures:import_confirm": [
            (
                "get",
                "/measures/import/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/confirm/",
                NOT_ALLOWED,
            ),
            (
                "post",
                "/measures/import/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/confirm/",
                NO_SUCH_UPLOAD,
            ),
        ],
        "measures:import_cancel": [
            (
                "get",
                "/measures/import/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/cancel/",
                NOT_ALLOWED,
            ),
            (
                "post",
                "/measures/import/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/cancel/",
                NO_SUCH_UPLOAD,
            ),
        ],
        "measures:detail": [
            ("get", f"/measures/{m}/", EVERYONE),
            ("get", f"/measures/{s}/", HIDDEN_FROM_OTHERS),
        ],
        "measures:history": [
            ("get", f"/measures/{m}/history/", EVERYONE),
            ("get", f"/measures/{s}/history/", HIDDEN_FROM_OTHERS),
        ],
        "measures:edit": [
            ("get", f"/measures/{m}/edit/", OWNER_AND_COORDINATOR),
            ("post", f"/measures/{m}/edit/", OWNER_AND_COORDINATOR),
            ("get", f"/measures/{s}/edit/", HIDDEN_FROM_OTHERS),
        ],
        "measures:log_progress": [
            ("get", f"/measures/{m}/progress/", OWNER_AND_COORDINATOR),
            ("post", f"/measures/{m}/progress/", OWNER_AND_COORDINATOR),
            ("post", f"/measures/{s}/progress/", HIDDEN_FROM_OTHERS),
        ],
        "measures:create": [
            ("get", "/measures/new/", COORDINATOR_ONLY),
            ("post", "/measures/new/", COORDINATOR_ONLY),
        ],
        "measures:bulk_change": [
            ("get", "/measures/bulk/", NOT_ALLOWED),
            ("post", "/measures/bulk/", COORDINATOR_ONLY),
        ],
        "measures:approve_update": [
            ("get", f"/updates/{w['update'].pk}/approve/", NOT_ALLOWED),
            ("post", f"/updates/{w['update'].pk}/approve/", COORDINATOR_ONLY),
        ],
        "measures:review": [("get", "/review/", COORDINATOR_ONLY)],
        "measures:review_approve": [
            ("get", "/review/approve/", NOT_ALLOWED),
            ("post", "/review/approve/", COORDINATOR_ONLY),
        ],
        "measures:review_send_back": [
            ("get", f"/review/{w['update'].pk}/send-back/", COORDINATOR_ONLY),
            ("post", f"/review/{w['update'].pk}/send-back/", COORDINATOR_ONLY),
        ],
        "measures:revert": [
            ("get", f"/measures/{m}/history/{w['version']}/revert/", COORDINATOR_ONLY),
            ("post", f"/measures/{m}/history/{w['version']}/revert/", COORDINATOR_ONLY),
        ],
        "measures:changes": [("get", "/changes/", EVERYONE)],
        "measures:compare": [("get", "/compare/", EVERYONE)],
        "measures:accessibility": [("get", "/accessibility/", EVERYONE)],
        "measures:commitments": [("get", "/commitments/", EVERYONE)],
        "measures:commitment_detail": [("get", f"/commitments/{w['commitment'].pk}/", EVERYONE)],
        "measures:commitment_fulfil": [
            ("get", f"/commitments/{w['commitment'].pk}/fulfil/", COORDINATOR_ONLY),
            ("post", f"/commitments/{w['commitment'].pk}/fulfil/", COORDINATOR_ONLY),
        ],
        "measures:indicators": [("get", "/indicators/", EVERYONE)],
        "measures:indicator_detail": [("get", f"/indicators/{w['indicator'].pk}/", EVERYONE)],
        "measures:indicator_value_create": [
            ("get", f"/indicators/{w['indicator'].pk}/values/new/", COORDINATOR_ONLY),
            ("post", f"/indicators/{w['indicator'].pk}/values/new/", COORDINATOR_ONLY),
        ],
        "measures:indicator_value_edit": [
            ("get", f"/indicators/values/{w['value'].pk}/edit/", COORDINATOR_ONLY),
            ("post", f"/indicators/values/{w['value'].pk}/edit/", COORDINATOR_ONLY),
        ],
        "measures:indicator_create": [
            ("get", "/indicators/new/", COORDINATOR_ONLY),
            ("post", "/indicators/new/", COORDINATOR_ONLY),
        ],
        "measures:indicator_edit": [
            ("get", f"/indicators/{w['indicator'].pk}/edit/", COORDINATOR_ONLY),
            ("post", f"/indicators/{w['indicator'].pk}/edit/", COORDINATOR_ONLY),
        ],
        "measures:indicator_figures": [
            ("get", f"/indicators/{w['indicator'].pk}/figures/", COORDINATOR_ONLY),
            ("post", f"/indicators/{w['indicator'].pk}/figures/", COORDINATOR_ONLY),
        ],
        "measures:plans": [("get", "/plans/", EVERYONE)],
        "measures:plan_create": [
            ("get", "/plans/new/", COORDINATOR_ONLY),
            ("post", "/plans/new/", COORDINATOR_ONLY),
        ],
        "measures:plan_edit": [
            ("get", f"/plans/{w['plan'].pk}/edit/", COORDINATOR_ONLY),
            ("post", f"/plans/{w['plan'].pk}/edit/", COORDINATOR_ONLY),
        ],
        "measures:setup": [("get", "/setup/", COORDINATOR_ONLY)],
        "measures:theme_create": [
            ("get", "/setup/themes/new/", COORDINATOR_ONLY),
            ("post", "/setup/themes/new/", COORDINATOR_ONLY),
        ],
        "measures:theme_edit": [
            ("get", f"/setup/themes/{w['theme'].pk}/edit/", COORDINATOR_ONLY),
            ("post", f"/setup/themes/{w['theme'].pk}/edit/", COORDINATOR_ONLY),
        ],
        "measures:organisation_create": [
            ("get", "/setup/organisations/new/", COORDINATOR_ONLY),
            ("post", "/setup/organisations/new/", COORDINATOR_ONLY),
        ],
        "measures:organisation_edit": [
            ("get", f"/setup/organisations/{w['organisation'].pk}/edit/", COORDINATOR_ONLY),
            ("post", f"/setup/organisations/{w['organisation'].pk}/edit/", COORDINATOR_ONLY),
        ],
        "measures:documents": [("get", "/documents/", EVERYONE)],
        "measures:document_detail": [("get", f"/documents/{w['document'].pk}/", EVERYONE)],
        "measures:document_file": [("get", f"/documents/{w['document'].pk}/file/", EVERYONE)],
        "measures:document_create": [
            ("get", "/documents/new/", COORDINATOR_ONLY),
            ("post", "/documents/new/", COORDINATOR_ONLY),
        ],
        "measures:document_edit": [
            ("get", f"/documents/{w['document'].pk}/edit/", COORDINATOR_ONLY),
            ("post", f"/documents/{w['document'].pk}/edit/", COORDINATOR_ONLY),
        ],
        "measures:event_create": [
            ("get", f"/measures/{m}/events/new/", OWNER_AND_COORDINATOR),
            ("post", f"/measures/{m}/events/new/", OWNER_AND_COORDINATOR),
            ("get", f"/measures/{s}/events/new/", HIDDEN_FROM_OTHERS),
        ],
        "measures:event_edit": [
            ("get", f"/measures/{m}/events/{w['event'].pk}/edit/", OWNER_AND_COORDINATOR),
            ("post", f"/measures/{m}/events/{w['event'].pk}/edit/", OWNER_AND_COORDINATOR),
        ],
        "measures:measure_link_create": [
            ("get", f"/measures/{m}/links/new/", OWNER_AND_COORDINATOR),
            ("post", f"/measures/{m}/links/new/", OWNER_AND_COORDINATOR),
            ("get", f"/measures/{s}/links/new/", HIDDEN_FROM_OTHERS),
        ],
        "measures:measure_link_delete": [
            ("get", f"/measures/{m}/links/{w['measure_link'].pk}/delete/", NOT_ALLOWED),
            ("post", f"/measures/{m}/links/{w['measure_link'].pk}/delete/", OWNER_AND_COORDINATOR),
        ],
        "measures:summary": [("get", "/summaries/", EVERYONE)],
        "measures:letters": [("get", "/letters/", EVERYONE)],
        "measures:letter_create": [
            ("get", "/letters/new/", COORDINATOR_ONLY),
            ("post", "/letters/new/", COORDINATOR_ONLY),
        ],
        "measures:letter_detail": [("get", f"/letters/{w['letter'].pk}/", EVERYONE)],
        "measures:letter_template": [
            ("get", "/letters/template/", COORDINATOR_ONLY),
            ("post", "/letters/template/", COORDINATOR_ONLY),
        ],
        "measures:letter_template_example": [
            ("get", "/letters/template/example/", COORDINATOR_ONLY),
        ],
        # No Word template is in use in this world: nothing to send back, to a coordinator.
        "measures:letter_template_file": [
            ("get", "/letters/template/file/", {**COORDINATOR_ONLY, COORDINATOR: 404}),
        ],
        "measures:letter_check": [
            ("get", f"/letters/{w['letter'].pk}/check/", NOT_ALLOWED),
            ("post", f"/letters/{w['letter'].pk}/check/", COORDINATOR_ONLY),
        ],
        "measures:letter_send": [
            ("get", f"/letters/{w['letter'].pk}/send/", COORDINATOR_ONLY),
            ("post", f"/letters/{w['letter'].pk}/send/", COORDINATOR_ONLY),
        ],
        "measures:letter_text": [
            ("get", f"/letters/{w['letter'].pk}/text/", COORDINATOR_ONLY),
            ("post", f"/letters/{w['letter'].pk}/text/", COORDINATOR_ONLY),
        ],
        "measures:letter_history": [("get", f"/letters/{w['letter'].pk}/history/", EVERYONE)],
    }


def history_rows():
    from django.apps import apps

    return sum(
        model.objects.count()
        for model in apps.get_app_config("measures").get_models()
        if model.__name__.startswith("Historical")
    )


def test_the_matrix_covers_every_route_of_the_app():
    app_routes = {name for name, _ in ROUTES if name.startswith("measures:")}
    assert app_routes == set(
        cases(
            dict.fromkeys(
                [
                    "measure",
                    "secret",
                    "update",
                    "commitment",
                    "indicator",
                    "value",
                    "letter",
                    "plan",
                    "theme",
                    "organisation",
                    "document",
                    "event",
                    "measure_link",
                ],
                type("X", (), {"pk": 1})(),
            )
            | {"version": 1}
        )
    )


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_what_it_may(client, world, role):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=role))
    wrong = []
    for name, checks in cases(world).items():
        for method, url, expectations in checks:
            expected = expectations[role]
            before = history_rows()
            response = getattr(client, method)(url)
            status = response.status_code
            if expected == "ok":
                if status >= 400 and status != 400:  # a form with errors may answer 400
                    wrong.append(f"{method.upper()} {url} ({name}): {status}, expected allowed")
            elif status != expected:
                wrong.append(f"{method.upper()} {url} ({name}): {status}, expected {expected}")
            if expected != "ok" and history_rows() != before:
                wrong.append(f"{method.upper()} {url} ({name}): refused but wrote history")
    assert wrong == []
