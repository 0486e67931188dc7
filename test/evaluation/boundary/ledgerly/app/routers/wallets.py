import asyncio
from datetime import datetime, timezone

import httpx
from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ..db import get_session
from ..deps import get_http
from ..models import LedgerEntry, Wallet
from ..schemas import Payment, StatementRequest, StatementTotals, TopUp, TransferIn, Withdrawal
from ..services import fx, wallet_service

router = APIRouter(prefix="/wallets", tags=["wallets"])


async def _wallet_or_404(session: AsyncSession, wallet_id: int) -> Wallet:
    wallet = await session.get(Wallet, wallet_id)
    if wallet is None:
        raise HTTPException(status_code=404, detail="wallet not found")
    return wallet


@router.post("/{wallet_id}/top-up")
async def top_up(wallet_id: int, body: TopUp, session: AsyncSession = Depends(get_session)):
    wallet = await session.get(Wallet, wallet_id)
    if wallet is None:
        raise HTTPException(status_code=404, detail="wallet not found")
    if wallet.frozen:
        raise HTTPException(status_code=409, detail="wallet is frozen")
    wallet.balance = wallet.balance + body.amount
    session.add(LedgerEntry(wallet_id=wallet.id, amount=body.amount, kind="top_up"))
    await session.commit()
    return {"wallet_id": wallet.id, "balance": str(wallet.balance)}


@router.post("/{wallet_id}/pay")
async def pay(wallet_id: int, body: Payment, session: AsyncSession = Depends(get_session)):
    balance = await wallet_service.debit(session, wallet_id, body.amount, memo=body.merchant)
    return {"wallet_id": wallet_id, "balance": str(balance)}


@router.post("/{wallet_id}/withdraw")
async def withdraw(wallet_id: int, body: Withdrawal, session: AsyncSession = Depends(get_session)):
    balance = await wallet_service.debit_locked(session, wallet_id, body.amount, memo=body.iban[-4:])
    return {"wallet_id": wallet_id, "balance": str(balance)}


@router.post("/transfers", status_code=201)
async def transfer(body: TransferIn, session: AsyncSession = Depends(get_session)):
    await wallet_service.transfer(session, body.source_id, body.target_id, body.amount)
    return {"ok": True}


@router.post("/{wallet_id}/freeze")
async def freeze(wallet_id: int, session: AsyncSession = Depends(get_session)):
    wallet = await _wallet_or_404(session, wallet_id)
    wallet.frozen = True
    await session.commit()
    return {"wallet_id": wallet.id, "frozen": wallet.frozen}


@router.get("/{wallet_id}/overview")
async def overview(
    wallet_id: int,
    session: AsyncSession = Depends(get_session),
    http: httpx.AsyncClient = Depends(get_http),
):
    wallet = await _wallet_or_404(session, wallet_id)
    usd, limits, score = await asyncio.gather(
        fx.best_rate(http, wallet.currency, "USD"),
        fx.payout_limits(http, wallet.user_id),
        fx.risk_score(http, wallet.user_id),
    )
    return {
        "balance": str(wallet.balance),
        "balance_usd": str(wallet.balance * usd),
        "limits": limits,
        "risk": score,
    }


@router.post("/{wallet_id}/statements")
async def statement(
    wallet_id: int,
    body: StatementRequest,
    session: AsyncSession = Depends(get_session),
    http: httpx.AsyncClient = Depends(get_http),
):
    wallet = await _wallet_or_404(session, wallet_id)
    rates = await asyncio.gather(
        *(fx.historical_rate(http, wallet.currency, c, body.month) for c in body.currencies)
    )
    entries = (
        await session.execute(
            select(LedgerEntry)
            .where(LedgerEntry.wallet_id == wallet_id)
            .order_by(LedgerEntry.created_at)
        )
    ).scalars().all()
    totals = StatementTotals(currency=wallet.currency)
    for entry in entries:
        if entry.created_at.strftime("%Y-%m") == body.month:
            totals.net = totals.net + entry.amount
    wallet.last_statement_at = datetime.now(timezone.utc)
    await session.commit()
    return {
        "totals": totals.model_dump(mode="json"),
        "converted": {c: str(totals.net * r) for c, r in zip(body.currencies, rates)},
    }
