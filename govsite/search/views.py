"""站内搜索, the public search page (SPEC §11 "Chinese full-text search").

Dynamic but cache-friendly: it reads neither the session nor the user and sets no cookie, so a
shared cache may keep a result page for ``cache_seconds``.
"""

from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from .conf import SEARCH
from .forms import SearchForm
from .query import search, suggestions


@require_safe
@cache_control(public=True, max_age=SEARCH["cache_seconds"])
def search_view(request):
    form = SearchForm(request.GET or None)
    context = {"form": form, "searched": False}
    if form.is_bound and form.is_valid() and form.cleaned_data["q"].strip():
        text = form.cleaned_data["q"].strip()
        filters = form.filters()
        tokens, results = search(text, filters)
        page = Paginator(results, SEARCH["page_size"]).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        others = query.copy()
        others.pop("q", None)
        context.update(
            searched=True,
            query_text=text,
            tokens=tokens,
            page_obj=page,
            total=page.paginator.count,
            capped=results.capped,
            base_query=query.urlencode(),
            base_query_without_q=f"{others.urlencode()}&" if others else "",
            suggestions=[] if page.paginator.count else suggestions(text, tokens, filters),
        )
    return TemplateResponse(request, "search/search.html", context)
