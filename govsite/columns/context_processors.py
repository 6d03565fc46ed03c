def site_columns(request):
    """The eight columns of the main navigation, for every public page."""
    from .models import ColumnPage

    return {"site_columns": ColumnPage.objects.live().in_menu().filter(depth=3).order_by("path")}
