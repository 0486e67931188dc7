"""Ticket PDFs: rendered in memory, stored on the blob volume."""
import asyncio
import io
import urllib.request

from fastapi import APIRouter, Request
from fastapi.responses import Response
from reportlab.lib.pagesizes import A6
from reportlab.pdfgen import canvas

from harbor.common.blobstore import blobs

router = APIRouter(tags=["tickets"])

TICKET_SQL = (
    "SELECT t.id, t.seat, e.name AS event_name, e.starts_at "
    "FROM tickets t JOIN events e ON e.id = t.event_id "
)


def render_ticket(ticket: dict) -> bytes:
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A6)
    pdf.setFont("Helvetica-Bold", 14)
    pdf.drawString(20, 380, ticket["event_name"])
    pdf.setFont("Helvetica", 10)
    pdf.drawString(20, 360, f"Seat {ticket['seat']} - {ticket['starts_at']:%d %b %Y %H:%M}")
    pdf.drawString(20, 340, f"Ticket {ticket['id']}")
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


def store_ticket(ticket: dict) -> str:
    key = f"tickets/{ticket['id']}.pdf"
    blobs.put(key, render_ticket(ticket))
    return key


async def _ticket_rows(request: Request, order_id: str) -> list[dict]:
    rows = await request.app.state.pool.fetch(TICKET_SQL + "WHERE t.order_id = $1", order_id)
    return [dict(r) for r in rows]


@router.post("/{order_id}/issue")
async def issue_tickets(order_id: str, request: Request):
    keys = []
    for ticket in await _ticket_rows(request, order_id):
        keys.append(store_ticket(ticket))
    return {"tickets": [blobs.public_url(k) for k in keys]}


@router.post("/{order_id}/reissue")
async def reissue_tickets(order_id: str, request: Request):
    keys = []
    for ticket in await _ticket_rows(request, order_id):
        keys.append(await asyncio.to_thread(store_ticket, ticket))
    return {"tickets": keys}


@router.get("/{ticket_id}/preview")
async def preview_ticket(ticket_id: str, request: Request):
    row = await request.app.state.pool.fetchrow(TICKET_SQL + "WHERE t.id = $1", ticket_id)
    pdf = render_ticket(dict(row))
    return Response(pdf, media_type="application/pdf")


@router.get("/venues/{venue_id}/map")
async def venue_map(venue_id: str):
    with urllib.request.urlopen(f"https://maps.venues.example/{venue_id}.svg", timeout=5) as resp:
        svg = resp.read()
    return Response(svg, media_type="image/svg+xml")
