"""``{% load govsite_jobs %}``: what a page showing a job (``jobs/_status.html``) asks of the
rules."""

from django import template

from .. import rules

register = template.Library()


@register.filter
def downloadable_by(job, user):
    """Whether ``user`` may download ``job``'s result file (``rules.may_download``)."""
    return bool(job.result_file) and rules.may_download(user, job)
