"""Issue 7 on the real data: the commitments register and the indicator page, read from the
seeded letters."""

import re

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from measures.models import Commitment, CommitmentStatus, Indicator, IndicatorValue

pytestmark = pytest.mark.django_db

SENTENCES = "Gemiddelde duur van vrijheidsstraffen in kinderpornografiezaken"
KST_PLAN = "Nieuw plan van aanpak kindersekstoerisme voor het zomerreces"


@pytest.fixture(scope="module", autouse=True)
def _seeded(seeded_module):
    """The seed letters, loaded once for this module (tests/conftest.py)."""


@pytest.fixture
def page(client, vera):
    """Return the text of a page as a viewer reads it, in English."""
    client.force_login(vera)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    def get(url):
        response = client.get(url)
        assert response.status_code == 200
        return response.content.decode()

    return get


def register_row(content, title):
    """Return the words of the register's row of the commitment titled `title`."""
    rows = [row for row in content.split("<tr") if title in row]
    assert len(rows) == 1, f"{title} is not one row of the register"
    return " ".join(strip_tags("<tr" + rows[0]).split())


def test_the_register_shows_the_prison_sentences_commitment_fulfilled_late_by_the_2015_letter(
    page,
):
    row = register_row(page(reverse("measures:commitments")), SENTENCES)
    assert "20 maart 2014" in row  # made in the debate (AO) of 20 March 2014
    assert "Algemeen Overleg" in row
    assert "Fulfilled" in row and "Answered late" in row
    assert "Voortgangsbrief aanpak kinderpornografie en kindersekstoerisme" in row
    assert "31 015, nr. 112" in row
    assert "1 juni 2015" in row
    commitment = Commitment.objects.get(title=SENTENCES)
    assert commitment.status == CommitmentStatus.FULFILLED
    assert commitment.fulfilled_by.date.isoformat() == "2015-06-01"
    assert commitment.is_late


def test_the_register_shows_the_new_kst_plan_promised_before_the_summer_recess_as_late(page):
    row = register_row(page(reverse("measures:commitments")), KST_PLAN)
    assert "“voor het zomerreces (2016)”" in row
    assert "read as 1 juli 2016" in row
    assert "Fulfilled" in row and "Answered late" in row
    assert "6 september 2016" in row
    assert Commitment.objects.get(title=KST_PLAN).fulfilled_on.isoformat() == "2016-09-06"


def test_a_commitment_answered_in_time_is_not_marked_late(page):
    row = register_row(
        page(reverse("measures:commitments")),
        "Motie Berndsen-Jansen (D66): financiële bijdrage aan Interpol",
    )
    assert "Partly fulfilled" in row  # the payment is spread over three years
    assert "Answered late" not in row


def test_the_interventions_page_shows_2015_target_600_realised_842_and_a_chart(page):
    indicator = Indicator.objects.get(name="Interventies")
    total = IndicatorValue.objects.get(indicator=indicator, year=2015, quarter=0, breakdown="")
    content = page(reverse("measures:indicator_detail", args=[indicator.pk]))
    row = content.split(f'id="value-{total.pk}"')[1].split("</tr>")[0]
    cells = [
        " ".join(strip_tags(cell).split())
        for cell in re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", row, re.S)
    ]
    assert cells[:3] == ["2015", "600", "842"]
    assert cells[3].endswith("242")
    chart = content.split('<div class="chart-wrapper">')[1].split("</div>")[0]
    assert chart.lstrip().startswith("<svg")
    assert 'data-period="2015"' in chart
    assert "842" in chart and "600" in chart
