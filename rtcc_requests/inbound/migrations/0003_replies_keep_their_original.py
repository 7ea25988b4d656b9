"""Replies attached from the review queue before replies kept their original email: the
review item holds the very bytes, so the reply points at the same file."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def point_replies_at_originals(apps, schema_editor):
    ReviewItem = apps.get_model("inbound", "ReviewItem")
    Communication = apps.get_model("requests", "Communication")
    originals = ReviewItem.objects.filter(communication=OuterRef("pk")).exclude(raw="")
    Communication.objects.filter(raw_message="", pk__in=originals.values("communication")).update(
        raw_message=Subquery(originals.values("raw")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("inbound", "0002_review_item_content_hash"),
        ("requests", "0009_kept_copies"),
    ]

    operations = [migrations.RunPython(point_replies_at_originals, migrations.RunPython.noop)]
