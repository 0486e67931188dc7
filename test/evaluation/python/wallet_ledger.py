"""Prepaid wallet balances (amounts in cents)."""
import asyncio
from collections import defaultdict

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, PositiveInt

from .fraud import fraud_api
from .fx import fx_api
from .ledger import ledger_api

app = FastAPI()

balances: defaultdict[str, int] = defaultdict(int)
_ledger_lock = asyncio.Lock()


class Movement(BaseModel):
    account: str
    amount: PositiveInt
    currency: str = "EUR"


class Transfer(BaseModel):
    source: str
    target: str
    amount: PositiveInt


@app.post("/wallet/deposit")
async def deposit(m: Movement):
    cents = await fx_api.to_eur_cents(m.amount, m.currency)
    async with _ledger_lock:
        balances[m.account] += cents
        await ledger_api.append("deposit", m.account, cents)
    return {"balance": balances[m.account]}


@app.post("/wallet/withdraw")
async def withdraw(m: Movement):
    async with _ledger_lock:
        if balances[m.account] < m.amount:
            raise HTTPException(409, "insufficient funds")
        await ledger_api.append("withdraw", m.account, -m.amount)
        balances[m.account] -= m.amount
    return {"balance": balances[m.account]}


@app.post("/wallet/transfer")
async def transfer(t: Transfer):
    async with _ledger_lock:
        source_balance = balances[t.source]
    verdict = await fraud_api.screen(t.source, t.target, t.amount)
    if verdict.blocked:
        raise HTTPException(403, "transfer blocked")
    async with _ledger_lock:
        if balances[t.source] < t.amount:
            raise HTTPException(409, "insufficient funds")
        balances[t.source] = source_balance - t.amount
        balances[t.target] += t.amount
    await ledger_api.append("transfer", t.source, -t.amount)
    return {"ok": True}


@app.get("/wallet/{account}")
async def balance(account: str):
    return {"account": account, "balance": balances.get(account, 0)}
