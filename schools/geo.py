"""Distances and the coordinate rules for the school directory.

Coordinates are stored as read off AMap (GCJ-02), so the AMap links we build open at the
right spot without conversion.
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
