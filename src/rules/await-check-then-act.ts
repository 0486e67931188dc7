import { analyzeRaces, mayMemoise } from '../core/race-analysis';
import type { Rule } from '../core/rule';
import { asyncVocabulary, line, liveValueOf, lockFix, overlapOf, reachedBy } from './race-reporting';
import { storyStep } from './story-steps';

export const awaitCheckThenAct: Rule = {
  meta: {
    code: 'IL104',
    name: 'await-check-then-act',
    family: 'race',
    defaultSeverity: 'warning',
    summary: 'A decision on shared state is followed by an await and then a write that relies on the decision still holding.',
    languages: ['python', 'typescript'],
    preview: true,
    fix: 'unsafe',
    docs: {
      whatItDoes: `
Checks coroutines for a test of shared state (\`if BALANCES[user] >= amount:\`,
\`if name in TAKEN: raise ...\`, \`if not JOBS[job_id]["running"]:\`), then a suspension point,
then a write to that state that is only correct if the test still holds.`,
      whyIsThisBad: `
The test and the write are separated by an \`await\`, so another request can run between them and
change the state. Both requests pass the check — two withdrawals from a balance that covers one,
two users registering the same name, a job started twice — and the write acts on a decision that
is no longer true.

Memo caches stay silent: \`if key not in CACHE: CACHE[key] = await load(key)\` at worst loads the
same value twice. So do guard flags set before the await (\`if BUSY: return\`, \`BUSY = True\`,
\`await work()\`), because the test and the claim happen without a suspension in between. In
TypeScript the same holds for \`map.has(k)\`/\`set.has(k)\` tests, \`k in obj\`, comparisons with
\`undefined\`, and the state Node shares (see IL101); tests on \`req\`, \`ctx\` and other per-request
objects are never reported.`,
      examples: [
        {
          language: 'python',
          framework: 'FastAPI',
          bad: `
balances: dict[str, int] = {}


async def withdraw(user: str, amount: int) -> None:
    if balances[user] >= amount:
        await payments.charge(user, amount)
        balances[user] -= amount
`,
          good: `
import asyncio

balances: dict[str, int] = {}
balances_lock = asyncio.Lock()


async def withdraw(user: str, amount: int) -> None:
    async with balances_lock:
        if balances[user] < amount:
            raise InsufficientFunds(user)
        balances[user] -= amount
    try:
        await payments.charge(user, amount)
    except PaymentError:
        async with balances_lock:
            balances[user] += amount
        raise
`,
        },
        {
          language: 'typescript',
          framework: 'Express',
          bad: `
import express from 'express';
import { payments } from './payments';

const app = express();
const balances = new Map<string, number>();

app.post('/withdraw', async (req, res) => {
  const { user, amount } = req.body;
  if ((balances.get(user) ?? 0) >= amount) {
    await payments.charge(user, amount);
    balances.set(user, (balances.get(user) ?? 0) - amount);
  }
  res.sendStatus(204);
});
`,
          good: `
import express from 'express';
import { payments } from './payments';

const app = express();
const balances = new Map<string, number>();

app.post('/withdraw', async (req, res) => {
  const { user, amount } = req.body;
  const balance = balances.get(user) ?? 0;
  if (balance < amount) {
    res.sendStatus(402);
    return;
  }
  balances.set(user, balance - amount);
  try {
    await payments.charge(user, amount);
  } catch (error) {
    balances.set(user, (balances.get(user) ?? 0) + amount);
    throw error;
  }
  res.sendStatus(204);
});
`,
        },
      ],
      fixSafety: `
The fix wraps the statements from the test to the write in \`async with <lock>:\` with a
module-level \`asyncio.Lock()\`. It is **unsafe**: the lock is held across the \`await\`, which
serialises the requests and deadlocks if the awaited code takes the same lock. Prefer claiming
the state before the await (deduct, then charge and refund on failure), as in the example. In
TypeScript no fix is offered; the same restructuring applies.`,
      whenNotToUse: `
When duplicated work is harmless and the write is idempotent, suppress the finding with a reason:
\`# interleave: ignore[await-check-then-act] -- idempotent\`.

Preview (off unless selected or with \`preview = true\`): on the real-code evaluation 2 of 6
judged findings were worth fixing — most were idempotent cache refills and lazy initialisers whose
double run is harmless — and it found 3 of 8 labelled hazards.`,
    },
  },
  check(context) {
    const { module, fixes, report } = context;
    for (const fn of module.functions) {
      const { suspender, lock } = asyncVocabulary(module.language);
      for (const { check, branch, suspend, write, fill, teardown } of analyzeRaces(fn, 'loop').staleDecisions) {
        const live = fill ? liveValueOf(fn, write) : undefined;
        if ((fill && !live && mayMemoise(fn)) || teardown) continue;
        const overlap = overlapOf(context, fn, 'loop', write.state.key);
        if (!overlap) continue;
        const state = check.state.text;
        const message = live
          ? `The test at ${line(branch.range)} finds \`${state}\` unset, ${suspender} yields at ${line(suspend.range)} (\`${suspend.text}\`), and ${line(write.range)} sets \`${write.state.text}\` to what \`${live.text}()\` makes: requests that arrive before the first one finishes all pass the test and each make their own, and all but the last are dropped without being closed. Make it once at startup, or hold ${lock} across the test and the creation.`
          : `The decision at ${line(branch.range)} reads \`${state}\`, ${suspender} yields at ${line(suspend.range)} (\`${suspend.text}\`), and ${line(write.range)} acts on that decision: another request can change \`${write.state.text}\` in between, so both pass the check. Make the check and the update one step with no await between them, or hold ${lock} across both.`;
        report({
          message: message + reachedBy(overlap),
          range: write.range,
          related: [
            { path: module.path, range: branch.range, message: `decides on \`${state}\` here` },
            { path: module.path, range: suspend.range, message: 'suspends here: other requests run' },
          ],
          fix: lockFix(fixes, check.statement, write.statement, 'asyncio', write.state.root),
          story: {
            kind: 'check-then-act',
            state,
            check: storyStep(module, branch.range, branch.statement),
            suspend: storyStep(module, suspend.range, suspend.statement),
            write: storyStep(module, write.range, write.statement),
          },
        });
      }
    }
  },
};
