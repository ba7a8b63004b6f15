"""What each observed series is in a run, so `validate` can refuse a target the model does not
simulate without loading the engine."""

from __future__ import annotations

from .. import scenario
from ..scenario import MODES

BOAT, LORRY = (MODES.index("small_boat"),), (MODES.index("lorry_ferry"),
                                               MODES.index("lorry_tunnel"))
# what each observed series is in a run: (route array, modes) summed over the row's days, or
# a site stock averaged over them
SIMULATED = {
    "small_boat_arrivals_monthly": ("crossings", BOAT),
    "small_boat_arrivals_yearly": ("crossings", BOAT),
    "french_preventions": ("interceptions", BOAT),
    "small_boats_yearly": ("boats", BOAT),  # crossings over the day's people per boat
    "people_per_boat": ("per_boat", BOAT),
    "juxtaposed_detections": ("interceptions", LORRY),
    "deaths": ("deaths", None),  # the row's mode: small_boat or all
    "camp_counts": ("waiting", None),
}


def unsimulated(cal: scenario.Calibration) -> list[tuple[str, str]]:
    """The targets naming an observed series the model does not simulate, as problems."""
    return [(f"calibration.targets.{i}.series", f"'{t.series}' is not simulated yet; "
             f"allowed: {', '.join(SIMULATED)}")
            for i, t in enumerate(cal.targets) if t.series not in SIMULATED]
