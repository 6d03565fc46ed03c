from django import template

from ..toolbar import toolbar

register = template.Library()


@register.simple_tag
def accessibility_toolbar():
    """The toolbar's controls (data/toolbar.toml) for its template and the help page."""
    return toolbar()
