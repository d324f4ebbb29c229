"""Settings of the throw-away server process the kill tests start: the base settings, the test
database and file store named in the environment, an in-process cache."""

from config.settings.base import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
