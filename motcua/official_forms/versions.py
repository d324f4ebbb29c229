"""Form sets by effective date.

The forms are laid down by a circular; when a new circular replaces them (Circular 03/2025/TT-VPCP
replaces 01/2018/TT-VPCP), a new set is added here with its own templates under
`templates/official_forms/<key>/` and its effective date. A dossier's forms are always printed
with the set in force on the day the dossier was received (or created, if it never was), so old
dossiers keep the forms they were issued with; a tracking book uses the set in force on the first
day of its period. A set may leave a form out (`forms` has no entry): that form then does not
apply to dossiers of that set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

FORM_CODES = ("mau-01", "mau-02", "mau-03", "mau-04", "mau-05", "mau-06")


@dataclass(frozen=True)
class FormSet:
    key: str
    title: str
    effective_from: date
    forms: dict[str, str] = field(default_factory=dict)

    def template(self, form: str) -> str | None:
        name = self.forms.get(form)
        return f"official_forms/{self.key}/{name}" if name else None


TT01_2018 = FormSet(
    key="tt01-2018",
    title="Thông tư số 01/2018/TT-VPCP",
    # Circular 01/2018/TT-VPCP of 23/11/2018, in force from 08/01/2019.
    effective_from=date(2019, 1, 8),
    forms={code: code.replace("-", "_") + ".html" for code in FORM_CODES},
)

# Oldest first. Add the Circular 03/2025/TT-VPCP set here (with its effective date) when its
# templates are written; nothing else changes.
FORM_SETS: tuple[FormSet, ...] = (TT01_2018,)


def form_set_for(day: date, sets: tuple[FormSet, ...] = FORM_SETS) -> FormSet:
    """The set in force on `day`; days before the first set use the first set."""
    ordered = sorted(sets, key=lambda s: s.effective_from)
    chosen = ordered[0]
    for candidate in ordered:
        if candidate.effective_from <= day:
            chosen = candidate
    return chosen
