"""Reads of the unit tree. The tree is small (a province has a few hundred units) and read on
every request, so it is loaded once per process: refreshed at once in the process that changes a
unit, and in the other server processes within MOTCUA["REFERENCE_CACHE_SECONDS"]."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models.signals import post_delete, post_save

from motcua.core.errors import ValidationFailed

from .models import Unit


@dataclass(frozen=True)
class UnitNode:
    id: int
    code: str
    name: str
    level: str
    parent_id: int | None
    working_hours: str
    function: str = ""


_lock = threading.Lock()
_tree: dict[int, UnitNode] | None = None
_loaded_at = 0.0
# Units that are no longer active, by id: dossiers keep naming them.
_retired: dict[int, tuple[str, str]] = {}


def _load() -> dict[int, UnitNode]:
    global _tree, _loaded_at
    tree = _tree
    if tree is None or time.monotonic() - _loaded_at > float(str(settings.MOTCUA.get("REFERENCE_CACHE_SECONDS", 60))):
        with _lock:
            rows = Unit.objects.filter(is_active=True).values_list(
                "id", "code", "name", "level", "parent_id", "working_hours", "function")
            tree = {r[0]: UnitNode(*r) for r in rows}
            _tree, _loaded_at = tree, time.monotonic()
            _retired.clear()
    return tree


def invalidate(**_: object) -> None:
    global _tree
    _tree = None
    _retired.clear()


post_save.connect(invalidate, sender=Unit, dispatch_uid="units-tree-save")
post_delete.connect(invalidate, sender=Unit, dispatch_uid="units-tree-delete")


def unit_node(unit_id: int) -> UnitNode | None:
    return _load().get(unit_id)


def unit_descendant_ids(unit_ids: set[int]) -> set[int]:
    """The given units and every unit below them."""
    tree = _load()
    children: dict[int | None, list[int]] = {}
    for node in tree.values():
        children.setdefault(node.parent_id, []).append(node.id)
    result: set[int] = set()
    stack = list(unit_ids)
    while stack:
        current = stack.pop()
        if current in result:
            continue
        result.add(current)
        stack.extend(children.get(current, []))
    return result


def unit_refs(unit_ids: set[int]) -> dict[int, tuple[str, str]]:
    """Code and name of each unit, active or not, from the process's copy of the tree (the
    representations of dossiers and events name units without joining the unit table)."""
    tree = _load()
    refs = {i: (tree[i].code, tree[i].name) for i in unit_ids if i in tree}
    refs.update({i: ref for i in unit_ids if i not in refs and (ref := _retired.get(i)) is not None})
    missing = [i for i in unit_ids if i not in refs]
    if missing:
        for unit_id, code, name in Unit.objects.filter(id__in=missing).values_list("id", "code", "name"):
            refs[unit_id] = _retired[unit_id] = (code, name)
    return refs


def unit_ids() -> set[int]:
    """Every active unit."""
    return set(_load())


def unit_choices(unit_ids: Iterable[int]) -> list[tuple[str, str]]:
    """(code, name) of the active units among `unit_ids`, by name (from the process's copy of the tree)."""
    tree = _load()
    return sorted(((tree[i].code, tree[i].name) for i in set(unit_ids) if i in tree), key=lambda c: (c[1], c[0]))


def unit_get_by_code(code: str) -> Unit:
    unit = Unit.objects.filter(code=code, is_active=True).first()
    if unit is None:
        raise ValidationFailed("unknown_unit", f"Không có đơn vị mã {code!r}.", details={"unit": code})
    return unit


def unit_list(*, level: str | None = None, parent: str | None = None) -> list[Unit]:
    qs = Unit.objects.select_related("parent").filter(is_active=True)
    if level:
        qs = qs.filter(level=level)
    if parent:
        qs = qs.filter(parent__code=parent)
    return list(qs.order_by("code"))


def unit_nearest_with_function(start_id: int, function: str) -> int | None:
    """The unit with `function` nearest to `start_id`: among its children, then the children of
    its parent, and so on up the tree (e.g. "@police" from a commune finds the commune police)."""
    tree = _load()
    children: dict[int | None, list[UnitNode]] = {}
    for node in tree.values():
        children.setdefault(node.parent_id, []).append(node)
    current: int | None = start_id
    while current is not None:
        for candidates in (children.get(current, []), [tree[current]] if current in tree else []):
            matches = sorted((n for n in candidates if n.function == function), key=lambda n: n.code)
            if matches:
                return matches[0].id
        here = tree.get(current)
        current = here.parent_id if here else None
        if current is not None:
            siblings = sorted((n for n in children.get(current, []) if n.function == function), key=lambda n: n.code)
            if siblings:
                return siblings[0].id
    return None
