"""The coasts of France and England around the Channel, drawn offline.

global-land-mask ships a 1 km land/sea grid of the globe; the land of a box around the sites
is traced into polygons with contourpy (which matplotlib installs), so no map tile, CDN or
shapefile download is needed.
"""

from __future__ import annotations

from functools import cache

import numpy as np

STEP = 0.02  # degrees; about 2 km, finer than any site is apart


@cache
def land(west: float, east: float, south: float, north: float) -> list[np.ndarray]:
    """Outlines of the land within the box, each an (n, 2) array of lon, lat."""
    import contourpy
    from global_land_mask import globe

    lon = np.arange(west, east + STEP, STEP)
    lat = np.arange(south, north + STEP, STEP)
    grid_lon, grid_lat = np.meshgrid(lon, lat)
    mask = globe.is_land(grid_lat, grid_lon).astype(float)
    gen = contourpy.contour_generator(lon, lat, mask, fill_type="OuterOffset")
    points, offsets = gen.filled(0.5, 1.5)
    rings = []
    for pts, offs in zip(points, offsets, strict=True):
        ring = pts[offs[0]:offs[1]]  # the outer boundary; holes (lakes) are left out
        if len(ring) > 8:
            rings.append(ring)
    return rings


def box(lons: list[float], lats: list[float]) -> tuple[float, float, float, float]:
    """A box around the sites that also holds the English coast across from them, and room
    east of the easternmost for a name set beside it."""
    return (round(min(lons) - 1.2, 1), round(max(lons) + 1.5, 1),
            round(min(lats) - 0.4, 1), round(max(max(lats) + 0.6, 51.6), 1))


# where crossings land in England, by mode: the tunnel's terminal and the beaches where small
# boats come ashore (schematic: routes carry no endpoint); the nearest one is drawn
LANDINGS = {
    "lorry_tunnel": {"Folkestone": (1.15, 51.09)},
    "small_boat": {"Dungeness": (0.97, 50.92), "Hastings": (0.58, 50.85),
                   "Selsey": (-0.79, 50.73)},
}
# a ferry lands where it sails to: the French ports, and each one's English port
FERRY_PORTS = {"Dunkirk": (2.20, 51.05), "Calais": (1.87, 50.97), "Dieppe": (1.08, 49.93),
               "Ouistreham": (-0.25, 49.29), "Cherbourg": (-1.62, 49.65)}
SAILS_TO = {"Dunkirk": "Dover", "Calais": "Dover", "Dieppe": "Newhaven",
            "Ouistreham": "Portsmouth", "Cherbourg": "Poole"}
PORTS = {"Dover": (1.31, 51.12), "Newhaven": (0.06, 50.79), "Portsmouth": (-1.09, 50.80),
         "Poole": (-1.98, 50.71)}


def landing(mode: str, lon: float, lat: float) -> tuple[str, float, float]:
    """Where a route of `mode` from (lon, lat) lands in England: for a ferry the port its
    nearest French port sails to (Ouistreham's to Portsmouth, not to the nearer Newhaven),
    otherwise the nearest landing."""
    if mode in LANDINGS:
        name = _nearest(LANDINGS[mode], lon, lat)
        return (name, *LANDINGS[mode][name])
    port = SAILS_TO[_nearest(FERRY_PORTS, lon, lat)]
    return (port, *PORTS[port])


def _nearest(places: dict[str, tuple[float, float]], lon: float, lat: float) -> str:
    return min(places, key=lambda name: (places[name][0] - lon) ** 2
               + (places[name][1] - lat) ** 2)
