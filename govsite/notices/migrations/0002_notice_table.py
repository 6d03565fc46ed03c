from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('notices', '0001_initial'),
        ('workflow', '0003_notice_moves_to_notices'),
    ]

    operations = [
        migrations.AlterModelTable(name='notice', table=None),
    ]
