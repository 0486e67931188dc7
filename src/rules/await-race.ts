import { analyzeRaces } from '../core/race-analysis';
import type { Rule } from '../core/rule';
import { asyncVocabulary, line, lockFix, overlapOf, reachedBy } from './race-reporting';
import { storyStep } from './story-steps';

export const awaitRace: Rule = {
  meta: {
    code: 'IL101',
    name: 'await-race',
    family: 'race',
    defaultSeverity: 'warning',
    summary: 'Shared state is read before an await and written after it from the stale read: a concurrent update is lost.',
    languages: ['python', 'typescript'],
    fix: 'unsafe',
    docs: {
      whatItDoes: `
Checks coroutines for a read of shared state — a module-level variable, a class attribute, an
attribute of a module-level object, \`app.state\` — followed by a suspension point (\`await\`,
\`async with\`, \`async for\`) and then a write to the same state of a value computed from the
first read. This includes the one-line forms \`x += await f()\` and
\`STATE[k] = STATE[k] + await g()\`, which read before they await.

In TypeScript and JavaScript every async function is checked. Shared state there is module-level
\`let\`/\`var\` bindings and the \`const\` objects, \`Map\`s, \`Set\`s and arrays they hold (\`map.get\` →
\`await\` → \`map.set\`, \`count += await f()\`), static fields, fields of singletons (module-level
instances, NestJS providers) and Express's \`app.locals\`. Per-request objects — \`req\`, \`res\`,
\`res.locals\`, Koa's \`ctx\` and \`ctx.state\`, Fastify's \`request\` and \`reply\`, parameters — are
never shared state, and a value saved and restored unchanged is not an update computed from a
stale read: the shapes that make ESLint's \`require-atomic-updates\` noisy stay silent.`,
      whyIsThisBad: `
Every \`await\` hands the event loop to other requests. If two requests run the handler at the
same time, both read the same old value, both suspend, and both write \`old + 1\`: one update is
lost, without an error, and only under load. The code looks sequential, which is what makes the
bug hard to see in review.`,
      examples: [
        {
          language: 'python',
          framework: 'FastAPI',
          bad: `
import asyncio

stock = {"widget": 10}


async def reserve(item: str, quantity: int) -> None:
    available = stock[item]
    await audit_log(item, quantity)
    stock[item] = available - quantity
`,
          good: `
import asyncio

stock = {"widget": 10}
stock_lock = asyncio.Lock()


async def reserve(item: str, quantity: int) -> None:
    async with stock_lock:
        available = stock[item]
        await audit_log(item, quantity)
        stock[item] = available - quantity
`,
        },
        {
          language: 'typescript',
          framework: 'Express',
          bad: `
import express from 'express';
import { auditLog } from './audit';

const app = express();
const stock = new Map<string, number>([['widget', 10]]);

app.post('/reserve/:item', async (req, res) => {
  const available = stock.get(req.params.item) ?? 0;
  await auditLog(req.params.item);
  stock.set(req.params.item, available - 1);
  res.sendStatus(204);
});
`,
          good: `
import { Mutex } from 'async-mutex';
import express from 'express';
import { auditLog } from './audit';

const app = express();
const stock = new Map<string, number>([['widget', 10]]);
const stockMutex = new Mutex();

app.post('/reserve/:item', async (req, res) => {
  await stockMutex.runExclusive(async () => {
    const available = stock.get(req.params.item) ?? 0;
    await auditLog(req.params.item);
    stock.set(req.params.item, available - 1);
  });
  res.sendStatus(204);
});
`,
        },
      ],
      fixSafety: `
The fix wraps the statements from the read to the write in \`async with <lock>:\`, defining a
module-level \`asyncio.Lock()\` if the module has none for this state. It is **unsafe**: it
serialises every request through that section, and it deadlocks if the awaited call acquires the
same lock. Often the better change is to move the \`await\` out of the read–modify–write, so that
the update happens without a suspension in between.

In TypeScript no fix is offered: wrapping statements in a callback changes what their \`const\`s and
\`return\`s mean. Hold a mutex yourself (\`await mutex.runExclusive(async () => { … })\` with
\`async-mutex\`), or move the \`await\` out of the read–modify–write.`,
      whenNotToUse: `
When the state is only ever touched by one task at a time by construction (for example a
coroutine that runs once at import or is guarded by a lock Interleave cannot see), suppress the
finding on that line with a reason: \`# interleave: ignore[await-race] -- single consumer task\`
(\`// interleave-ignore IL101 -- single consumer task\` in TypeScript).`,
    },
  },
  check(context) {
    const { module, fixes, report } = context;
    for (const fn of module.functions) {
      const { suspender, lock } = asyncVocabulary(module.language);
      for (const { read, suspend, write } of analyzeRaces(fn, 'loop').lostUpdates) {
        const overlap = overlapOf(context, fn, 'loop', write.state.key);
        if (!overlap) continue;
        const state = write.state.text;
        const sameLine = read.range.start.line === write.range.start.line;
        const message = sameLine
          ? `\`${state}\` is read, ${suspender} yields at \`await ${suspend.text}\`, and the value computed from that read is written back, all on ${line(write.range)}: an update another request makes during the await is lost. Await first and update after, or hold ${lock} around both.`
          : `\`${state}\` is read at ${line(read.range)}, ${suspender} yields at ${line(suspend.range)} (\`${suspend.form === 'await' ? 'await ' : ''}${suspend.text}\`), and ${line(write.range)} writes a value computed from the stale read: a concurrent request's update in between is lost. Hold ${lock} from the read to the write, or re-read after the await.`;
        report({
          message: message + reachedBy(overlap),
          range: write.range,
          related: [
            { path: module.path, range: read.range, message: `\`${read.state.text}\` read here` },
            { path: module.path, range: suspend.range, message: 'suspends here: other requests run' },
          ],
          fix: lockFix(fixes, read.statement, write.statement, 'asyncio', write.state.root),
          story: {
            kind: 'lost-update',
            state,
            read: storyStep(module, read.range, read.statement),
            suspend: storyStep(module, suspend.range, suspend.statement),
            write: storyStep(module, write.range, write.statement),
          },
        });
      }
    }
  },
};
