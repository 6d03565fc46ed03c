"""The structured parts of a 办事指南 (R-SERVICE-1): its legal basis and its steps."""

from wagtail import blocks


class BasisBlock(blocks.StructBlock):
    """设定依据: one law, regulation or normative document and the article relied on."""

    law = blocks.CharBlock(
        label="法律法规名称", max_length=200, help_text="如《中华人民共和国政府信息公开条例》。"
    )
    article = blocks.CharBlock(
        label="条款", max_length=200, required=False, help_text="如“第二十七条”；可写多条。"
    )

    class Meta:
        icon = "doc-full"
        label = "设定依据"


class StepBlock(blocks.StructBlock):
    """办理流程: one step, in the order the applicant meets them."""

    name = blocks.CharBlock(label="环节", max_length=100, help_text="如“受理”“审查”“决定”“送达”。")
    description = blocks.TextBlock(label="说明", required=False)

    class Meta:
        icon = "list-ol"
        label = "办理步骤"


class BasisStream(blocks.StreamBlock):
    basis = BasisBlock()


class StepStream(blocks.StreamBlock):
    step = StepBlock()
