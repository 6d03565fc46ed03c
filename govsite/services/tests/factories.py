"""办事指南 made the way the system makes them: complete (every key element of R-SERVICE-1
stated) unless a test leaves elements out."""

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from govsite.services.models import GuideColumnPage, GuideMaterial, ServiceGuidePage


def guide_column(slug="ywgzlc"):
    return GuideColumnPage.objects.get(slug=slug)


def sample_form(title="政府信息公开申请表"):
    Document = get_document_model()
    document = Document(title=title)
    document.file.save(
        "shenqingbiao.txt", ContentFile("申请人：\n联系电话：\n".encode()), save=False
    )
    document.save()
    return document


def complete_fields(**overrides):
    fields = {
        "title": "政府信息公开申请",
        "matter_type": "public_service",
        "basis": [
            ("basis", {"law": "《中华人民共和国政府信息公开条例》", "article": "第二十七条"}),
        ],
        "conditions": "<p>公民、法人或者其他组织可以申请获取政府信息。</p>",
        "place": "临江区行政中心2号楼105室",
        "hours": "工作日 8:30—12:00，14:00—17:30",
        "covers_holidays": False,
        "steps": [
            ("step", {"name": "提出申请", "description": "填写申请表。"}),
            ("step", {"name": "登记受理", "description": "当日登记。"}),
            ("step", {"name": "作出答复", "description": "依法答复。"}),
        ],
        "fee_kind": "free",
        "fee_standard": "",
        "legal_days": 20,
        "promised_days": 15,
        "consult_phone": "0999-86012018",
        "complaint_phone": "0999-86012010、12345",
    }
    fields.update(overrides)
    return fields


def make_guide(column=None, *, owner=None, publish=True, materials=None, document=None, **fields):
    """A guide under ``column`` (业务工作流程 by default), published unless asked otherwise; one
    material with ``document`` as its form unless ``materials`` (a list of dicts) is given."""
    column = column or guide_column()
    if materials is None:
        materials = [{"name": "政府信息公开申请表", "copies": 1, "document": document}]
    guide = ServiceGuidePage(owner=owner, live=False, **complete_fields(**fields))
    guide.materials = [GuideMaterial(**material) for material in materials]
    guide = column.add_child(instance=guide)
    revision = guide.save_revision(user=owner)
    if publish:
        revision.publish()
        guide.refresh_from_db()
    return guide
