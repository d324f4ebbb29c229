from tests.pages.conftest import _fresh_cache, client_as, frozen  # noqa: F401
