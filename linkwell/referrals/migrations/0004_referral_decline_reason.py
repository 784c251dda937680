"""Why a referral was declined, as a code the partnership can count (beside the service's
own words in `decline_reason`). Referrals declined before this carry no code."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0003_person_submissions_and_consent_scope"),
    ]

    operations = [
        migrations.AddField(
            model_name="referral",
            name="decline_reason_code",
            field=models.CharField(
                blank=True,
                choices=[
                    ("no_capacity", "No capacity"),
                    ("not_eligible", "Not eligible"),
                    ("person_declined", "The person declined"),
                    ("could_not_contact", "Could not contact the person"),
                    ("duplicate", "Duplicate referral"),
                    ("other", "Other"),
                ],
                max_length=20,
            ),
        ),
    ]
