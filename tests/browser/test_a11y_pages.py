"""Every page the tests can reach, as a coordinator, forms in their error state included:
axe-core finds no violation of WCAG 2.1 A/AA or of its best-practice rules; no page is wider
than a 320 px screen or than 1,366 px at 200 % zoom (1.4.10); and every control on the main
pages shows a keyboard focus indicator of at least 3:1 against what is around it (2.4.7,
1.4.11).

PAGES is the list to extend: a new page is one line. A path may name the objects of the
`site` fixture in braces ({measure}, {commitment}, {letter}, …)."""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from measures.models import LetterStatus, ProgressLetter
from tests.commitment_data import interventions, value

from .conftest import axe_violations, log_in

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Visit:
    name: str
    path: str
    # Who reads it (None: not logged in).
    user: str | None = "alice"
    status: int = 200
    # Submit the page's first POST form after emptying these fields: the page in its error state.
    errors: tuple | None = None
    # Before submitting, choose this file: (field, name, content).
    upload: tuple | None = None
    # Before submitting, type these: (selector, text) pairs.
    typed: tuple = ()


PAGES = [
    Visit("dashboard", "/"),
    Visit("dashboard per action line", "/?by=action_line"),
    Visit("dashboard, contributor", "/", user="bob"),
    Visit("measure list", "/measures/"),
    Visit("measure list filtered", "/measures/?q=team&status=in_progress&overdue=true"),
    Visit("measure", "/measures/{measure}/"),
    Visit("measure edit", "/measures/{measure}/edit/"),
    Visit("measure edit with errors", "/measures/{measure}/edit/", errors=("#id_title",)),
    Visit("new measure", "/measures/new/"),
    Visit("new measure with errors", "/measures/new/", errors=()),
    Visit("progress form", "/measures/{measure}/progress/"),
    Visit("progress form with errors", "/measures/{measure}/progress/", errors=("#id_text",)),
    Visit("history", "/measures/{measure}/history/"),
    Visit("revert", "/measures/{measure}/history/{record}/revert/"),
    Visit("changes", "/changes/"),
    Visit("compare", "/compare/"),
    Visit("compare two letters", "/compare/?from_letter={earlier_letter}&to_letter={letter}"),
    Visit("commitments", "/commitments/"),
    Visit("commitment", "/commitments/{commitment}/"),
    Visit("commitment answer with errors", "/commitments/{commitment}/", errors=()),
    Visit("indicators", "/indicators/"),
    Visit("indicator", "/indicators/{indicator}/"),
    Visit("indicator value form", "/indicators/{indicator}/values/new/"),
    Visit("indicator value form with errors", "/indicators/{indicator}/values/new/", errors=()),
    Visit("indicator new", "/indicators/new/"),
    Visit("indicator new with errors", "/indicators/new/", errors=()),
    Visit("indicator edit", "/indicators/{indicator}/edit/"),
    Visit("figures grid", "/indicators/{indicator}/figures/"),
    Visit(
        "figures grid with errors",
        "/indicators/{indicator}/figures/",
        errors=(),
        typed=(("main form[method=post] input[name$=realised] >> nth=0", "22.5"),),
    ),
    Visit("plans", "/plans/"),
    Visit("plan new", "/plans/new/"),
    Visit("plan new with errors", "/plans/new/", errors=()),
    Visit("plan edit", "/plans/{plan}/edit/"),
    Visit("set-up", "/setup/"),
    Visit("theme new with errors", "/setup/themes/new/", errors=()),
    Visit("organisation new", "/setup/organisations/new/"),
    Visit("summary", "/summaries/"),
    Visit("letters", "/letters/"),
    Visit("letter", "/letters/{letter}/"),
    Visit("draft letter", "/letters/{draft_letter}/"),
    Visit("new draft letter", "/letters/new/"),
    Visit("new draft letter with errors", "/letters/new/", errors=("#id_title",)),
    Visit("send a letter", "/letters/{draft_letter}/send/"),
    Visit("send a letter with errors", "/letters/{draft_letter}/send/", errors=()),
    Visit("review", "/review/"),
    Visit("import", "/measures/import/"),
    Visit(
        "import with errors",
        "/measures/import/",
        errors=(),
        upload=("#id_file", "maatregelen.csv", b"Niets;van;dit\nklopt;hier;niet\n"),
    ),
    Visit("accessibility statement", "/accessibility/"),
    Visit("accessibility statement, logged out", "/accessibility/", user=None),
    Visit("login", "/accounts/login/", user=None),
    Visit("login with errors", "/accounts/login/", user=None, errors=()),
    Visit("not found", "/no-such-page/", status=404),
]

# The pages whose every control is checked for its focus indicator.
FOCUS_PAGES = [
    Visit("dashboard", "/"),
    Visit("measure form", "/measures/{measure}/edit/"),
    Visit("measure list with filters", "/measures/?status=in_progress"),
    Visit("progress form", "/measures/{measure}/progress/"),
]

# An error message the page shows after a refused submit (a field's or the page's).
ERROR_SHOWN = "[aria-invalid=true], .is-invalid, .invalid-feedback, [role=alert]"


