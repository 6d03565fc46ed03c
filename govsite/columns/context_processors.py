from .models import navigation_columns


def site_columns(request):
    """The eight columns of the main navigation, for every public page: read when a template
    shows them (the admin's never do), from the render cache."""
    return {"site_columns": navigation_columns}
