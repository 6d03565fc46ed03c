"""The review chain's words in the admin's templates (``govsite.workflow.wording``)."""

from django import template

from govsite.workflow import wording

register = template.Library()


@register.simple_tag
def page_status(page):
    """已发布 / 草稿 / 审核中 / 已退回 / 已撤销 for the page's status tag."""
    return wording.page_status(page)


@register.simple_tag
def where_it_stands(workflow_state):
    """The workflow dialog's heading: the step, its reviewer, since when, the submitter."""
    return wording.where_it_stands(workflow_state)
