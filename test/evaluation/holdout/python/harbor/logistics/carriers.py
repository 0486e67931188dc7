"""Carrier integrations. The carrier SDKs are synchronous."""
import math

import requests

from harbor.common.legacy_http import get_json, post_json

CARRIER_URLS = {
    "dhl": "https://api.dhl.example/v2",
    "ups": "https://onlinetools.ups.example/api",
    "postnord": "https://api2.postnord.example/rest",
}

DEPOT = (59.3293, 18.0686)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def volumetric_weight(length_cm: float, width_cm: float, height_cm: float, divisor: int = 5000) -> float:
    return round(length_cm * width_cm * height_cm / divisor, 2)


def book_pickup(carrier: str, parcel: dict) -> dict:
    return post_json(f"{CARRIER_URLS[carrier]}/pickups", parcel)


def carrier_status(carrier: str, tracking_no: str) -> dict:
    return get_json(f"{CARRIER_URLS[carrier]}/track/{tracking_no}")


def label_pdf(carrier: str, tracking_no: str) -> bytes:
    resp = requests.get(f"{CARRIER_URLS[carrier]}/labels/{tracking_no}", timeout=10)
    resp.raise_for_status()
    return resp.content
