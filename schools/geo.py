"""Distances, the coordinate rules and the datum conversion for the school directory.

Coordinates are stored as read off AMap (GCJ-02), so the AMap links we build open at the
right spot without conversion. Browsers (the Geolocation API) report WGS-84, and GeoJSON
(RFC 7946) and schema.org ``geo`` are read as WGS-84 by other software; in Zhengzhou the two
datums differ by about 570 m, so positions cross between them here.

GCJ-02 is the obfuscation China's surveying bureau mandates for published maps. Its forward
formula (WGS-84 → GCJ-02) is the one every open implementation uses (first published as the
"eviltransform" algorithm; the Krasovsky 1940 ellipsoid, a = 6378245 m); it is not invertible
in closed form, so GCJ-02 → WGS-84 is found by fixed-point iteration to well under a metre.
Outside mainland China GCJ-02 is WGS-84 and positions pass unchanged.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE_LAT = 111.195

# A generous box around the municipality (all six counties/cities and the airport zone).
ZHENGZHOU_LAT_RANGE = (34.2, 35.1)
ZHENGZHOU_LNG_RANGE = (112.6, 114.3)


def great_circle_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Haversine distance in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lng2 - lng1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lng: float, radius_km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lng, max_lng) of a box that contains every point within radius_km.

    The longitude half-width uses the latitude edge nearest a pole, where a degree of
    longitude is shortest, so the box never cuts off a point inside the circle.
    """
    d_lat = radius_km / KM_PER_DEGREE_LAT
    min_lat, max_lat = max(lat - d_lat, -90.0), min(lat + d_lat, 90.0)
    widest = max(abs(min_lat), abs(max_lat))
    cos_edge = math.cos(math.radians(widest))
    d_lng = 180.0 if cos_edge < 1e-6 else min(radius_km / (KM_PER_DEGREE_LAT * cos_edge), 180.0)
    return min_lat, max_lat, lng - d_lng, lng + d_lng


def in_zhengzhou(lat: float, lng: float) -> bool:
    return (
        ZHENGZHOU_LAT_RANGE[0] <= lat <= ZHENGZHOU_LAT_RANGE[1]
        and ZHENGZHOU_LNG_RANGE[0] <= lng <= ZHENGZHOU_LNG_RANGE[1]
    )


# --- WGS-84 ↔ GCJ-02 ---------------------------------------------------------------------------

_KRASOVSKY_A = 6378245.0
_KRASOVSKY_EE = 0.00669342162296594323  # first eccentricity squared
# The rough box in which GCJ-02 applies (the same one every implementation uses).
_CHINA_LNG_RANGE = (72.004, 137.8347)
_CHINA_LAT_RANGE = (0.8293, 55.8271)
INVERSE_TOLERANCE_DEGREES = 1e-7  # about 1 cm
INVERSE_MAX_STEPS = 30


def outside_china(lat: float, lng: float) -> bool:
    return not (
        _CHINA_LNG_RANGE[0] <= lng <= _CHINA_LNG_RANGE[1]
        and _CHINA_LAT_RANGE[0] <= lat <= _CHINA_LAT_RANGE[1]
    )


def _gcj_offset(lat: float, lng: float) -> tuple[float, float]:
    """GCJ-02 minus WGS-84 at a WGS-84 point, in degrees (latitude, longitude)."""
    x, y = lng - 105.0, lat - 35.0
    # The published polynomial-plus-sines "noise", in metres on the Krasovsky ellipsoid.
    waves = (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    d_lat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    d_lat += waves
    d_lat += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    d_lat += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2 / 3
    d_lng = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    d_lng += waves
    d_lng += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    d_lng += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2 / 3
    # Metres to degrees at this latitude (meridian and parallel radii of curvature).
    rad_lat = math.radians(lat)
    magic = 1 - _KRASOVSKY_EE * math.sin(rad_lat) ** 2
    sqrt_magic = math.sqrt(magic)
    meridian_radius = _KRASOVSKY_A * (1 - _KRASOVSKY_EE) / (magic * sqrt_magic)
    parallel_radius = _KRASOVSKY_A / sqrt_magic * math.cos(rad_lat)
    return (
        math.degrees(d_lat / meridian_radius),
        math.degrees(d_lng / parallel_radius),
    )


def wgs84_to_gcj02(lat: float, lng: float) -> tuple[float, float]:
    """A WGS-84 position (a phone's GPS, the browser) as AMap's GCJ-02 (latitude, longitude)."""
    if outside_china(lat, lng):
        return lat, lng
    d_lat, d_lng = _gcj_offset(lat, lng)
    return lat + d_lat, lng + d_lng


def gcj02_to_wgs84(lat: float, lng: float) -> tuple[float, float]:
    """A GCJ-02 position (as stored) as WGS-84 (latitude, longitude), exact to about 1 cm.

    The offset changes by millimetres over the few hundred metres it moves a point, so the
    fixed-point iteration ``wgs = gcj - offset(wgs)`` converges in two or three steps.
    """
    if outside_china(lat, lng):
        return lat, lng
    wgs_lat, wgs_lng = lat, lng
    for _step in range(INVERSE_MAX_STEPS):
        gcj_lat, gcj_lng = wgs84_to_gcj02(wgs_lat, wgs_lng)
        error_lat, error_lng = gcj_lat - lat, gcj_lng - lng
        wgs_lat, wgs_lng = wgs_lat - error_lat, wgs_lng - error_lng
        if (
            abs(error_lat) < INVERSE_TOLERANCE_DEGREES
            and abs(error_lng) < INVERSE_TOLERANCE_DEGREES
        ):
            break
    return wgs_lat, wgs_lng


class CoordinateError(ValueError):
    """A position the visitor gave that we cannot use; the message is shown to them."""


def parse_position(raw_lat: str | None, raw_lng: str | None) -> tuple[float, float]:
    """Parse a visitor's latitude/longitude, raising CoordinateError with a Chinese message."""
    if not raw_lat or not raw_lng:
        raise CoordinateError("请同时提供纬度和经度。")
    try:
        lat, lng = Decimal(raw_lat.strip()[:20]), Decimal(raw_lng.strip()[:20])
    except (InvalidOperation, ValueError) as error:
        raise CoordinateError("纬度和经度必须是数字，例如 34.75 和 113.62。") from error
    if not (lat.is_finite() and lng.is_finite()):
        raise CoordinateError("纬度和经度必须是数字，例如 34.75 和 113.62。")
    lat_f, lng_f = float(lat), float(lng)
    if not (-90 <= lat_f <= 90 and -180 <= lng_f <= 180):
        raise CoordinateError("坐标超出范围：纬度应在 -90 到 90 之间，经度应在 -180 到 180 之间。")
    return lat_f, lng_f
