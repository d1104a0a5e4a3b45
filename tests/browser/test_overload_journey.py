"""The waiting page of an overloaded server, in a real browser: accessible, under the real
Content-Security-Policy, and it comes back by itself to the page the person asked for."""

import pytest
from csp.utils import build_policy
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path
from playwright.sync_api import expect

from preau.core.overload import RETRY_PLACEHOLDER, waiting_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ASKED = {"count": 0}


def refusal(retry_after: int) -> HttpResponse:
    """What the limiter answers (same page, Retry-After and policy)."""
    body = waiting_page(retry_by_itself=True).replace(RETRY_PLACEHOLDER, str(retry_after))
    headers = {"Retry-After": str(retry_after), "Content-Security-Policy": build_policy()}
    return HttpResponse(body, status=503, headers=headers)


@login_not_required
def always_busy(request):
    return refusal(60)


@login_not_required
def busy_then_ready(request):
    ASKED["count"] += 1
    if ASKED["count"] == 1:
        return refusal(1)
    ready = '<!DOCTYPE html><html lang="fr"><head><title>Prêt — Préau</title></head><body><main><h1>Votre page</h1>'
    return HttpResponse(ready + "</main></body></html>")


urlpatterns = [path("attente/", always_busy), path("cahier/", busy_then_ready)]


@pytest.mark.urls(__name__)
def test_the_waiting_page_is_accessible(page, check_accessibility):
    page.goto("/attente/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Beaucoup de monde en ce moment")
    expect(page).to_have_title("Beaucoup de monde en ce moment — Préau")
    expect(page.get_by_role("status")).to_contain_text("Nous réessayons pour vous dans environ")
    check_accessibility(page)


@pytest.mark.urls(__name__)
def test_the_waiting_page_retries_by_itself_under_the_content_security_policy(page):
    ASKED["count"] = 0
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto("/cahier/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre page", timeout=8_000)
    assert ASKED["count"] == 2
    assert not [e for e in errors if "Content Security Policy" in e], errors
