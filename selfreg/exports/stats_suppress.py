"""Small-cell suppression over linked tables, as pure functions on counts.

A *cell* is any published count, named by a hashable key. A *family* says that some cells
(its members) add up to another cell (its total) — a table and its total, or the centres of a
municipality and that municipality's own count. The rules (see ``selfreg.exports.stats`` for
why) are applied until nothing changes; suppression only ever grows, so this ends.

1. Primary: a count from 1 to ``min_cell - 1`` is suppressed. Zero is shown: it describes
   no one.
2. A family whose total is shown and exactly one of whose members is suppressed would give
   that member away (total minus the shown members): the smallest shown member above zero
   is suppressed too. With no such member, the total is suppressed instead, if it may be.
3. A family whose total is suppressed while all its members are shown would give the total
   away (the sum of the members): its smallest member above zero is suppressed.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Hashable, Mapping, Sequence


@dataclass(frozen=True)
class Family:
    total: Hashable
    members: tuple[Hashable, ...]
    # False when members may overlap (one person in several categories): the members then add
    # up to more than the total, and rule 2 still applies (to be safe) but never hides the total.
    exact: bool = True


def primary(counts: Mapping[Hashable, int], min_cell: int) -> set[Hashable]:
    return {key for key, count in counts.items() if 0 < count < min_cell}


def _smallest_shown(family: Family, counts: Mapping[Hashable, int],
                    hidden: set[Hashable]) -> Hashable | None:
    shown = [(counts[key], index, key) for index, key in enumerate(family.members)
             if key not in hidden and counts[key] > 0]
    return min(shown, key=lambda item: item[:2])[2] if shown else None


def suppress(counts: Mapping[Hashable, int], families: Sequence[Family], min_cell: int,
             *, fixed: frozenset = frozenset()) -> set[Hashable]:
    """The keys of every cell to suppress. ``fixed`` cells are never suppressed by rule 2.

    Rule 2 hides a family total only as a last resort, and only a total that is itself a
    published cell of another table (e.g. a municipality), never one in ``fixed``.
    """
    hidden = primary(counts, min_cell)
    changed = True
    while changed:
        changed = False
        for family in families:
            hidden_members = [key for key in family.members if key in hidden]
            if family.total in hidden:
                if hidden_members:
                    continue
                pick = _smallest_shown(family, counts, hidden)
            elif len(hidden_members) == 1:
                pick = _smallest_shown(family, counts, hidden)
                if pick is None and family.exact and family.total not in fixed:
                    pick = family.total
            else:
                continue
            if pick is not None:
                hidden.add(pick)
                changed = True
    return hidden
