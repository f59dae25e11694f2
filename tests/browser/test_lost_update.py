"""No lost updates in the browser: two people edit the same measure at once; the second save is
refused with what the first changed, and nothing of the first is lost."""

import pytest

from measures.models import Measure

from .conftest import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def second_page(browser, live_server):
    context = browser.new_context(locale="nl-NL", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def test_the_second_of_two_simultaneous_edits_is_refused_and_the_first_is_kept(
    page, second_page, live_server, programme
):
    measure = programme[0]  # owned by the police: Bob (police contributor) may edit it
    edit = f"/measures/{measure.pk}/edit/"
    log_in(page, live_server, "alice", edit)
    log_in(second_page, live_server, "bob", edit)
    assert page.url.endswith(edit) and second_page.url.endswith(edit)
    before = measure.history.count()

    # Alice, the coordinator, renames the measure and saves first.
    page.fill("#id_title", "Uitbreiding TBKK (herzien door Alice)")
    with page.expect_navigation():  # wait_for_load_state() alone may see the page before
        page.click("main form button[type=submit]")
    assert page.url.endswith(f"/measures/{measure.pk}/")

    # Bob, who opened the form before Alice saved, changes the description and saves.
    second_page.fill("#id_description", "Bobs nieuwe beschrijving")
    with second_page.expect_navigation():
        second_page.click("main form button[type=submit]")
    assert second_page.url.endswith(edit)  # refused: the form comes back
    errors = second_page.locator("main [data-error-summary]").all_inner_texts()
    text = " ".join(errors)
    assert "Iemand anders heeft deze maatregel opgeslagen" in text
    assert "Uitbreiding TBKK (herzien door Alice)" in text  # what changed meanwhile
    assert "Alice" in text
    # Bob's input is still in the form, so he can apply it again.
    assert second_page.input_value("#id_description") == "Bobs nieuwe beschrijving"

    measure = Measure.objects.get(pk=measure.pk)
    assert measure.title == "Uitbreiding TBKK (herzien door Alice)"
    assert measure.description != "Bobs nieuwe beschrijving"
    records = list(measure.history.order_by("-history_date", "-history_id"))
    assert len(records) == before + 1
    assert records[0].history_user.username == "alice"
    assert records[0].title == "Uitbreiding TBKK (herzien door Alice)"
    assert not measure.history.filter(history_user__username="bob").exists()