@pytest.fixture
def site(programme, alice, kst):
    """The objects PAGES names: the programme of conftest plus an indicator with figures, an
    earlier sent letter (to compare with) and a draft letter."""
    today = timezone.localdate()
    earlier = ProgressLetter.objects.create(
        date=today - datetime.timedelta(days=300), title="Eerste voortgangsbrief"
    )
    earlier.mark_sent(by=alice)
    draft = ProgressLetter.objects.create(
        date=today, title="Derde voortgangsbrief", status=LetterStatus.DRAFT
    )
    indicator = interventions(kst)
    value(indicator, today.year - 1, 500, 560)
    measure = programme[0]
    return {
        "measure": measure.pk,
        "plan": measure.plan_id,
        "record": measure.history.earliest("history_date").history_id,
        "commitment": programme[0].commitments.get().pk,
        "indicator": indicator.pk,
        "letter": ProgressLetter.objects.exclude(pk__in=[earlier.pk, draft.pk]).get().pk,
        "earlier_letter": earlier.pk,
        "draft_letter": draft.pk,
    }


def open_visit(page, live_server, site, visit):
    """Open the page of `visit` (logged in as its user), in its error state when it has one."""
    path = visit.path.format(**site)
    if visit.user:
        log_in(page, live_server, visit.user)
    response = page.goto(live_server.url + path)
    assert response.status == visit.status, path
    if visit.errors is not None:
        for field in visit.errors:
            page.fill(field, "")
        for field, text in visit.typed:
            page.fill(field, text)
        if visit.upload:
            field, name, content = visit.upload
            page.set_input_files(field, {"name": name, "mimeType": "text/csv", "buffer": content})
        with page.expect_navigation():
            page.click("main form[method=post] [type=submit] >> nth=0")
        assert page.locator(ERROR_SHOWN).count() > 0, f"{path}: no error shown"
    return page


@pytest.mark.parametrize("visit", PAGES, ids=[visit.name for visit in PAGES])
def test_axe_finds_no_violation_on_any_page(page, live_server, site, visit):
    open_visit(page, live_server, site, visit)
    assert axe_violations(page, best_practice=True) == []


@pytest.mark.parametrize("visit", PAGES, ids=[visit.name for visit in PAGES])
def test_no_page_is_wider_than_a_phone_or_than_a_screen_at_200_percent(
    page, live_server, site, visit
):
    open_visit(page, live_server, site, visit)
    for width in (320, 683):  # a small phone; 1,366 px at 200 % zoom
        page.set_viewport_size({"width": width, "height": 640})
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{visit.path} is {scroll_width} px wide at {width} px"


# The focused element: its outline and the first opaque background around it.
FOCUSED = """() => {
  const el = document.activeElement;
  // Past the last control focus leaves the page: the document has no focus any more.
  if (!document.hasFocus() || !el || el === document.body) return null;
  const rgba = (text) => {
    const m = text.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const [r, g, b, a] = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return [r, g, b, a === undefined ? 1 : a];
  };
  let background = [255, 255, 255, 1];
  for (let node = el.parentElement; node; node = node.parentElement) {
    const colour = rgba(getComputedStyle(node).backgroundColor);
    if (colour && colour[3] > 0) { background = colour; break; }
  }
  const style = getComputedStyle(el);
  return {
    label: el.tagName + (el.id ? '#' + el.id : '') + ' '
      + (el.textContent || el.name || '').trim().slice(0, 40),
    tag: el.tagName,
    style: style.outlineStyle,
    width: parseFloat(style.outlineWidth),
    colour: rgba(style.outlineColor),
    background: background,
  };
}"""


def luminance(rgb):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def over_white(rgba):
    r, g, b, a = rgba
    return [a * v + (1 - a) * 255 for v in (r, g, b)]


def contrast(one, other):
    lighter, darker = sorted((luminance(over_white(one)), luminance(over_white(other))))[::-1]
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_is_computed_as_wcag_defines_it():
    assert contrast([0, 0, 0, 1], [255, 255, 255, 1]) == pytest.approx(21)
    assert contrast([255, 191, 71, 1], [255, 255, 255, 1]) < 3  # yellow alone fails on white
    assert contrast([255, 191, 71, 1], [21, 66, 115, 1]) > 3  # and passes on the navbar


@pytest.mark.parametrize("visit", FOCUS_PAGES, ids=[visit.name for visit in FOCUS_PAGES])
def test_every_control_shows_a_focus_indicator_of_at_least_3_to_1(page, live_server, site, visit):
    open_visit(page, live_server, site, visit)
    seen, failures = [], []
    for _ in range(500):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None or (seen and focused["label"] == seen[0]["label"]):
            break  # past the last control
        seen.append(focused)
        ratio = contrast(focused["colour"], focused["background"]) if focused["colour"] else 0
        if focused["style"] == "none" or focused["width"] < 2 or ratio < 3:
            failures.append((focused["label"], focused["style"], focused["width"], round(ratio, 2)))
    assert len(seen) >= 10, f"Tab reached only {len(seen)} controls"
    if visit.name != "dashboard":
        assert {"INPUT", "SELECT"} & {focused["tag"] for focused in seen}
    assert failures == []


def test_the_top_bar_fits_1280_px_and_collapses_below_1200(page, live_server, alice):
    log_in(page, live_server, "alice")
    for width in (1366, 1280, 1200):
        page.set_viewport_size({"width": width, "height": 700})
        right = page.evaluate(
            "document.querySelector('.language-form').getBoundingClientRect().right"
        )
        assert right <= width, f"the language switch ends at {right} px on a {width} px screen"
        assert not page.locator(".navbar-toggler").is_visible()
    page.set_viewport_size({"width": 1199, "height": 700})
    assert page.locator(".navbar-toggler").is_visible()


def test_the_account_menu_logs_out_by_keyboard(page, live_server, alice):
    log_in(page, live_server, "alice")
    page.focus("#account-menu button")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Uitloggen").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.goto(live_server.url + "/")
    assert "/accounts/login/" in page.url
