"""Notifications move to their own app (docs/adr/0024): every row is copied, ids kept, into
notifications_notification; the referral a notice was about becomes its `link` and its generic
subject ("referrals.referral", the id), then the old table goes.

Set-based SQL on SQLite and PostgreSQL (a million rows copy in seconds); other databases copy
through the ORM. Reversible: notices about referrals are copied back (those of kinds the old
table did not know, or about referrals since deleted, are dropped). No app code is imported.
"""

from django.db import migrations

REFERRAL = "referrals.referral"
OLD_KINDS = ("new_referral", "decision", "escalation", "completion")
NEW = "notifications_notification"
OLD = "referrals_notification"


def _hyphenated(hex_column):
    """SQLite stores a UUID as 32 hex digits; its text form has hyphens (as str(uuid))."""
    parts = [(1, 8), (9, 4), (13, 4), (17, 4), (21, 12)]
    return " || '-' || ".join(f"substr({hex_column}, {a}, {n})" for a, n in parts)


def _reset_sequence(cursor, table):
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
        f"COALESCE((SELECT MAX(id) FROM {table}), 1), "
        f"(SELECT MAX(id) FROM {table}) IS NOT NULL)"
    )


def copy_forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        return _copy_forward_orm(apps)
    text = "referral_id::text" if vendor == "postgresql" else _hyphenated("referral_id")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {NEW} "
            "(id, user_id, kind, message, link, subject_type, subject_id, created_at, read_at) "
            "SELECT id, user_id, kind, message, "
            f"CASE WHEN referral_id IS NULL THEN '' ELSE '/referrals/' || {text} || '/' END, "
            f"CASE WHEN referral_id IS NULL THEN '' ELSE '{REFERRAL}' END, "
            f"CASE WHEN referral_id IS NULL THEN '' ELSE {text} END, "
            f"created_at, read_at FROM {OLD}"
        )
        if vendor == "postgresql":
            _reset_sequence(cursor, NEW)


def _copy_forward_orm(apps):
    Old = apps.get_model("referrals", "Notification")
    New = apps.get_model("notifications", "Notification")
    batch = []
    for note in Old.objects.order_by("pk").iterator(chunk_size=2000):
        about = str(note.referral_id) if note.referral_id else ""
        batch.append(
            New(
                id=note.pk,
                user_id=note.user_id,
                kind=note.kind,
                message=note.message,
                link=f"/referrals/{about}/" if about else "",
                subject_type=REFERRAL if about else "",
                subject_id=about,
                created_at=note.created_at,
                read_at=note.read_at,
            )
        )
        if len(batch) >= 2000:
            New.objects.bulk_create(batch)
            batch = []
    New.objects.bulk_create(batch)


def copy_back(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    kinds = ", ".join(f"'{k}'" for k in OLD_KINDS)
    if vendor not in ("sqlite", "postgresql"):
        return _copy_back_orm(apps)
    as_id = "n.subject_id::uuid" if vendor == "postgresql" else "replace(n.subject_id, '-', '')"
    as_id = f"CASE WHEN n.subject_type = '{REFERRAL}' THEN {as_id} END"  # cast only referrals
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {OLD} (id, user_id, kind, message, referral_id, created_at, read_at) "
            "SELECT n.id, n.user_id, n.kind, n.message, "
            f"{as_id}, "
            f"n.created_at, n.read_at FROM {NEW} n "
            f"WHERE n.kind IN ({kinds}) AND (n.subject_type <> '{REFERRAL}' OR EXISTS "
            f"(SELECT 1 FROM referrals_referral r WHERE r.id = {as_id}))"
        )
        if vendor == "postgresql":
            _reset_sequence(cursor, OLD)


def _copy_back_orm(apps):
    Old = apps.get_model("referrals", "Notification")
    New = apps.get_model("notifications", "Notification")
    Referral = apps.get_model("referrals", "Referral")
    known = {str(pk) for pk in Referral.objects.values_list("pk", flat=True)}
    Old.objects.bulk_create(
        Old(
            id=n.pk,
            user_id=n.user_id,
            kind=n.kind,
            message=n.message,
            referral_id=n.subject_id if n.subject_type == REFERRAL else None,
            created_at=n.created_at,
            read_at=n.read_at,
        )
        for n in New.objects.filter(kind__in=OLD_KINDS).iterator(chunk_size=2000)
        if n.subject_type != REFERRAL or n.subject_id in known
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("referrals", "0005_person_name_key_consent_conversation"),
    ]

    operations = [
        migrations.RunPython(copy_forward, copy_back, elidable=True),
        migrations.DeleteModel(name="Notification"),
        migrations.CreateModel(
            name="ReferralNotification",
            fields=[],
            options={"proxy": True, "indexes": [], "constraints": []},
            bases=("notifications.notification",),
        ),
    ]
