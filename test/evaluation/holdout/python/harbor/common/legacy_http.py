"""Blocking HTTP helpers for partners whose SDKs are synchronous.

Call these from sync code or through a thread offload."""
import logging
import time

import requests

log = logging.getLogger(__name__)

http = requests.Session()
http.headers.update({"User-Agent": "harbor/2.3 (+https://harbor.dev)"})

RETRY_STATUSES = {502, 503, 504}


def _send(method: str, url: str, **kwargs) -> requests.Response:
    for attempt in range(3):
        resp = http.request(method, url, timeout=5, **kwargs)
        if resp.status_code not in RETRY_STATUSES:
            return resp
        log.warning("partner %s returned %s, retrying", url, resp.status_code)
        time.sleep(0.5 * 2**attempt)
    resp.raise_for_status()
    return resp


def get_json(url: str, **params) -> dict:
    resp = _send("GET", url, params=params)
    resp.raise_for_status()
    return resp.json()


def post_json(url: str, payload: dict) -> dict:
    resp = _send("POST", url, json=payload)
    resp.raise_for_status()
    return resp.json()
