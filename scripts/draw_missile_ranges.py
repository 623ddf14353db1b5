#!/usr/bin/env python3
"""Draw the range map of the Soviet ballistic missiles in Cuba (1962) as SVG.

Usage (from the project root, after ``cd /tmp && npm install world-atlas@2``)::

    python3 scripts/draw_missile_ranges.py /tmp/node_modules/world-atlas/land-50m.json

writes ``docs/assets/missile-ranges.svg`` (``--out`` to write elsewhere) and
prints, for each reference city, its great-circle distance from the centre
and whether it lies inside each range circle (the text equivalent in the
chapter is based on that table).

What the figure shows
---------------------
* Inner circle, medium-range ballistic missile (SS-4): 1,100 nautical miles,
  the "maximum range" the CIA gave for the SS-4 in its memorandum "Probable
  Soviet MRBM Sites in Cuba" of 16 October 1962 (key
  ``cia_mrbm_sites_19621016``).  President Kennedy's address of 22 October
  1962 (key ``jfkl_address_19621022``) said only "more than 1000 nautical
  miles"; the legend quotes both.
* Outer circle, intermediate-range ballistic missile (R-14): Kennedy said the
  IRBMs were "capable of traveling more than twice as far".  No source seen
  gives a figure, so the circle is drawn at 2 x 1,000 nautical miles and is a
  LOWER BOUND read from his wording; the figure says so.
* Kilometres and statute miles are conversions made here: 1 nautical mile =
  1,852 m exactly; 1 statute mile = 1,609.344 m exactly.
* Centre: the CIA memorandum placed the first MRBM sites "about 50 nautical
  miles west-southwest of Havana".  The centre is computed as that point
  (Havana's rounded coordinates, 50 nmi on bearing 247.5 degrees).  It is an
  approximation, not a surveyed launch-site position; the script checks that
  it lies on land in the Natural Earth data.  Other sites (and the planned
  IRBM sites) lay elsewhere in Cuba, so real coverage differed somewhat.
* Exact wording and where it was seen: ``research/notes/figure.md``.
* Coastlines: Natural Earth 1:50m land, as redistributed in TopoJSON by the
  npm package world-atlas (version 2.x, file land-50m.json).

Method
------
* TopoJSON decoding is done here (standard library only): each arc is a list
  of quantized, delta-encoded positions; positions are accumulated and then
  mapped to degrees with the topology's ``transform`` (scale, translate).  A
  negative arc index ``~i`` means arc ``i`` reversed; consecutive arcs of a
  ring share an end point, which is dropped once.
* Projection: azimuthal equidistant, centered on ``centre()``.  In this
  projection every distance measured from the centre is true to scale, so a
  geodesic circle around the centre projects to an exact circle.
* The range circles are computed as geodesic circles on a sphere of radius
  6,371 km (the mean Earth radius): for each bearing from 0 to 359 degrees the
  point at the given great-circle distance is found with the spherical
  "destination point" formula and then projected.  The script asserts that
  the projected points lie at a constant radius, which checks the two
  computations against each other.  (A spherical model differs from the
  ellipsoid by well under one per cent at these distances, far finer than the
  "more than" of the source.)
* Land polygons are clipped to the frame (Sutherland-Hodgman) and their
  coordinates are rounded to 0.1 SVG unit, with near-duplicate points dropped,
  to keep the file small (target: under 150 KB).
* The SVG carries its own background, <title> and <desc>, a viewBox, no
  scripts and no external references.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

# --------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------

EARTH_RADIUS_KM = 6371.0  # mean radius of the Earth (sphere model)
KM_PER_NMI = 1.852  # exact, by definition of the international nautical mile
KM_PER_MI = 1.609344  # exact, statute mile

# Centre of the circles: the first MRBM sites reported by the CIA on
# 16 October 1962 lay "in the Sierra del Rosario mountains, about 50 nautical
# miles west-southwest of Havana" (key cia_mrbm_sites_19621016).  The centre is
# therefore computed as the point 50 nautical miles from Havana on bearing
# 247.5 degrees (west-southwest).  It is approximate, not a surveyed site.
HAVANA = (23.11, -82.37)  # general-geography coordinates, rounded
CENTRE_OFFSET_NMI = 50.0
CENTRE_BEARING_DEG = 247.5

# Ranges as the sources give them (nautical miles) and how they are drawn.
RANGES = [
    {
        "id": "mrbm",
        "nmi": 1100,
        "prefix": "",
        "label": "MRBM (SS-4)",
        "legend": [
            "SS-4: \u201cmaximum range of ... 1,100 nautical miles\u201d",
            "(CIA memorandum, 16 October 1962). Kennedy on",
            "22 October: \u201cmore than 1000 nautical miles\u201d.",
        ],
        "color": "#b3261e",
        "dash": None,
        "label_bearing": 97,
    },
    {
        "id": "irbm",
        "nmi": 2000,
        "prefix": "\u2265 ",
        "label": "IRBM (R-14)",
        "legend": [
            "Kennedy: IRBMs \u201ccapable of traveling more than",
            "twice as far\u201d. Drawn at 2 \u00d7 1,000 nmi, a lower",
            "bound read from his wording, not a stated figure.",
        ],
        "color": "#1d4f91",
        "dash": "9 5",
        "label_bearing": 312,
    },
]

# The area the map must show (degrees): roughly 140W-50W, 0N-60N.
LON_MIN, LON_MAX, LAT_MIN, LAT_MAX = -140.0, -50.0, 0.0, 60.0

# Reference cities: general-geography coordinates (lat, lon), rounded.
CITIES = [
    ("Washington, D.C.", 38.90, -77.04, "r"),
    ("New York", 40.71, -74.01, "r"),
    ("Chicago", 41.88, -87.63, "l"),
    ("Dallas", 32.78, -96.80, "l"),
    ("Denver", 39.74, -104.99, "l"),
    ("Los Angeles", 34.05, -118.24, "r"),
    ("Seattle", 47.61, -122.33, "r"),
    ("Mexico City", 19.43, -99.13, "r"),
    ("Panama City", 8.98, -79.52, "r"),
    ("Miami", 25.76, -80.19, "r"),
    ("Havana", 23.11, -82.37, "r"),
]

# Labels for bodies of water (lat, lon); the script checks they are not on land.
WATER_LABELS = [
    ("Hudson Bay", 58.5, -86.0),
    ("Gulf of Mexico", 25.0, -91.0),
    ("Pacific Ocean", 29.0, -128.0),
    ("Atlantic Ocean", 30.0, -62.0),
]

WIDTH = 800.0  # SVG user units across the frame
MARGIN = 2.0  # clip slightly outside the frame so clip edges stay invisible

COLORS = {
    "sea": "#e9eff4",
    "land": "#d8d3c4",
    "coast": "#8f8a7c",
    "graticule": "#b9c6d1",
    "text": "#1b1b1b",
    "halo": "#ffffff",
    "frame": "#5f6b75",
}


# --------------------------------------------------------------------------
# Spherical geometry
# --------------------------------------------------------------------------

def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine) on the sphere, in km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def destination(lat: float, lon: float, bearing_deg: float, dist_km: float) -> tuple[float, float]:
    """Point reached from (lat, lon) along a great circle at the given bearing."""
    d = dist_km / EARTH_RADIUS_KM
    p1, l1, th = math.radians(lat), math.radians(lon), math.radians(bearing_deg)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(th))
    l2 = l1 + math.atan2(
        math.sin(th) * math.sin(d) * math.cos(p1),
        math.cos(d) - math.sin(p1) * math.sin(p2),
    )
    return math.degrees(p2), (math.degrees(l2) + 540.0) % 360.0 - 180.0


def centre() -> tuple[float, float]:
    """Approximate site area: 50 nmi west-southwest of Havana."""
    return destination(*HAVANA, CENTRE_BEARING_DEG, CENTRE_OFFSET_NMI * KM_PER_NMI)


class AzimuthalEquidistant:
    """Azimuthal equidistant projection centered on (lat0, lon0).

    Returns (x, y) in km on the plane, x to the east, y to the north.
    """

    def __init__(self, lat0: float, lon0: float):
        self.p0, self.l0 = math.radians(lat0), math.radians(lon0)

    def __call__(self, lat: float, lon: float) -> tuple[float, float]:
        p, dl = math.radians(lat), math.radians(lon) - self.l0
        cos_c = math.sin(self.p0) * math.sin(p) + math.cos(self.p0) * math.cos(p) * math.cos(dl)
        c = math.acos(max(-1.0, min(1.0, cos_c)))
        k = 1.0 if c < 1e-12 else c / math.sin(c)
        x = k * math.cos(p) * math.sin(dl)
        y = k * (math.cos(self.p0) * math.sin(p) - math.sin(self.p0) * math.cos(p) * math.cos(dl))
        return x * EARTH_RADIUS_KM, y * EARTH_RADIUS_KM


# --------------------------------------------------------------------------
# TopoJSON decoding
# --------------------------------------------------------------------------

def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Decode all arcs to lists of (lon, lat) in degrees."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for dx, dy, *_ in arc:
                x += dx
                y += dy
                points.append((x * sx + tx, y * sy + ty))
        else:  # unquantized topology: absolute positions
            points = [(p[0], p[1]) for p in arc]
        arcs.append(points)
    return arcs


def ring_from_arcs(indices: list[int], arcs: list) -> list[tuple[float, float]]:
    """Stitch a ring from arc indices (negative index ~i = arc i reversed)."""
    ring: list[tuple[float, float]] = []
    for index in indices:
        points = arcs[~index][::-1] if index < 0 else arcs[index]
        ring.extend(points[1:] if ring else points)
    return ring


def polygons(topology: dict, object_name: str) -> list[list[list[tuple[float, float]]]]:
    """All polygons (each a list of rings of (lon, lat)) of one object."""
    arcs = decode_arcs(topology)
    obj = topology["objects"][object_name]
    geometries = obj["geometries"] if obj["type"] == "GeometryCollection" else [obj]
    result = []
    for geometry in geometries:
        if geometry["type"] == "Polygon":
            parts = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            parts = geometry["arcs"]
        else:
            continue
        for polygon in parts:
            result.append([ring_from_arcs(ring, arcs) for ring in polygon])
    return result


def point_in_ring(lon: float, lat: float, ring: list[tuple[float, float]]) -> bool:
    """Even-odd test in plain lon/lat (adequate for small rings away from poles)."""
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def on_land(lat: float, lon: float, land: list) -> bool:
    count = 0
    for polygon in land:
        for ring in polygon:
            if point_in_ring(lon, lat, ring):
                count += 1
    return count % 2 == 1


# --------------------------------------------------------------------------
# Planar helpers
# --------------------------------------------------------------------------

def clip_polygon(ring, xmin, ymin, xmax, ymax):
    """Sutherland-Hodgman clipping of a closed ring to a rectangle."""
    def clip(points, inside, intersect):
        out = []
        if not points:
            return out
        prev = points[-1]
        for cur in points:
            if inside(cur):
                if not inside(prev):
                    out.append(intersect(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(intersect(prev, cur))
            prev = cur
        return out

    def at_x(x0):
        return lambda a, b: (x0, a[1] + (b[1] - a[1]) * (x0 - a[0]) / (b[0] - a[0]))

    def at_y(y0):
        return lambda a, b: (a[0] + (b[0] - a[0]) * (y0 - a[1]) / (b[1] - a[1]), y0)

    pts = ring
    pts = clip(pts, lambda p: p[0] >= xmin, at_x(xmin))
    pts = clip(pts, lambda p: p[0] <= xmax, at_x(xmax))
    pts = clip(pts, lambda p: p[1] >= ymin, at_y(ymin))
    pts = clip(pts, lambda p: p[1] <= ymax, at_y(ymax))
    return pts


def thin(points, min_step=0.6):
    """Round to 0.1 unit and drop points closer than min_step to the last kept."""
    out = []
    for x, y in points:
        p = (round(x, 1), round(y, 1))
        if out and abs(p[0] - out[-1][0]) < min_step and abs(p[1] - out[-1][1]) < min_step:
            continue
        out.append(p)
    return out


def fmt(v: float) -> str:
    s = f"{v:.1f}"
    s = s.rstrip("0").rstrip(".") if "." in s else s
    return "0" if s in ("-0", "") else s


def path_d(rings, closed=True) -> str:
    parts = []
    for ring in rings:
        if len(ring) < (3 if closed else 2):
            continue
        head = f"M{fmt(ring[0][0])} {fmt(ring[0][1])}"
        body = "".join(f"L{fmt(x)} {fmt(y)}" for x, y in ring[1:])
        parts.append(head + body + ("Z" if closed else ""))
    return "".join(parts)


def esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --------------------------------------------------------------------------
# Drawing
# --------------------------------------------------------------------------

def build_svg(land_path: Path) -> tuple[str, list[tuple]]:
    topology = json.loads(land_path.read_text(encoding="utf-8"))
    object_name = "land" if "land" in topology["objects"] else next(iter(topology["objects"]))
    land = polygons(topology, object_name)

    lat0, lon0 = centre()
    if not on_land(lat0, lon0, land):
        raise SystemExit(f"centre {(lat0, lon0)} is not on land in {land_path}")
    for name, lat, lon in WATER_LABELS:
        if on_land(lat, lon, land):
            raise SystemExit(f"water label {name} at {lat},{lon} falls on land")

    project_km = AzimuthalEquidistant(lat0, lon0)

    # Frame: bounding box of the projected outline of the lon/lat box.
    outline = []
    for i in range(91):
        lon = LON_MIN + (LON_MAX - LON_MIN) * i / 90
        outline += [project_km(LAT_MIN, lon), project_km(LAT_MAX, lon)]
    for i in range(61):
        lat = LAT_MIN + (LAT_MAX - LAT_MIN) * i / 60
        outline += [project_km(lat, LON_MIN), project_km(lat, LON_MAX)]
    # Trim the frame a little: the far corners of the projected box are empty
    # ocean or Arctic; keep the whole of the box's southern edge and centre.
    xs = [p[0] for p in outline]
    ys = [p[1] for p in outline]
    x_min, x_max = min(xs), max(xs)
    y_min, y_max = min(ys), max(ys)
    scale = WIDTH / (x_max - x_min)  # SVG units per km
    height = (y_max - y_min) * scale

    def to_svg(x_km: float, y_km: float) -> tuple[float, float]:
        return (x_km - x_min) * scale, (y_max - y_km) * scale

    def project(lat: float, lon: float) -> tuple[float, float]:
        return to_svg(*project_km(lat, lon))

    cx, cy = project(lat0, lon0)

    # Land: keep polygons near the region, project, clip, thin.
    land_rings = []
    for polygon in land:
        for ring in polygon:
            lons = [p[0] for p in ring]
            lats = [p[1] for p in ring]
            if max(lons) < -175 or min(lons) > -15 or max(lats) < -30 or min(lats) > 85:
                continue
            projected = [project(lat, lon) for lon, lat in ring]
            clipped = clip_polygon(projected, -MARGIN, -MARGIN, WIDTH + MARGIN, height + MARGIN)
            clipped = thin(clipped, 0.8)
            if len(clipped) >= 3:
                land_rings.append(clipped)

    # Graticule every 10 degrees, sampled every half degree, cut to the frame.
    def inside(p, pad=20.0):
        return -pad <= p[0] <= WIDTH + pad and -pad <= p[1] <= height + pad

    def cut(line):
        pieces, cur = [], []
        for p in line:
            if inside(p):
                cur.append(p)
            elif cur:
                pieces.append(cur)
                cur = []
        if cur:
            pieces.append(cur)
        return [thin(piece, 1.5) for piece in pieces if len(piece) > 1]

    graticule = []
    for lon in range(-170, -10, 10):
        graticule += cut([project(lat / 2, lon) for lat in range(-40, 171)])
    for lat in range(-20, 90, 10):
        graticule += cut([project(lat, lon / 2) for lon in range(-360, -19)])

    # Range circles: geodesic, 1-degree bearing steps.
    circles = []
    for rng in RANGES:
        km = rng["nmi"] * KM_PER_NMI
        pts = [project(*destination(lat0, lon0, b, km)) for b in range(360)]
        expected = km * scale
        worst = max(abs(math.hypot(x - cx, y - cy) - expected) for x, y in pts)
        assert worst < 0.05, f"{rng['id']}: projected circle not round ({worst:.3f})"
        circles.append((rng, km, pts))

    # Distances for the text equivalent.
    table = []
    for name, lat, lon, _side in CITIES:
        km = great_circle_km(lat0, lon0, lat, lon)
        table.append((name, lat, lon, km, km / KM_PER_NMI,
                      [km <= r["nmi"] * KM_PER_NMI for r in RANGES]))

    # ------------------------------------------------------------------ SVG
    W, H = WIDTH, round(height, 1)
    c = COLORS
    out = []
    a = out.append
    title = "Reach of the Soviet ballistic missiles in Cuba, October 1962"
    mr_km, ir_km = (r["nmi"] * KM_PER_NMI for r in RANGES)
    desc = (
        "Map of North America, Central America and the Caribbean, about 140 to 50 "
        "degrees west and 0 to 60 degrees north, in an azimuthal equidistant "
        f"projection centered on an approximate point in western Cuba ({lat0:.1f} N, "
        f"{abs(lon0):.1f} W), about 50 nautical miles west-southwest of Havana, where "
        "the CIA reported the first medium-range missile sites on 16 October 1962; "
        "it is not a surveyed launch site. Two geodesic circles around that point. "
        f"Solid red: 1,100 nautical miles (about {mr_km:,.0f} km or "
        f"{mr_km / KM_PER_MI:,.0f} statute miles), the maximum range the CIA gave for "
        "the SS-4 medium-range ballistic missile; President Kennedy said on "
        "22 October 1962 that these missiles could carry a nuclear warhead more than "
        "1,000 nautical miles. Dashed blue: 2,000 nautical miles "
        f"(about {ir_km:,.0f} km or {ir_km / KM_PER_MI:,.0f} statute miles) for the "
        "R-14 intermediate-range missiles, which Kennedy said could travel more than "
        "twice as far; this circle is a lower bound read from his words, not a "
        "stated figure. Inside the inner circle: "
        + ", ".join(t[0] for t in table if t[5][0] and t[0] != "Havana")
        + ". Inside the outer circle only: "
        + ", ".join(t[0] for t in table if t[5][1] and not t[5][0])
        + ". Outside both: "
        + (", ".join(t[0] for t in table if not t[5][1]) or "none")
        + ". Coastlines from Natural Earth (1:50m) via the world-atlas package."
    )
    a(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {fmt(W)} {fmt(H)}" '
      f'width="{fmt(W)}" height="{fmt(H)}" role="img" '
      f'aria-labelledby="mr-title mr-desc" font-family="Helvetica, Arial, sans-serif">')
    a(f'<title id="mr-title">{esc(title)}</title>')
    a(f'<desc id="mr-desc">{esc(desc)}</desc>')
    a('<defs><clipPath id="mr-frame">'
      f'<rect x="0" y="0" width="{fmt(W)}" height="{fmt(H)}"/></clipPath></defs>')
    a(f'<rect x="0" y="0" width="{fmt(W)}" height="{fmt(H)}" fill="{c["sea"]}"/>')
    a('<g clip-path="url(#mr-frame)">')
    a(f'<path d="{path_d(graticule, closed=False)}" fill="none" '
      f'stroke="{c["graticule"]}" stroke-width="0.6"/>')
    a(f'<path d="{path_d(land_rings)}" fill="{c["land"]}" fill-rule="evenodd" '
      f'stroke="{c["coast"]}" stroke-width="0.5" stroke-linejoin="round"/>')
    for rng, km, pts in circles:
        dash = f' stroke-dasharray="{rng["dash"]}"' if rng["dash"] else ""
        a(f'<path d="{path_d([thin(pts, 0.3)])}" fill="{rng["color"]}" fill-opacity="0.07" '
          f'stroke="{rng["color"]}" stroke-width="2.2"{dash}/>')
    a("</g>")

    text_style = (f'fill="{c["text"]}" stroke="{c["halo"]}" stroke-width="3" '
                  'paint-order="stroke" stroke-linejoin="round"')

    # Graticule labels: latitudes along 130 W, longitudes along 5 N.
    for lat in range(10, 61, 10):
        x, y = project(lat, -131.5)
        if 10 < x < W - 40 and 12 < y < H - 5:
            a(f'<text x="{fmt(x)}" y="{fmt(y - 3)}" font-size="10" fill="#52606b">{lat}\u00b0N</text>')
    for lon in range(-130, -49, 10):
        x, y = project(4.0, lon)
        if 10 < x < W - 40 and 12 < y < H - 5:
            a(f'<text x="{fmt(x + 2)}" y="{fmt(y)}" font-size="10" fill="#52606b">{-lon}\u00b0W</text>')

    for name, lat, lon in WATER_LABELS:
        x, y = project(lat, lon)
        if 0 < x < W and 0 < y < H:
            a(f'<text x="{fmt(x)}" y="{fmt(y)}" font-size="11" font-style="italic" '
              f'text-anchor="middle" fill="#4f6475">{esc(name)}</text>')

    # Cities.
    sides = {name: side for name, _la, _lo, side in CITIES}
    for name, lat, lon, km, nmi, _inside in table:
        x, y = project(lat, lon)
        if not (0 < x < W and 0 < y < H):
            continue
        if name == "Havana":
            continue  # too close to the centre mark to label legibly
        a(f'<circle cx="{fmt(x)}" cy="{fmt(y)}" r="2.6" fill="{c["text"]}" '
          f'stroke="{c["halo"]}" stroke-width="1"/>')
        right = sides[name] == "r"
        tx = x + 5 if right else x - 5
        anchor = "start" if right else "end"
        a(f'<text x="{fmt(tx)}" y="{fmt(y + 4)}" font-size="12" text-anchor="{anchor}" '
          f'{text_style}>{esc(name)}</text>')

    # Centre mark.
    a(f'<path d="M{fmt(cx - 5)} {fmt(cy)}L{fmt(cx + 5)} {fmt(cy)}M{fmt(cx)} {fmt(cy - 5)}'
      f'L{fmt(cx)} {fmt(cy + 5)}" stroke="{c["text"]}" stroke-width="2"/>')

    # Labels on the circles.
    for rng, km, _pts in circles:
        lat, lon = destination(lat0, lon0, rng["label_bearing"], km)
        x, y = project(lat, lon)
        a(f'<text x="{fmt(x)}" y="{fmt(y - 6)}" font-size="13" font-weight="bold" '
          f'text-anchor="middle" fill="{rng["color"]}" stroke="{c["halo"]}" '
          f'stroke-width="3" paint-order="stroke">{esc(rng["label"])}</text>')
        a(f'<text x="{fmt(x)}" y="{fmt(y + 9)}" font-size="11" text-anchor="middle" '
          f'fill="{rng["color"]}" stroke="{c["halo"]}" stroke-width="3" '
          f'paint-order="stroke">{rng["prefix"]}{rng["nmi"]:,} nmi \u2248 {km:,.0f} km \u2248 '
          f'{km / KM_PER_MI:,.0f} mi</text>')

    # Legend box (lower left, over the Pacific).
    lines_per_range = max(len(r["legend"]) for r in RANGES)
    box_h = 30 + len(RANGES) * (18 + 13 * lines_per_range) + 3 * 13 + 6
    lx, ly, lw = 10.0, H - box_h - 10.0, 318.0
    a(f'<rect x="{fmt(lx)}" y="{fmt(ly)}" width="{fmt(lw)}" height="{fmt(box_h)}" rx="4" '
      f'fill="#ffffff" fill-opacity="0.93" stroke="{c["frame"]}" stroke-width="0.8"/>')
    a(f'<text x="{fmt(lx + 10)}" y="{fmt(ly + 19)}" font-size="13" font-weight="bold" '
      f'fill="{c["text"]}">Reach from western Cuba, October 1962</text>')
    row = ly + 40
    for rng, km, _pts in circles:
        dash = f' stroke-dasharray="{rng["dash"]}"' if rng["dash"] else ""
        a(f'<line x1="{fmt(lx + 10)}" y1="{fmt(row - 4)}" x2="{fmt(lx + 36)}" y2="{fmt(row - 4)}" '
          f'stroke="{rng["color"]}" stroke-width="2.2"{dash}/>')
        a(f'<text x="{fmt(lx + 44)}" y="{fmt(row)}" font-size="11.5" font-weight="bold" '
          f'fill="{rng["color"]}">{esc(rng["label"])}: {rng["prefix"]}{rng["nmi"]:,} nmi \u2248 '
          f'{km:,.0f} km \u2248 {km / KM_PER_MI:,.0f} mi</text>')
        row += 15
        for line in rng["legend"]:
            a(f'<text x="{fmt(lx + 44)}" y="{fmt(row)}" font-size="10.2" fill="#2f3b45">'
              f'{esc(line)}</text>')
            row += 13
        row += 5
    for line in (
        "+ center: about 50 nmi WSW of Havana, where the CIA placed",
        "the first MRBM sites; approximate, not surveyed sites. Great-circle",
        "radii; azimuthal equidistant projection; land: Natural Earth 1:50m.",
    ):
        a(f'<text x="{fmt(lx + 10)}" y="{fmt(row)}" font-size="9.8" fill="#3d4a55">{esc(line)}</text>')
        row += 13

    a(f'<rect x="0.5" y="0.5" width="{fmt(W - 1)}" height="{fmt(H - 1)}" fill="none" '
      f'stroke="{c["frame"]}" stroke-width="1"/>')
    a("</svg>")
    return "\n".join(out) + "\n", table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("topojson", type=Path,
                        help="world-atlas land-50m.json (or countries-50m.json)")
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).resolve().parent.parent / "docs/assets/missile-ranges.svg",
                        help="output SVG (default: docs/assets/missile-ranges.svg)")
    args = parser.parse_args(argv)

    svg, table = build_svg(args.topojson)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(svg, encoding="utf-8")
    size = args.out.stat().st_size
    print(f"wrote {args.out} ({size:,} bytes)")
    if size > 150_000:
        print("warning: SVG larger than 150 KB", file=sys.stderr)
    lat0, lon0 = centre()
    print(f"centre (approximate): {lat0:.2f}N {abs(lon0):.2f}W")
    header = "city".ljust(18) + "km".rjust(7) + "nmi".rjust(7) + "".join(
        f"  in {r['id']}" for r in RANGES)
    print(header)
    for name, _lat, _lon, km, nmi, inside in table:
        print(name.ljust(18) + f"{km:7.0f}{nmi:7.0f}" + "".join(
            f"  {'yes' if flag else 'no':>7}" for flag in inside))
    return 0


if __name__ == "__main__":
    sys.exit(main())
