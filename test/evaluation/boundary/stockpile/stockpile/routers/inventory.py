from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy import update
from sqlmodel import Session, select

from ..db import get_session
from ..models import Product, Warehouse
from ..schemas import PalletMove, ProductPatch, Restock

router = APIRouter(prefix="/inventory", tags=["inventory"])


@router.post("/products/{sku}/restock")
def restock(sku: str, body: Restock, session: Session = Depends(get_session)) -> Product:
    product = session.exec(select(Product).where(Product.sku == sku)).first()
    if product is None:
        raise HTTPException(status_code=404, detail="unknown sku")
    product.stock += body.quantity
    session.add(product)
    session.commit()
    session.refresh(product)
    return product


@router.patch("/products/{sku}")
def patch_product(sku: str, body: ProductPatch, session: Session = Depends(get_session)) -> Product:
    product = session.exec(select(Product).where(Product.sku == sku)).one()
    product.price = body.price
    session.add(product)
    session.commit()
    session.refresh(product)
    return product


@router.post("/warehouses/{warehouse_id}/receive")
def receive_pallets(warehouse_id: int, body: PalletMove, session: Session = Depends(get_session)):
    warehouse = session.query(Warehouse).get(warehouse_id)
    if warehouse is None:
        raise HTTPException(status_code=404, detail="unknown warehouse")
    if warehouse.capacity_used + body.pallets > warehouse.capacity:
        raise HTTPException(status_code=409, detail="warehouse full")
    warehouse.capacity_used += body.pallets
    session.commit()
    return {"capacity_used": warehouse.capacity_used, "capacity": warehouse.capacity}


@router.post("/warehouses/{warehouse_id}/dispatch", status_code=204)
def dispatch_pallets(warehouse_id: int, body: PalletMove, session: Session = Depends(get_session)) -> None:
    session.execute(
        update(Warehouse)
        .where(Warehouse.id == warehouse_id)
        .values(capacity_used=Warehouse.capacity_used - body.pallets)
    )
    session.commit()
