"""What organizers may see: a figure about people only where at least five of them contributed.
Pure: no Flask, no database.

Two rules keep small numbers out of sight:

1. Threshold. A figure drawn from fewer than MIN_CONTRIBUTORS distinct people is not shown at
   all, and neither is its count: the page says it is hidden, never "3 people".
2. No backing out. A hidden group's figure must not be recoverable as "overall minus the groups
   shown". `hidden_parts` therefore also hides the smallest shown groups until the people left out
   of every shown group are either nobody or at least five (complementary suppression). Whatever
   can be worked out from the overall figure and the shown ones is then about five people or more.
"""
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

MIN_CONTRIBUTORS = 5
HIDDEN_NOTE = "Fewer than five people — hidden to protect privacy"


@dataclass(frozen=True)
class Figure:
    """One aggregate as the page shows it. When `hidden`, value and people are None on purpose,
    so a template can't print the small count by mistake."""

    value: object = None
    people: int | None = None
    hidden: bool = False

    @property
    def note(self) -> str:
        return HIDDEN_NOTE if self.hidden else ""


HIDDEN = Figure(hidden=True)


def enough(people: int) -> bool:
    return people >= MIN_CONTRIBUTORS


def figure(value: object, people: int) -> Figure:
    """The value with its number of contributors, or HIDDEN below five."""
    return Figure(value, people) if enough(people) else HIDDEN


def round_half_up(value: Fraction | float, places: int = 1) -> float:
    """5.25 -> 5.3, as people round (float round() gives 5.2)."""
    exact = Decimal(value.numerator) / Decimal(value.denominator) if isinstance(value, Fraction) else Decimal(str(value))
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def mean_figure(values_by_person: Mapping[Hashable, int]) -> Figure:
    """The mean (one decimal) of one value per person, shown only for five people or more."""
    if not enough(len(values_by_person)):
        return HIDDEN
    total = Fraction(sum(values_by_person.values()), len(values_by_person))
    return Figure(round_half_up(total), len(values_by_person))


@dataclass(frozen=True)
class Share:
    count: int
    out_of: int

    @property
    def percent(self) -> int:
        """Whole percent, rounded half up."""
        return int(round_half_up(Fraction(100 * self.count, self.out_of), 0)) if self.out_of else 0


def share_figure(count: int, out_of: int) -> Figure:
    """'count of out_of (percent)', shown only where the denominator is five people or more."""
    return Figure(Share(count, out_of), out_of) if enough(out_of) else HIDDEN


def hidden_parts(parts: Mapping[Hashable, Iterable[Hashable]], everyone: Iterable[Hashable]) -> set:
    """Which parts (say groups, each a set of person ids) to hide: those under five people, and then
    the smallest shown ones (ties: lowest key; keys must sort) until the people covered by no shown part number
    zero or at least five. With `everyone` under five the overall is hidden as well, by the caller."""
    people = {key: set(members) for key, members in parts.items()}
    everyone = set(everyone)
    hidden = {key for key, members in people.items() if not enough(len(members))}
    while True:
        shown = [key for key in people if key not in hidden]
        covered = set().union(*(people[key] for key in shown)) if shown else set()
        left_out = len(everyone - covered)
        if left_out == 0 or enough(left_out) or not shown:
            return hidden
        hidden.add(min(shown, key=lambda key: (len(people[key]), key)))
