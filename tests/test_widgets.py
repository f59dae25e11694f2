import re

from django import forms

from measures.widgets import QuickSelect

CHOICES = [
    ("", "All"),
    (1, "Preventie & <opsporing>"),
    ("Plan B", [(2, "Bescherming"), (3, "Nazorg")]),
]


def tidy(html):
    return re.sub(r">\s+<", "><", str(html)).strip()


def test_it_writes_the_same_markup_as_a_select():
    attrs = {"id": "id_line", "class": "form-select", "required": True}
    for value in (None, "", 1, "3"):
        assert tidy(QuickSelect(choices=CHOICES).render("line", value, attrs)) == tidy(
            forms.Select(choices=CHOICES).render("line", value, attrs)
        )


def test_it_selects_the_value_and_escapes_the_labels():
    html = QuickSelect(choices=CHOICES).render("line", 3)
    assert '<option value="3" selected>Nazorg</option>' in html
    assert '<option value="1">Preventie &amp; &lt;opsporing&gt;</option>' in html
    assert '<optgroup label="Plan B">' in html
