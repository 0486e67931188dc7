"""Fixed-window limiter and export audit used as FastAPI dependencies on the report routes."""
import threading
import time

from fastapi import APIRouter, Depends, HTTPException, Request

from .reports import build_report, list_reports

router = APIRouter(prefix="/reports")


class FixedWindowLimiter:
    def __init__(self, limit: int, window: int = 60) -> None:
        self.limit = limit
        self.window = window
        self.counts: dict[tuple[str, int], int] = {}

    def __call__(self, request: Request) -> None:
        window_id = int(time.time()) // self.window
        key = (request.client.host, window_id)
        hits = self.counts.get(key, 0) + 1
        self.counts[key] = hits
        if hits > self.limit:
            raise HTTPException(429, "report quota exceeded")


class ExportAuditTrail:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.exports_by_user: dict[str, int] = {}

    def __call__(self, request: Request) -> str:
        user = request.headers.get("x-user", "anonymous")
        with self.lock:
            self.exports_by_user[user] = self.exports_by_user.get(user, 0) + 1
        return user


report_limiter = FixedWindowLimiter(limit=10)
export_audit = ExportAuditTrail()


@router.get("", dependencies=[Depends(report_limiter)])
async def reports_index():
    return await list_reports()


@router.post("/{report_id}/export")
def export_report(report_id: str, user: str = Depends(export_audit), _: None = Depends(report_limiter)):
    return build_report(report_id, requested_by=user)


@router.get("/exports/by-user")
def exports_by_user():
    with export_audit.lock:
        return dict(export_audit.exports_by_user)
