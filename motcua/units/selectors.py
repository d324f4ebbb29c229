"""Reads of the unit tree. The tree is small (a province has a few hundred units) and read on
every request, so it is loaded once per process and refreshed when a unit changes."""

from __future__ import annotations

import threading
from dataclasses import dataclass

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


def _load() -> dict[int, UnitNode]:
    global _tree
    tree = _tree
    if tree is None:
        with _lock:
            rows = Unit.objects.filter(is_active=True).values_list(
                "id", "code", "name", "level", "parent_id", "working_hours", "function")
            tree = {r[0]: UnitNode(*r) for r in rows}
            _tree = tree
    return tree


def invalidate(**_: object) -> None:
    global _tree
    _tree = None


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
        node = tree.get(current)
        current = node.parent_id if node else None
        if current is not None:
            siblings = sorted((n for n in children.get(current, []) if n.function == function), key=lambda n: n.code)
            if siblings:
                return siblings[0].id
    return None
