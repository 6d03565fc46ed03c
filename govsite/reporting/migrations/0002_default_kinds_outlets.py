"""The office's kinds of item, outlets and instruction levels with their points (第十六、二十二条),
as data 综合科 then maintains in the admin. Removing the migration removes only these rows."""

from decimal import Decimal

from django.db import migrations

KINDS = ["重点工作", "创新措施", "阶段性进展", "工作成绩"]
OUTLETS = [
    ("本站工作动态", "1", True),
    ("区政府网站", "2", False),
    ("区信息刊物", "4", False),
    ("市级刊物", "15", False),
    ("省级刊物", "30", False),
    ("国办刊物", "60", False),
]
LEVELS = [("区领导批示", "5"), ("市领导批示", "10"), ("省领导批示", "20"), ("国家领导批示", "40")]


def seed(apps, schema_editor):
    ItemKind = apps.get_model("reporting", "ItemKind")
    Outlet = apps.get_model("reporting", "Outlet")
    InstructionLevel = apps.get_model("reporting", "InstructionLevel")
    for order, name in enumerate(KINDS):
        ItemKind.objects.get_or_create(name=name, defaults={"order": order})
    for order, (name, points, own_site) in enumerate(OUTLETS):
        Outlet.objects.get_or_create(
            name=name, defaults={"order": order, "points": Decimal(points), "own_site": own_site}
        )
    for order, (name, points) in enumerate(LEVELS):
        InstructionLevel.objects.get_or_create(
            name=name, defaults={"order": order, "points": Decimal(points)}
        )


def unseed(apps, schema_editor):
    apps.get_model("reporting", "ItemKind").objects.filter(name__in=KINDS, items=None).delete()
    apps.get_model("reporting", "Outlet").objects.filter(
        name__in=[name for name, _points, _own in OUTLETS], adoptions=None
    ).delete()
    used = apps.get_model("reporting", "LeaderInstruction").objects.values("level")
    apps.get_model("reporting", "InstructionLevel").objects.filter(
        name__in=[name for name, _points in LEVELS]
    ).exclude(pk__in=used).delete()


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
