"""An index for 栏目更新 (第十五条; R-ASSESS-1): a column's last update is the newest
``first_published_at`` of the live pages one level below it, asked of Wagtail's page tree for
every column at once (``freshness._last_publications``: grouped by the column's path prefix,
the newest in each interval between the month-ends of a year). Without it the database reads
every page row (100,000 at the office's size: seconds on SQLite); with it, it scans this index
only, which holds every value the query reads — the depth and ``live`` it filters on, the time
it bounds and aggregates, and the path it groups by. The table is Wagtail's, so the index is
created here by name, the same on SQLite and PostgreSQL."""

from django.db import migrations

INDEX = "govsite_page_depth_live_published"


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0004_default_rule_set"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailcore_page "
            "(depth, live, first_published_at, path)",
            f"DROP INDEX {INDEX}",
        )
    ]
