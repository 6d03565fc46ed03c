def site_columns(request):
    """The eight columns of the main navigation, for every public page."""
    from .models import ColumnPage, structure_pages

    return {"site_columns": structure_pages(ColumnPage, depth=3, in_menu=True)}
