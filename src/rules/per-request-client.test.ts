import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { analyzeText } from '../../test/support/analyze';
import { FIXTURES_ROOT, readFixture } from '../../test/support/fixture-expectations';

const source = `import boto3
import httpx
from fastapi import FastAPI

app = FastAPI()


@app.get("/weather")
async def weather() -> dict:
    async with httpx.AsyncClient() as client:
        return (await client.get("https://weather.example.com")).json()


@app.get("/rates")
async def rates() -> dict:
    client = httpx.AsyncClient()
    return (await client.get("https://rates.example.com")).json()


@app.get("/files")
async def files() -> dict:
    async with httpx.AsyncClient() as http:
        s3 = boto3.client("s3")
        return {"buckets": s3.list_buckets(), "status": (await http.get("https://example.com")).status_code}


async def refresh_prices() -> dict:
    client = httpx.AsyncClient()
    return (await client.get("https://prices.example.com")).json()
`;

describe('IL302 per-request-client severity and messages', () => {
  it('reports a function no entry point is known to reach only in preview', async () => {
    const { hazards } = await analyzeText(source, { settings: { select: ['IL302'] } });
    assert.deepEqual(hazards.map((hazard) => hazard.range.start.line + 1).sort((a, b) => a - b), [10, 16, 22, 23]);
  });

  it('says information for a client closed where it is built, a warning for one never closed or an SDK client', async () => {
    const { hazards } = await analyzeText(source, { settings: { select: ['IL302'], preview: true } });
    const byLine = new Map(hazards.map((hazard) => [hazard.range.start.line + 1, hazard]));
    assert.deepEqual([...byLine.keys()].sort((a, b) => a - b), [10, 16, 22, 23, 28]);
    assert.equal(byLine.get(10)!.severity, 'info');
    assert.match(byLine.get(10)!.message, /closed again at the end, so nothing leaks/);
    assert.equal(byLine.get(16)!.severity, 'warning');
    assert.match(byLine.get(16)!.message, /never closed/);
    assert.equal(byLine.get(23)!.severity, 'warning');
    assert.match(byLine.get(23)!.message, /SDK clients are costly to build/);
  });

  it('says information, and that how often is not known, where no entry point reaches the function', async () => {
    const { hazards } = await analyzeText(source, { settings: { select: ['IL302'], preview: true } });
    const unknown = hazards.find((hazard) => hazard.range.start.line + 1 === 28)!;
    assert.equal(unknown.severity, 'info');
    assert.match(unknown.message, /on every call of `refresh_prices` \(which runs on the event loop; no entry point this analysis knows reaches it, so how often is not known\)/);
  });

  it('leaves a client configured by the settings or credentials its function is handed to preview', async () => {
    // The preview fixture, checked without preview: only the clients one shared instance could serve remain.
    const path = join(FIXTURES_ROOT, 'python', 'per-request-client', 'preview_clients_configured_by_the_caller.py');
    const text = readFixture(path);
    const lineOf = (needle: string) => text.split('\n').findIndex((line) => line.includes(needle)) + 1;
    const { hazards } = await analyzeText(text, { path, settings: { select: ['IL302'] } });
    assert.deepEqual(hazards.map((hazard) => hazard.range.start.line + 1).sort((a, b) => a - b), [lineOf('MIRRORS[region]'), lineOf('settings.aws_region')]);
  });
});
