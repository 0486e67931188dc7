import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeText } from '../../test/support/analyze';

const handlers = `import asyncio
import json
import uuid

import httpx
from fastapi import APIRouter
from pydantic import BaseModel

router = APIRouter()


class Upload(BaseModel):
    items: list[dict]


async def download(url: str) -> bytes:
    async with httpx.AsyncClient() as client:
        return (await client.get(url)).content


@router.post("/filtered")
async def filtered(upload: Upload) -> list[bytes]:
    usable = [item for item in upload.items if isinstance(item.get("url"), str)]
    return await asyncio.gather(*[download(item["url"]) for item in usable])


@router.post("/appended")
async def appended(upload: Upload) -> list[bytes]:
    pending = []
    for item in upload.items:
        body = json.dumps(item)
        pending.append(download(body))
    return await asyncio.gather(*pending)


@router.post("/prepared")
async def prepared(upload: Upload) -> list[bytes]:
    specs = []
    for item in upload.items:
        specs.append(item.get("id") or uuid.uuid4().hex)
    return await asyncio.gather(*(download(spec) for spec in specs))
`;

describe('IL406 unbounded-fanout messages', () => {
  it('name the call each element runs, not a filter or a call that prepares its argument', async () => {
    const report = await analyzeText(handlers, { settings: { select: ['IL406'] } });
    const named = report.hazards.map((hazard) => /awaits one `([^`]+)`/.exec(hazard.message)?.[1]);
    assert.deepEqual(named, ['download(…)', 'download(…)', 'download(…)']);
  });

  it('say where the collection comes from in the request', async () => {
    const report = await analyzeText(handlers, { settings: { select: ['IL406'] } });
    assert.match(report.hazards[0]!.message, /`usable` comes from the request body of `POST \/filtered`/);
  });
});
