"""Django's makemessages, also extracting `_l("...")`: the project's alias of gettext_lazy where
`_` is already gettext (docs/decisions/0002-language.md)."""

from __future__ import annotations

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_l"]
