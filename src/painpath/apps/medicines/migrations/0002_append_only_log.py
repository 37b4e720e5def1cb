"""The prescribing log refuses UPDATE and DELETE at the database (SQLite and PostgreSQL)."""

from django.db import migrations

from painpath.db.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [("medicines", "0001_initial")]
    operations = [append_only("medicines_prescribinglogentry")]
