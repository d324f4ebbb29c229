"""The side effects of the dossier services, run after the transaction that decided them commits.

A service decides and records in one short transaction on the locked row; what is slow or talks to
the outside (signing and rendering a result, recognising the text of a scan, and soon messages,
payment requests, the national portal) is scheduled here with `schedule(EFFECT, id)` and runs once
the transaction has committed: never for a change that was rolled back, never under the row's lock.

This module is the one seam between the services and the way effects run. Today an effect runs in
the same process right after the commit (`transaction.on_commit`; inside a request, before the
answer is written, so an API answer already shows what the effect attached). The background-work
system replaces `_dispatch` with an enqueued task; every effect is written for that already:

- it is registered under a name (`@effect(NAME)`, a task name) and takes ids only;
- it is idempotent (it looks for what it would make before making it), so a retry is harmless;
- it opens its own transactions and locks only while it writes.

An effect that fails is logged with its name and arguments and does not undo the committed change.

Adding an effect: write the function (ids in, idempotent) in the module that owns the rule, name it
here and register it with `@effect(NAME)`, and `schedule(NAME, id)` from the service, inside its
transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any, Final, TypeVar

from django.db import transaction

log = logging.getLogger("motcua.effects")

ISSUE_RESULT: Final = "dossiers.issue_result"  # results.result_issue(resolve event id)
RECOGNISE_TEXT: Final = "dossiers.recognise_text"  # ocr.attachment_ocr(attachment id)

# Every effect by name, registered by the module that owns it (`@effect(NAME)`).
EFFECTS: dict[str, Callable[..., Any]] = {}

F = TypeVar("F", bound=Callable[..., Any])


def effect(name: str) -> Callable[[F], F]:
    """Register the decorated function as effect `name`."""

    def register(function: F) -> F:
        if EFFECTS.setdefault(name, function) is not function:
            raise ValueError(f"two effects named {name!r}")
        return function

    return register


def schedule(name: str, *args: int | str) -> None:
    """Run effect `name` with `args` once the current transaction commits (at once outside one)."""
    if name not in EFFECTS:
        raise KeyError(f"unknown effect {name!r}")
    transaction.on_commit(partial(_dispatch, name, args))


def _dispatch(name: str, args: tuple[int | str, ...]) -> None:
    """Run one effect now (the background-work system enqueues it here instead)."""
    run(name, *args)


def run(name: str, *args: int | str) -> None:
    """Run effect `name` in this process; a failure is logged, never raised."""
    try:
        EFFECTS[name](*args)
    except Exception:
        log.exception("effect failed", extra={"effect": name, "args": [str(a) for a in args]})
