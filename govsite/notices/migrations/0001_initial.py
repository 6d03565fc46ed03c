# The notice moves from the review chain (workflow) to an app of its own, so that any app may
# tell staff something without importing the review chain. Its table is renamed, no row moves.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('wagtailcore', '0098_apitoken'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('workflow', '0002_notice_task_state'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Notice',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='时间')),
                        ('title', models.CharField(max_length=200, verbose_name='标题')),
                        ('text', models.TextField(blank=True, verbose_name='内容')),
                        ('url', models.CharField(blank=True, max_length=500, verbose_name='链接')),
                        ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='已读时间')),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notices', to=settings.AUTH_USER_MODEL, verbose_name='接收人')),
                        ('task_state', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailcore.taskstate', verbose_name='审核步骤')),
                    ],
                    options={
                        'verbose_name': '通知',
                        'verbose_name_plural': '通知',
                        'ordering': ['-created_at', '-pk'],
                        'db_table': 'workflow_notice',
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
