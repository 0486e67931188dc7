from fastapi import HTTPException
from sqlalchemy import update
from sqlmodel import Session

from ..models import Product


class OutOfStock(HTTPException):
    def __init__(self, sku: str) -> None:
        super().__init__(status_code=409, detail=f"not enough stock for {sku}")


def reserve(session: Session, sku: str, quantity: int) -> Product:
    product = session.query(Product).filter_by(sku=sku).one()
    if product.stock < quantity:
        raise OutOfStock(sku)
    product.stock = product.stock - quantity
    product.reserved = product.reserved + quantity
    session.commit()
    return product


def reserve_locked(session: Session, sku: str, quantity: int) -> Product:
    product = session.query(Product).filter_by(sku=sku).with_for_update().one()
    if product.stock < quantity:
        raise OutOfStock(sku)
    product.stock -= quantity
    product.reserved += quantity
    session.commit()
    return product


def release(session: Session, sku: str, quantity: int) -> None:
    session.execute(
        update(Product)
        .where(Product.sku == sku)
        .values(stock=Product.stock + quantity, reserved=Product.reserved - quantity)
    )
    session.commit()
