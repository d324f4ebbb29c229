"""Who an actor is: the roles and units of a user, read once per request."""

from __future__ import annotations

from dataclasses import dataclass, field

from motcua.units.selectors import unit_descendant_ids

from .models import Membership, Role, User, UserKind


@dataclass(frozen=True)
class Actor:
    """A user with the roles they hold, keyed by unit id. `system` actors (imports, payment
    callbacks) bypass role checks but are recorded."""

    user: User | None
    roles_by_unit: dict[int, frozenset[str]] = field(default_factory=dict)
    system: bool = False

    @property
    def user_id(self) -> int | None:
        return self.user.pk if self.user is not None else None

    @property
    def is_citizen(self) -> bool:
        return self.user is not None and self.user.kind == UserKind.CITIZEN

    @property
    def is_admin(self) -> bool:
        return self.user is not None and (
            self.user.is_superuser or any(Role.ADMIN in roles for roles in self.roles_by_unit.values())
        )

    def has_role(self, role: str, unit_id: int | None) -> bool:
        return unit_id is not None and role in self.roles_by_unit.get(unit_id, frozenset())

    def has_role_anywhere(self, role: str) -> bool:
        return any(role in roles for roles in self.roles_by_unit.values())

    def unit_ids(self) -> set[int]:
        return set(self.roles_by_unit)

    def units_with(self, role: str) -> list[int]:
        """The units where the actor holds `role`."""
        return [unit for unit, roles in self.roles_by_unit.items() if role in roles]

    def supervised_unit_ids(self) -> set[int]:
        """Units a supervisor (or leader) sees: their own and everything below them."""
        top = {u for u, roles in self.roles_by_unit.items() if Role.SUPERVISOR in roles or Role.LEADER in roles}
        return unit_descendant_ids(top) if top else set()


def actor_for(user: User) -> Actor:
    roles: dict[int, set[str]] = {}
    for unit_id, role in Membership.objects.filter(user=user).values_list("unit_id", "role"):
        roles.setdefault(unit_id, set()).add(role)
    return Actor(user=user, roles_by_unit={k: frozenset(v) for k, v in roles.items()})


def system_actor(user: User | None = None) -> Actor:
    return Actor(user=user, system=True)


def user_primary_unit(user: User) -> Membership | None:
    return Membership.objects.select_related("unit").filter(user=user).order_by("id").first()
