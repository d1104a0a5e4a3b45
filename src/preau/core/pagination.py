"""The one pagination of Préau: 50 rows a page, links that keep the other filters."""

from django.core.paginator import Page, Paginator

PAGE_SIZE = 50


def page_of(request, queryset, param: str = "page", per_page: int = PAGE_SIZE) -> Page:
    """One page of `queryset` with `first_url`, `previous_url`, `next_url` and `last_url`
    for core/pagination.html."""
    page = Paginator(queryset, per_page).get_page(request.GET.get(param))

    def link(number: int) -> str:
        query = request.GET.copy()
        query[param] = number
        return f"?{query.urlencode()}"

    page.previous_url = link(page.previous_page_number()) if page.has_previous() else ""
    page.next_url = link(page.next_page_number()) if page.has_next() else ""
    page.first_url, page.last_url = link(1), link(page.paginator.num_pages)
    return page
