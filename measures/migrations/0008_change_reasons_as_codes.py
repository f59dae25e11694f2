"""Store the tracker's own change reasons as the short codes of ChangeReason (shown translated).

Before, they were English sentences ("marked as sent", "answered: fulfilled"), a sentence
translated when it was saved ("progress logged on …", in Dutch "voortgang gemeld op …") and the
seeder's Dutch ("seed: aangemaakt (brief 20-03-2014)"). A reason a person typed stays as it is.
"""

import re

from django.db import migrations

# (pattern of an old reason, code), tried in order; a reason that matches none is kept.
OLD_REASONS = [
    (r"marked as sent", "sent"),
    (r"approved for the letter", "approved"),
    (r"answered: \w+", "answered"),
    (r"bulk change", "bulk"),
    (r"(progress logged on|voortgang gemeld op) .+", "progress"),
    (r"seed: status bijgewerkt.*", "seed-status"),
    (r"seed: (brief )?aangemaakt.*", "seed-created"),
    (r"seed: (brief )?bijgewerkt.*", "seed-updated"),
    (r"seed: \w+ gewijzigd.*", "seed-links"),
]

TRACKED = [
    "Measure",
    "ProgressUpdate",
    "Commitment",
    "CommitmentLink",
    "Plan",
    "ActionLine",
    "ProgressLetter",
    "Indicator",
    "IndicatorValue",
    "Organisation",
    "Country",
    "Theme",
    "Profile",
]


def code_for(reason):
    """Return the code of an old reason the tracker wrote, or None for any other reason."""
    for pattern, code in OLD_REASONS:
        if re.fullmatch(pattern, reason or "", flags=re.DOTALL):
            return code
    return None


def to_codes(apps, schema_editor):
    for name in TRACKED:
        history = apps.get_model("measures", f"Historical{name}")
        reasons = (
            history.objects.exclude(history_change_reason__isnull=True)
            .exclude(history_change_reason="")
            .values_list("history_change_reason", flat=True)
            .distinct()
        )
        for reason in list(reasons):
            code = code_for(reason)
            if code is not None:
                history.objects.filter(history_change_reason=reason).update(
                    history_change_reason=code
                )


class Migration(migrations.Migration):
    dependencies = [("measures", "0007_versions_on_tracked_models")]

    operations = [migrations.RunPython(to_codes, migrations.RunPython.noop)]
