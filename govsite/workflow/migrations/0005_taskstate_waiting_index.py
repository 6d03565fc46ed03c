"""An index for 待我审核 (the dashboard and the menu's count, on every admin page): the reviews
waiting at a step are Wagtail's task states of that task still in progress, a handful among the
office's whole history of task states (four a publication, years of them)."""

from django.db import migrations

INDEX = "govsite_taskstate_task_status"


class Migration(migrations.Migration):
    dependencies = [("workflow", "0004_record_period_indexes")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailcore_taskstate (task_id, status)",
            f"DROP INDEX {INDEX}",
        )
    ]
