"""R-OPEN-1: the 主题分类 tree of databases loaded by 0002 before data/topics.toml followed
gov.cn's 政策文件库 item for item. Adds what is missing and puts the file's order back; an item
the earlier file shipped and gov.cn does not list is removed unless a document uses it (then it
stays, last, for 综合科 to move its documents). Items 综合科 added themselves are left alone."""

from django.db import migrations

from govsite.disclosure.topics import read_tree_file

# Shipped by the earlier data/topics.toml and not in gov.cn's list.
EARLIER_ONLY = {
    "国民经济管理、国有资产监管": ["发展规划", "节能与资源综合利用"],
    "财政、金融、审计": ["金融", "会计"],
    "国土资源、能源": ["测绘", "新能源"],
    "工业、交通": ["工业"],
    "商贸、海关、旅游": ["口岸"],
    "文化、广电、新闻出版": ["广播影视"],
    "民政、扶贫、救灾": ["社区建设"],
    "民族、宗教": ["其他"],
    "港澳台侨工作": ["台湾工作", "华侨工作", "其他"],
    "国防": ["其他"],
}


def align(apps, schema_editor):
    TopicCategory = apps.get_model("disclosure", "TopicCategory")
    for top_order, (name, children) in enumerate(read_tree_file().tops):
        top, _ = TopicCategory.objects.update_or_create(
            parent=None, name=name, defaults={"sort_order": top_order}
        )
        for order, child in enumerate(children):
            TopicCategory.objects.update_or_create(
                parent=top, name=child, defaults={"sort_order": order}
            )
        earlier = TopicCategory.objects.filter(parent=top, name__in=EARLIER_ONLY.get(name, []))
        earlier.filter(documents__isnull=True).delete()
        earlier.update(sort_order=len(children))


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0002_topics_and_genres")]

    operations = [migrations.RunPython(align, migrations.RunPython.noop)]
