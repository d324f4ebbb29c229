"""Vietnamese first whatever the browser asks; English only after the user presses the switch
(docs/decisions/0002-language.md)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

from tests.pages.helpers import online_dossier, text

pytestmark = pytest.mark.django_db


def html_lang(html: str) -> str:
    match = re.search(r'<html lang="([^"]+)">', html)
    assert match, html[:200]
    return match.group(1)


def switch_form(html: str) -> str:
    match = re.search(r'<form class="lang-switch" method="post" action="([^"]+)">(.*?)</form>', html, re.S)
    assert match, "no language switch in the page"
    assert match.group(1) == "/i18n/setlang/"
    return match.group(2)


def choose(client: Client, language: str, next_url: str) -> None:
    r = client.post("/i18n/setlang/", {"language": language, "next": next_url})
    assert r.status_code == 302 and r["Location"] == next_url
    assert r.cookies[settings.LANGUAGE_COOKIE_NAME].value == language


@pytest.mark.parametrize(("url", "heading"), [
    ("/", "<h1>Tìm thủ tục, nộp hồ sơ và theo dõi kết quả</h1>"),
    ("/thu-tuc/1.001193/", '<h2 id="facts-title">Thông tin chính</h2>'),
    ("/desk/dang-nhap/", "<h1>Đăng nhập bàn làm việc một cửa</h1>"),
], ids=["home", "procedure", "desk-login"])
def test_an_english_browser_still_gets_vietnamese(english_client, url, heading):
    r = english_client().get(url)
    html = text(r)
    assert r.status_code == 200
    assert html_lang(html) == "vi" and heading in html
    assert r["Content-Language"] == "vi"
    assert "Accept-Language" not in r.get("Vary", "")
    # The switch offers English, labelled in English, without JavaScript: a POST form with CSRF and
    # the page to come back to.
    form = switch_form(html)
    assert 'name="csrfmiddlewaretoken"' in form
    assert f'<input type="hidden" name="next" value="{url}">' in form
    assert re.search(r'<button type="submit" class="link" name="language" value="en" lang="en" '
                     r'aria-label="Switch the interface to English">English</button>', form)


def test_switching_to_english_and_back(english_client, frozen):
    client = english_client()
    page = "/thu-tuc/1.001193/"
    choose(client, "en", page)
    r = client.get(page)
    html = text(r)
    assert html_lang(html) == "en" and r["Content-Language"] == "en"
    assert '<h2 id="facts-title">Key information</h2>' in html
    assert '<h2 id="legal-title">Legal basis</h2>' in html
    assert "VND 8,000" in html and "1 working day" in html and "Full online" in html
    # Tuesday 10/03/2026 09:00 + 1 working day, in English.
    assert "Wednesday, 11/03/2026 at 09:00" in html
    assert "Thông tin chính" not in html and "Căn cứ pháp lý" not in html
    # The data of the catalogue stays as published.
    assert "<h1>Đăng ký khai sinh</h1>" in html
    assert re.search(r'value="vi" lang="vi" aria-label="Chuyển giao diện sang Tiếng Việt">Tiếng Việt</button>',
                     switch_form(html))
    # Other pages follow the choice.
    html = text(client.get("/"))
    assert html_lang(html) == "en" and "<h1>Find procedures, submit dossiers and track results</h1>" in html

    choose(client, "vi", page)
    html = text(client.get(page))
    assert html_lang(html) == "vi"
    assert '<h2 id="facts-title">Thông tin chính</h2>' in html and "8.000 đồng" in html
    assert "Thứ Tư, 11/03/2026 lúc 09:00" in html and "Key information" not in html


def test_status_names_follow_the_language(english_client, frozen):
    dossier = online_dossier()
    citizen = english_client("025090000123")
    html = text(citizen.get("/ho-so/"))
    assert '<span class="badge s1">Mới đăng ký</span>' in html
    choose(citizen, "en", "/ho-so/")
    html = text(citizen.get("/ho-so/"))
    assert html_lang(html) == "en" and '<span class="badge s1">Submitted</span>' in html
    assert "<h1>My dossiers</h1>" in html or "My dossiers" in html

    official = english_client("tiepnhan.viettri")
    page = f"/desk/ho-so/{dossier.code}/"
    choose(official, "en", page)
    html = text(official.get(page))
    assert html_lang(html) == "en"
    assert '<span class="badge s1">Submitted</span>' in html
    assert "Dossier details" in html and "Processing history" in html and "Thông tin hồ sơ" not in html
    html = text(official.get("/desk/"))
    assert "Online dossiers awaiting check" in html and "Sign out" in html


def test_english_desk_login_and_error_messages(english_client):
    client = english_client()
    choose(client, "en", "/desk/dang-nhap/")
    html = text(client.get("/desk/dang-nhap/"))
    assert html_lang(html) == "en" and "<h1>Sign in to the One-Stop Desk</h1>" in html
    html = text(client.post("/desk/dang-nhap/", {}))
    assert "Please enter the username." in html
    html = text(client.post("/desk/dang-nhap/", {"username": "tiepnhan.viettri", "password": "wrong"}))
    # A message raised by a service (accounts.services.login_attempt) is translated as well.
    assert "Incorrect username or password." in html


def test_a_language_outside_languages_is_ignored(english_client):
    client = english_client()
    # Django's set_language accepts any language it has a catalogue for (French: it stores the cookie);
    # the middleware only activates one of LANGUAGES.
    r = client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert r.status_code == 302
    html = text(client.get("/"))
    assert html_lang(html) == "vi" and "Tìm thủ tục, nộp hồ sơ và theo dõi kết quả" in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "no-such-language"
    assert html_lang(text(client.get("/"))) == "vi"
    # A regional variant of a supported language counts as that language.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en-gb"
    assert html_lang(text(client.get("/"))) == "en"
    # An open redirect through "next" is not possible.
    r = client.post("/i18n/setlang/", {"language": "en", "next": "https://example.com/"})
    assert r.status_code == 302 and not r["Location"].startswith("https://example.com")


def test_the_choice_does_not_leak_to_the_next_request_of_the_thread(english_client):
    english = english_client()
    choose(english, "en", "/")
    assert html_lang(text(english.get("/"))) == "en"
    # Another visitor served right after by the same thread gets Vietnamese.
    assert html_lang(text(english_client().get("/"))) == "vi"
    from django.utils import translation

    assert translation.get_language() == settings.LANGUAGE_CODE


def test_the_api_stays_vietnamese_for_an_english_client(english_client, api):
    client = english_client()
    r = client.get("/api/v1/procedures/9.999999")
    assert r.status_code == 404
    assert r.json()["message"] == "Không có thủ tục mã 9.999999."
