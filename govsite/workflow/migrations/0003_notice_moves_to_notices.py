# The notice now belongs to govsite.notices (its 0001 takes over the table); only the state
# changes here.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('notices', '0001_initial'),
        ('workflow', '0002_notice_task_state'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Notice')],
            database_operations=[],
        ),
    ]
