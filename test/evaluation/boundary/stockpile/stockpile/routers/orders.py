from datetime import datetime, timezone
from decimal import Decimal

from fastapi import APIRouter, Depends, HTTPException
from sqlmodel import Session, select

from ..db import get_session
from ..models import Order, OrderLine
from ..schemas import LineIn, OrderCreate, ShippingUpdate
from ..services import stock

router = APIRouter(prefix="/orders", tags=["orders"])


def _draft_or_409(session: Session, order_id: int) -> Order:
    order = session.get(Order, order_id)
    if order is None:
        raise HTTPException(status_code=404, detail="order not found")
    if order.status != "draft":
        raise HTTPException(status_code=409, detail=f"order is {order.status}")
    return order


@router.post("", status_code=201)
def create_order(body: OrderCreate, session: Session = Depends(get_session)) -> Order:
    order = Order(customer_id=body.customer_id, status="draft", total=Decimal("0.00"), item_count=0)
    for line in body.lines:
        order.total += line.unit_price * line.quantity
        order.item_count += line.quantity
    session.add(order)
    session.flush()
    for line in body.lines:
        session.add(OrderLine(order_id=order.id, **line.model_dump()))
    session.commit()
    session.refresh(order)
    return order


@router.post("/{order_id}/lines", status_code=201)
def add_line(order_id: int, line: LineIn, session: Session = Depends(get_session)) -> Order:
    order = _draft_or_409(session, order_id)
    session.add(OrderLine(order_id=order_id, **line.model_dump()))
    order.total = order.total + line.unit_price * line.quantity
    session.add(order)
    session.commit()
    session.refresh(order)
    return order


@router.post("/{order_id}/confirm")
def confirm(order_id: int, session: Session = Depends(get_session)) -> Order:
    order = _draft_or_409(session, order_id)
    lines = session.exec(select(OrderLine).where(OrderLine.order_id == order_id)).all()
    for line in lines:
        stock.reserve(session, line.sku, line.quantity)
    order.status = "confirmed"
    session.add(order)
    session.commit()
    session.refresh(order)
    return order


@router.post("/{order_id}/express")
def express_checkout(order_id: int, session: Session = Depends(get_session)) -> Order:
    order = _draft_or_409(session, order_id)
    lines = session.exec(select(OrderLine).where(OrderLine.order_id == order_id)).all()
    for line in lines:
        stock.reserve_locked(session, line.sku, line.quantity)
    order.status = "confirmed"
    session.add(order)
    session.commit()
    session.refresh(order)
    return order


@router.post("/{order_id}/cancel")
def cancel(order_id: int, session: Session = Depends(get_session)) -> Order:
    order = session.get(Order, order_id)
    if order is None:
        raise HTTPException(status_code=404, detail="order not found")
    if order.status == "confirmed":
        lines = session.exec(select(OrderLine).where(OrderLine.order_id == order_id)).all()
        for line in lines:
            stock.release(session, line.sku, line.quantity)
    order.status = "cancelled"
    session.add(order)
    session.commit()
    session.refresh(order)
    return order


@router.post("/{order_id}/paid")
def mark_paid(order_id: int, session: Session = Depends(get_session)) -> Order:
    order = session.get(Order, order_id)
    if order is None:
        raise HTTPException(status_code=404, detail="order not found")
    order.status = "paid"
    order.paid_at = datetime.now(timezone.utc)
    session.add(order)
    session.commit()
    session.refresh(order)
    return order


@router.put("/{order_id}/shipping")
def update_shipping(order_id: int, body: ShippingUpdate, session: Session = Depends(get_session)) -> Order:
    order = _draft_or_409(session, order_id)
    order.shipping_fee = body.shipping_fee
    session.add(order)
    session.commit()
    session.refresh(order)
    return order
