import asyncio

import httpx
from fastapi import APIRouter, Depends
from sqlmodel import Session, select

from ..db import get_session
from ..deps import get_http
from ..models import Product
from ..schemas import ImportReport, PriceImport, PriceRow, StockCountImport

router = APIRouter(prefix="/imports", tags=["imports"])

STOREFRONT_PRICES = "https://storefront.example.com/api/v2/prices"
BATCH_SIZE = 50


async def push_price(client: httpx.AsyncClient, row: PriceRow) -> bool:
    resp = await client.put(
        f"{STOREFRONT_PRICES}/{row.sku}",
        json={"amount": str(row.price), "currency": row.currency},
    )
    return resp.is_success


@router.post("/prices")
async def import_prices(body: PriceImport, client: httpx.AsyncClient = Depends(get_http)) -> ImportReport:
    report = ImportReport(received=len(body.rows))
    results = await asyncio.gather(*[push_price(client, row) for row in body.rows])
    for row, ok in zip(body.rows, results):
        if ok:
            report.updated += 1
        else:
            report.failed.append(row.sku)
    return report


@router.post("/prices/batched")
async def import_prices_batched(
    body: PriceImport, client: httpx.AsyncClient = Depends(get_http)
) -> ImportReport:
    report = ImportReport(received=len(body.rows))
    for start in range(0, len(body.rows), BATCH_SIZE):
        chunk = body.rows[start : start + BATCH_SIZE]
        results = await asyncio.gather(*(push_price(client, row) for row in chunk))
        for row, ok in zip(chunk, results):
            if ok:
                report.updated += 1
            else:
                report.failed.append(row.sku)
    return report


@router.post("/stock-counts")
def import_stock_counts(body: StockCountImport, session: Session = Depends(get_session)) -> ImportReport:
    report = ImportReport(received=len(body.counts))
    for count in body.counts:
        product = session.exec(select(Product).where(Product.sku == count.sku)).first()
        if product is None:
            report.failed.append(count.sku)
            continue
        product.stock = count.counted
        session.add(product)
        report.updated += 1
        report.total_units += count.counted
    session.commit()
    return report
