"""The interface language: Vietnamese unless the user chose another (docs/decisions/0002-language.md).

Django's LocaleMiddleware also follows the browser's Accept-Language header; here only an explicit
choice counts: the `django_language` cookie that Django's `set_language` view (POST /i18n/setlang/)
writes. A browser set to English therefore still gets the Vietnamese pages until its user presses
"English", and the API keeps answering in Vietnamese to clients that never chose.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


def chosen_language(request: HttpRequest) -> str:
    """The language stored by `set_language` when it is (a variant of) one of LANGUAGES, else
    LANGUAGE_CODE. Accept-Language is never read."""
    value = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if value:
        try:
            return translation.get_supported_language_variant(value)
        except LookupError:
            pass
    return str(settings.LANGUAGE_CODE)


class ChosenLanguageMiddleware:
    """LocaleMiddleware without Accept-Language: activates the chosen language for one request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = chosen_language(request)
        # override() restores the previous language afterwards, so nothing leaks to the next
        # request served by this thread (or to code running after a test client request).
        with translation.override(language):
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
        # The page depends on the cookie only, never on Accept-Language.
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response
