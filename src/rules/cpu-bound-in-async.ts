import type { Rule } from '../core/rule';
import { callCatalogs } from './blocking/call-catalogs';
import { reachedFrom } from '../core/contexts/describe';
import { ProjectCallGraph } from './blocking/call-graph';
import { CPU_CHAINS, reportStallingChains } from './blocking/chain-findings';
import { describeFunction, loopPlacement, loopSeverity, matchGroups, phaseAt } from './blocking/loop-calls';
import { remedyFor } from './blocking/offload-fix';
import { storyStep } from './story-steps';

export const cpuBoundInAsync: Rule = {
  meta: {
    code: 'IL203',
    name: 'cpu-bound-in-async',
    family: 'blocking',
    defaultSeverity: 'info',
    summary: 'CPU-heavy work — password hashing, key derivation, compression, image processing — runs on the event loop.',
    languages: ['python', 'typescript'],
    fix: 'unsafe',
    docs: {
      whatItDoes: `
Checks coroutines for calls that are slow by design or by the size of what they work on: password
hashing and verification (passlib \`CryptContext.hash/verify\`, \`bcrypt\`, \`argon2\`, \`pwdlib\`,
werkzeug and Django hashers), key derivation (\`hashlib.pbkdf2_hmac\`, \`hashlib.scrypt\`,
\`cryptography\` KDFs, RSA key generation), compression and decompression of data that arrives at
runtime (\`zlib\`, \`gzip\`, \`bz2\`, \`lzma\`, \`brotli\`, \`zstandard\`, \`lz4\`), Pillow image operations,
PDF, Word and spreadsheet rendering and parsing (WeasyPrint, reportlab, \`pypdf\`, PyMuPDF,
python-docx, openpyxl), running machine-learning models (sentence-transformers' \`encode\`,
\`transformers\` \`generate\`, spaCy's \`pipe\`, Whisper's \`transcribe\`, scikit-learn's \`fit\` and
\`predict\`), and the calls listed in the \`cpu-bound-calls\` setting.

Cheap work stays silent: \`hashlib.sha256\` and other digests, \`hmac.compare_digest\`,
\`bcrypt.gensalt\`, \`needs_update\` checks, key derivation with fewer than 10 000 rounds written
as a literal, compressing a literal, and data-frame work, whose cost depends on a size the code
does not show. Loading a model is slow too, but usually done once and kept: list your loader in
\`cpu-bound-calls\` if yours runs per request.

Like IL202 for blocking calls, it follows the coroutine's calls into the project's own sync
functions and methods, across modules and through attribute, parameter and return types: a
coroutine that calls \`user.check_password(pw)\`, where \`check_password\` calls \`bcrypt.checkpw\`, is
reported at its call, with the chain as related information. A helper that also blocks (it
writes the file it renders) is reported once, by IL202.

Pydantic validators (\`@field_validator\`, \`@model_validator\` and their v1 forms) of a model a
FastAPI route or dependency takes as a parameter are checked as well, with their base classes':
FastAPI builds that model from the request on the event loop before the handler runs, even when
the handler is a plain \`def\` (a \`password\` validator that hashes). A validator is a plain
\`def\` and cannot await, so no fix is offered: move the work into the handler.

In TypeScript and JavaScript it reports the CPU-heavy synchronous APIs — \`crypto.scryptSync\`,
\`pbkdf2Sync\` (10 000 rounds or more, or a count it cannot read), \`generateKeyPairSync\`,
\`randomBytes\` of megabytes, \`zlib.*Sync\` — sync password hashing (\`bcrypt\`/\`bcryptjs\`
\`compareSync\`/\`hashSync\`, \`@node-rs/*\` \`verifySync\`), hashing in WebAssembly (\`hash-wasm\`'s \`argon2Verify\` and \`bcryptVerify\`, whose promises resolve only after
the work is done on the main thread, awaited or not), and CPU-heavy work done in JavaScript itself:
\`jimp\` image operations, \`xlsx\`/\`exceljs\` parsing and writing, \`node-forge\` and \`node-rsa\` key
generation, \`pako\` compression. Salt generation (\`genSaltSync\`), the callback and promise forms of
\`crypto\` and \`zlib\`, native \`bcrypt\` and \`argon2\`'s async APIs (libuv's threadpool) and
\`JSON.parse\` stay silent.`,
      whyIsThisBad: `
A password hash is meant to take 100–500 ms of CPU. On the event loop nothing else runs during
that time: a burst of logins serialises every other request of the worker behind them, and
latency grows with each login in the queue. These libraries release the GIL while they work, so
running them in a thread lets the loop keep serving.`,
      examples: [
        {
          language: 'python',
          framework: 'FastAPI',
          bad: `
from fastapi import FastAPI, HTTPException
from passlib.context import CryptContext

app = FastAPI()
pwd_context = CryptContext(schemes=["bcrypt"])


@app.post("/login")
async def login(username: str, password: str):
    user = await find_user(username)
    if not pwd_context.verify(password, user.password_hash):
        raise HTTPException(status_code=401)
    return {"user": username}
`,
          good: `
from fastapi import FastAPI, HTTPException
from fastapi.concurrency import run_in_threadpool
from passlib.context import CryptContext

app = FastAPI()
pwd_context = CryptContext(schemes=["bcrypt"])


@app.post("/login")
async def login(username: str, password: str):
    user = await find_user(username)
    if not await run_in_threadpool(pwd_context.verify, password, user.password_hash):
        raise HTTPException(status_code=401)
    return {"user": username}
`,
        },
        {
          language: 'typescript',
          framework: 'Express',
          bad: `
import express from 'express';
import * as XLSX from 'xlsx';

const app = express();

app.post('/import', async (req, res) => {
  const workbook = XLSX.read(req.body.file);
  res.json({ sheets: workbook.SheetNames });
});
`,
          good: `
import express from 'express';
import Piscina from 'piscina';

const app = express();
const spreadsheets = new Piscina({ filename: new URL('./parse-workbook.js', import.meta.url).href });

app.post('/import', async (req, res) => {
  const sheets = await spreadsheets.run(req.body.file);
  res.json({ sheets });
});
`,
        },
      ],
      fixSafety: `
The fix wraps the call as \`await run_in_threadpool(f, *args)\` in FastAPI and Starlette code and
\`await asyncio.to_thread(f, *args)\` elsewhere, or turns an \`async def\` endpoint that never awaits
into a plain \`def\`. It is **unsafe**: the work then runs on another thread, concurrently with the
loop. Pure-Python CPU work that holds the GIL gains little from a thread; use a process pool
(\`loop.run_in_executor(ProcessPoolExecutor(), …)\`) for it. TypeScript gets no fix: move the work to
a \`worker_threads\` worker (a pool such as \`piscina\`) or to a native library such as \`sharp\`.`,
      whenNotToUse: `
When the input is known to be tiny (compressing a few bytes, hashing in a test fixture), suppress
the finding with a reason: \`# interleave: ignore[cpu-bound-in-async] -- 64-byte payload\`.`,
    },
  },
  check(context) {
    const { module, config, report } = context;
    const { blocking, cpuBound, offloadWrappers } = callCatalogs(config);
    // A helper that both blocks and burns CPU is IL202's: one finding for the call.
    const blockingGraph = new ProjectCallGraph(context.project, module, blocking, offloadWrappers);
    reportStallingChains(context, new ProjectCallGraph(context.project, module, cpuBound, offloadWrappers), CPU_CHAINS, { deferTo: blockingGraph });
    for (const fn of module.functions) {
      const placement = loopPlacement(context, fn);
      if (!placement) continue;
      for (const group of matchGroups(fn, cpuBound)) {
        const { call, entry } = group.first;
        const { fix, advice } = remedyFor(context, fn, [group]);
        report({
          message: `\`${call.text}()\` in ${describeFunction(fn, module.language)}${reachedFrom(placement.witness)} ${entry.does}: for the tens to hundreds of milliseconds it takes, no other request on this worker runs. ${advice}`,
          range: call.range,
          severity: loopSeverity(phaseAt(fn, placement, call.range)),
          fix,
          story: { kind: 'blocking-call', call: storyStep(module, call.range, call.statement), chain: [], does: entry.does },
        });
      }
    }
  },
};
