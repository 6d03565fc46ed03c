"""The editor form of a 专栏 article: its 板块 are those of the 专栏 it is written in."""

from govsite.columns.forms import ContentPageForm


class TopicArticleForm(ContentPageForm):
    """A 专栏 article chooses one of its own 专栏's 板块, and must choose one."""

    def __init__(self, *args, parent_page=None, **kwargs):
        super().__init__(*args, parent_page=parent_page, **kwargs)
        field = self.fields.get("board")
        if field is None:
            return
        topic = parent_page or (self.instance.get_parent() if self.instance.pk else None)
        boards = field.queryset.none()
        if topic is not None:
            boards = field.queryset.filter(page_id=topic.pk)
        field.queryset = boards
        field.required = True
        field.empty_label = "请选择板块"
        field.error_messages["required"] = "请选择文章所属的板块（专栏开设时确定的板块之一）。"
