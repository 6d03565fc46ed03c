"""Indexes for the 审核记录 of a period (R-FLOW-4): which pages something happened to between
two dates is asked of Wagtail's revisions, workflow states and task states by time, and
without these each question read the office's whole history (three years: tens of thousands
of rows each) to answer for one month. The tables are Wagtail's, so the indexes are created
here by name, the same on SQLite and PostgreSQL; the page log already has its own on the time.
"""

from django.db import migrations

INDEXES = {
    "govsite_revision_type_created": "wagtailcore_revision (base_content_type_id, created_at)",
    "govsite_workflowstate_type_created": (
        "wagtailcore_workflowstate (base_content_type_id, created_at)"
    ),
    "govsite_taskstate_started": "wagtailcore_taskstate (started_at)",
    "govsite_taskstate_finished": "wagtailcore_taskstate (finished_at)",
}


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0003_notice_moves_to_notices"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunSQL(f"CREATE INDEX IF NOT EXISTS {name} ON {target}", f"DROP INDEX {name}")
        for name, target in INDEXES.items()
    ]
