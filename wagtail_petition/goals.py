"""The milestone ladder and goal arithmetic: pure functions, no Django."""

from collections.abc import Callable, Iterable, Iterator
from itertools import count, takewhile

Ladder = Callable[[], Iterable[int]]


def default_ladder() -> Iterator[int]:
    """10, 25, 50, 100, 500, 1,000, 5,000, 10,000, 50,000, 100,000 and on,
    endlessly: the reference page's timeline (10, 25, 50, 100, 500, 1,000), then
    a step at each 1 and 5."""
    yield from (10, 25, 50)
    for exponent in count(2):
        yield 10**exponent
        yield 5 * 10**exponent


def milestones_crossed(
    old: int, new: int, ladder: Iterable[int], fixed_goal: int | None = None
) -> list[int]:
    """The thresholds in ``(old, new]``, a fixed goal included: what a count moving
    from ``old`` to ``new`` reaches."""
    crossed = {t for t in takewhile(lambda t: t <= new, ladder) if t > old}
    if fixed_goal and old < fixed_goal <= new:
        crossed.add(fixed_goal)
    return sorted(crossed)


def next_goal(current: int, ladder: Iterable[int]) -> int | None:
    """The first threshold above ``current``, or None once a finite ladder is used up."""
    return next((t for t in ladder if t > current), None)


def goal_for(current: int, ladder: Iterable[int], fixed_goal: int | None) -> int | None:
    """The goal to show: a fixed goal when one is set, else the ladder's next step."""
    if fixed_goal:
        return fixed_goal
    return next_goal(current, ladder)
