"""Back-office endpoints. All plain `def`, so FastAPI runs them in its threadpool."""
from fastapi import FastAPI

from .erp import erp_sync_client

app = FastAPI(title="backoffice")

pending_syncs = 0
sync_history: list[dict] = []
adjustments: dict[str, int] = {}


def _record_adjustment(sku: str, delta: int) -> int:
    new_total = adjustments.get(sku, 0) + delta
    adjustments[sku] = new_total
    return new_total


@app.post("/admin/adjust/{sku}")
def adjust(sku: str, delta: int):
    total = _record_adjustment(sku, delta)
    return {"sku": sku, "adjustment": total}


@app.post("/admin/erp-sync")
def erp_sync():
    global pending_syncs
    pending_syncs += 1
    try:
        result = erp_sync_client.push_all()
    finally:
        pending_syncs -= 1
    sync_history.append({"pushed": result.count, "errors": result.errors})
    return {"pushed": result.count, "pending": pending_syncs}


@app.get("/admin/erp-sync/history")
def erp_history(limit: int = 20):
    return {"pending": pending_syncs, "history": sync_history[-limit:]}
