"""The warehouse system's stock API. It only ships a synchronous client, so these functions block
for a full HTTP round trip."""

import requests

from app.config import get_settings

settings = get_settings()

# A sync session at import time is fine: nothing runs on the event loop here.
_warehouse = requests.Session()
_warehouse.headers["Accept"] = "application/json"


def warehouse_stock(sku: str) -> int:
    response = _warehouse.get(f"{settings.warehouse_url}/stock/{sku}", timeout=5)
    response.raise_for_status()
    return int(response.json()["available"])
