from decimal import Decimal

from fastapi import HTTPException
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import LedgerEntry, Wallet


class InsufficientFunds(HTTPException):
    def __init__(self) -> None:
        super().__init__(status_code=402, detail="insufficient funds")


async def debit(session: AsyncSession, wallet_id: int, amount: Decimal, memo: str = "") -> Decimal:
    result = await session.execute(select(Wallet).where(Wallet.id == wallet_id))
    wallet = result.scalar_one()
    if wallet.frozen:
        raise HTTPException(status_code=409, detail="wallet is frozen")
    if wallet.balance < amount:
        raise InsufficientFunds()
    wallet.balance -= amount
    session.add(LedgerEntry(wallet_id=wallet_id, amount=-amount, kind="payment", memo=memo))
    await session.commit()
    return wallet.balance


async def debit_locked(session: AsyncSession, wallet_id: int, amount: Decimal, memo: str = "") -> Decimal:
    result = await session.execute(
        select(Wallet).where(Wallet.id == wallet_id).with_for_update()
    )
    wallet = result.scalar_one()
    if wallet.balance < amount:
        raise InsufficientFunds()
    wallet.balance -= amount
    session.add(LedgerEntry(wallet_id=wallet_id, amount=-amount, kind="withdrawal", memo=memo))
    await session.commit()
    return wallet.balance


async def transfer(session: AsyncSession, source_id: int, target_id: int, amount: Decimal) -> None:
    result = await session.execute(
        update(Wallet)
        .where(Wallet.id == source_id, Wallet.balance >= amount, Wallet.frozen.is_(False))
        .values(balance=Wallet.balance - amount)
    )
    if result.rowcount != 1:
        await session.rollback()
        raise InsufficientFunds()
    await session.execute(
        update(Wallet).where(Wallet.id == target_id).values(balance=Wallet.balance + amount)
    )
    session.add_all(
        [
            LedgerEntry(wallet_id=source_id, amount=-amount, kind="transfer_out"),
            LedgerEntry(wallet_id=target_id, amount=amount, kind="transfer_in"),
        ]
    )
    await session.commit()
