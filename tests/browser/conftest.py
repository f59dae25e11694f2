"""Browser tests: Playwright's sync API driving Debian's Chromium against pytest-django's
live_server (which also serves the static files, Bootstrap included)."""

import datetime
import os
import shutil
from pathlib import Path

import pytest
from django.utils import timezone

from measures.models import (
    ActionLine,
    Commitment,
    CommitmentKind,
    Country,
    LetterStatus,
    Measure,
    MeasureStatus,
    Organisation,
    OrganisationKind,
    Plan,
    ProgressLetter,
    Theme,
    Visibility,
)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        reason = f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install chromium)."
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    # bypass_csp lets the accessibility tests inject axe-core if a CSP is ever added.
    context = browser.new_context(
        bypass_csp=True, locale="nl-NL", viewport={"width": 1366, "height": 900}
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def log_in(page, live_server, username, next_path="/"):
    """Log in through the login form, as a person would."""
    page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-" + username)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page, best_practice=False):
    """Run axe-core on the page with the WCAG 2.1 A and AA rules (and, with `best_practice`,
    axe's best-practice rules too); return the violations."""
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}; run npm ci.")
    page.add_script_tag(path=str(AXE))
    tags = WCAG_TAGS + (["best-practice"] if best_practice else [])
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", tags
    )
    return [
        (v["id"], v["help"], [node["target"] for node in v["nodes"]][:5])
        for v in result["violations"]
    ]


@pytest.fixture
def programme(transactional_db, alice, bob, carol, vera, ministry, police, prosecution, kst):
    """A realistic small programme: two plans, action lines, measures with progress, a sent
    letter and open commitments."""
    today = timezone.localdate()
    kp = Theme.objects.create(code="kp", name="Kinderpornografie", order=1)
    buza = Organisation.objects.create(
        name="Ministerie van Buitenlandse Zaken", abbreviation="BZ", kind=OrganisationKind.MINISTRY
    )
    thailand = Country.objects.create(name="Thailand", name_en="Thailand", code="TH")
    letter = ProgressLetter.objects.create(
        date=today - datetime.timedelta(days=120),
        title="Voortgangsbrief aanpak kinderpornografie",
        status=LetterStatus.DRAFT,
    )
    letter.mark_sent(by=alice)
    kp_plan = Plan.objects.create(
        title="Verbeterplan aanpak kinderpornografie", short_title="Verbeterplan KP", owner=ministry
    )
    kp_plan.themes.add(kp)
    kst_plan = Plan.objects.create(
        title="Plan van aanpak kindersekstoerisme", short_title="Plan KST", owner=ministry
    )
    kst_plan.themes.add(kst)
    lines = {
        "opsporing": ActionLine.objects.create(plan=kp_plan, name="Opsporing", order=1),
        "capaciteit": ActionLine.objects.create(plan=kp_plan, name="Capaciteit", order=2),
        "preventie": ActionLine.objects.create(plan=kst_plan, name="Preventie", order=1),
        "internationaal": ActionLine.objects.create(
            plan=kst_plan, name="Internationale samenwerking", order=2
        ),
    }
    rows = [
        (
            "1",
            "Uitbreiding van het Team Bestrijding Kinderpornografie",
            kp_plan,
            "capaciteit",
            kp,
            police,
            MeasureStatus.IN_PROGRESS,
            -30,
            Visibility.PUBLIC,
        ),
        (
            "2",
            "Beeldherkenning en hashdatabase voor slachtofferidentificatie",
            kp_plan,
            "opsporing",
            kp,
            police,
            MeasureStatus.DELAYED,
            45,
            Visibility.PUBLIC,
        ),
        (
            "3",
            "Snellere doorlooptijd van zaken bij het OM",
            kp_plan,
            "opsporing",
            kp,
            prosecution,
            MeasureStatus.IN_PROGRESS,
            200,
            Visibility.INTERNAL,
        ),
        (
            "4",
            "Voorlichting aan reizigers over kindersekstoerisme",
            kst_plan,
            "preventie",
            kst,
            ministry,
            MeasureStatus.COMPLETED,
            -100,
            Visibility.PUBLIC,
        ),
        (
            "5",
            "Verbindingsofficieren in Zuidoost-Azië",
            kst_plan,
            "internationaal",
            kst,
            police,
            MeasureStatus.NOT_STARTED,
            -10,
            Visibility.PUBLIC,
        ),
        (
            "6",
            "Signalering van reizende zedendelinquenten",
            kst_plan,
            "internationaal",
            kst,
            police,
            MeasureStatus.IN_PROGRESS,
            90,
            Visibility.CONFIDENTIAL,
        ),
    ]
    measures = []
    for code, title, plan, line, theme, owner, status, due, visibility in rows:
        measure = Measure.objects.create(
            code=code,
            title=title,
            description=f"{title}: uitwerking volgens de afspraken in het plan.",
            plan=plan,
            action_line=lines[line],
            theme=theme,
            owner=owner,
            status=status,
            start_date=today - datetime.timedelta(days=400),
            due_date=today + datetime.timedelta(days=due),
            completed_date=today - datetime.timedelta(days=120)
            if status == MeasureStatus.COMPLETED
            else None,
            budget_eur=250000 if code == "1" else None,
            visibility=visibility,
        )
        measures.append(measure)
    measures[0].partners.add(prosecution, ministry)
    measures[4].countries.add(thailand)
    measures[4].partners.add(buza)
    measures[1].parent = measures[0]
    measures[1].save()
    measures[0].log_progress(
        by=bob,
        date=today - datetime.timedelta(days=150),
        text="Twintig extra rechercheurs zijn geworven en opgeleid.",
        next_steps="De laatste tien vacatures worden dit jaar vervuld.",
    )
    measures[0].log_progress(
        by=alice,
        date=today - datetime.timedelta(days=20),
        text="Het team is op volle sterkte; de werkvoorraad daalt.",
    )
    measures[1].log_progress(
        by=bob,
        date=today - datetime.timedelta(days=5),
        status=MeasureStatus.DELAYED,
        text="De aanbesteding van de beeldherkenningssoftware loopt vertraging op.",
        next_steps="Gunning naar verwachting in het tweede kwartaal.",
    )
    measures[3].log_progress(
        by=alice,
        date=today - datetime.timedelta(days=130),
        text="De campagne op Schiphol is afgerond.",
    )
    commitment = Commitment.objects.create(
        kind=CommitmentKind.COMMITMENT,
        number="T-12",
        title="De Kamer informeren over de capaciteit van het TBKK",
        text="De minister informeert de Kamer in de volgende voortgangsbrief.",
        deadline_text="in de volgende voortgangsbrief",
        due_date=today + datetime.timedelta(days=14),
    )
    commitment.measures.add(measures[0])
    Commitment.objects.create(
        kind=CommitmentKind.MOTION,
        number="M-31015-98",
        title="Motie over verbindingsofficieren",
        text="Verzoekt de regering verbindingsofficieren te plaatsen.",
        due_date=today - datetime.timedelta(days=7),
    )
    return measures


@pytest.fixture
def screenshot_dir():
    path = Path(os.environ.get("UI_SCREENSHOT_DIR", "/tmp"))
    return path if path.is_dir() and shutil.disk_usage(path).free > 10_000_000 else None
