"""Staff search and self-referral conversion:

- `Person.name_key`: given and family name without case or accents, for finding a person
  (filled here for the people held; kept by `Person.save` from now on);
- `Consent.conversation`: consents given together (several services at once) share it;
  `Consent.source` gains `own_request` (the citizen's own request to the service);
- `ContactRequest.referral`: the referral a self-referral request became.

The fold is repeated here rather than imported: a migration must not depend on app code.
"""

import unicodedata

import django.db.models.deletion
from django.db import migrations, models


def _fold(*names):
    decomposed = unicodedata.normalize("NFKD", " ".join(n or "" for n in names))
    kept = "".join(
        ch if ch.isalnum() else " " if ch.isspace() or ch == "-" else ""
        for ch in decomposed.casefold()
        if not unicodedata.combining(ch)
    )
    return " ".join(kept.split())


def fill_name_keys(apps, schema_editor):
    Person = apps.get_model("referrals", "Person")
    batch = []
    for person in Person.objects.only("id", "given_name", "family_name").iterator(
        chunk_size=1000
    ):
        person.name_key = _fold(person.given_name, person.family_name)
        batch.append(person)
        if len(batch) >= 1000:
            Person.objects.bulk_update(batch, ["name_key"])
            batch = []
    if batch:
        Person.objects.bulk_update(batch, ["name_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0004_referral_decline_reason"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="name_key",
            field=models.CharField(blank=True, editable=False, max_length=201),
        ),
        migrations.RunPython(fill_name_keys, migrations.RunPython.noop),
        migrations.AddField(
            model_name="consent",
            name="conversation",
            field=models.UUIDField(blank=True, db_index=True, null=True),
        ),
        migrations.AlterField(
            model_name="consent",
            name="source",
            field=models.CharField(
                choices=[
                    ("recorded", "Recorded with the person"),
                    ("stated_by_sender", "Stated by the sender of a referral"),
                    (
                        "own_request",
                        "Given by the person in their own request to the service",
                    ),
                ],
                default="recorded",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="contactrequest",
            name="referral",
            field=models.ForeignKey(
                blank=True,
                help_text="The referral this request became.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="referrals.referral",
            ),
        ),
    ]
