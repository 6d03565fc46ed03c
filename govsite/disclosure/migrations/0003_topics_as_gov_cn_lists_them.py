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
    DocumentPage = apps.get_model("disclosure", "DocumentPage")

    def placed(parent, name, order):
        # get_or_create, then update: update_or_create locks rows (FOR UPDATE), which
        # PostgreSQL refuses through the parent join the live manager adds.
        item, _ = TopicCategory.objects.get_or_create(parent=parent, name=name)
        TopicCategory.objects.filter(pk=item.pk).update(sort_order=order)
        return item

    for top_order, (name, children) in enumerate(read_tree_file().tops):
        top = placed(None, name, top_order)
        for order, child in enumerate(children):
            placed(top, child, order)
        earlier = TopicCategory.objects.filter(parent=top, name__in=EARLIER_ONLY.get(name, []))
        used = DocumentPage.objects.filter(topic__in=earlier).values_list("topic_id", flat=True)
        earlier.exclude(pk__in=list(used)).delete()
        earlier.update(sort_order=len(children))


class Migration(migrations.Migration):
    dependencies = [("disclosure", "0002_topics_and_genres")]

    operations = [migrations.RunPython(align, migrations.RunPython.noop)]
