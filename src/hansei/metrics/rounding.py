"""Rounding of published figures: half up, in decimal, at fixed places.

Python's round() rounds half to even on binary floats (round(0.125, 2) gives
0.12); a postmortem reader expects 0.13. Every figure hansei shows is rounded
here, once, from the exact value.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

MINUTES_PLACES = 2
AVAILABILITY_PLACES = 3
WINDOW_PCT_PLACES = 2
BUDGET_PCT_PLACES = 1


def round_half_up(value: float, places: int) -> float:
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))
