import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Hazard } from './hazard';
import { headline, HEADLINE_LENGTH, withHeadline } from './headline';

// Messages as the rules write them, from a run on a real FastAPI app and on the rule fixtures.
const UNKEPT_TASK =
  "`ensure_future(loop())` starts a task that nobody keeps (its result is dropped): the event loop holds only a weak reference, so it can be garbage-collected before it finishes, and its exception is never seen. Keep a reference until it is done (a set plus `add_done_callback(set.discard)`), use an `asyncio.TaskGroup`, or hand work that follows the response to `BackgroundTasks`.";
const THREAD_CHECK_THEN_ACT =
  'The test at line 37 reads `_LAST_RESET` and line 38 writes `_LAST_RESET` relying on it, in `def get_latest_version`, which runs in the threadpool: another thread can pass the same test before this one writes, and both act on it. Hold a `threading.Lock` across the test and the write. It runs per request in the threadpool, reached from `GET ` → `get_latest_version()`.';
const FOR_EACH =
  "This async callback runs once per element, and `forEach` neither waits for the callbacks nor handles their failures. The loop finishes before the work does, and a rejection goes only to the process-wide `unhandledRejection` handler (process-handler.ts:8). Use `for (const item of items) await …`, or `await Promise.all(items.map(async (item) => …))`.";
const STALE_READ =
  '`scores["p1"]` is read at line 12, the coroutine yields at line 13 (`await asyncio.sleep(0)`), and line 14 writes a value computed from the stale read: a concurrent request\'s update in between is lost. Hold an `asyncio.Lock` from the read to the write, or re-read after the await.';
const PER_PROCESS =
  '`CARTS` is application state kept in process memory, mutated by request handlers (`add_to_cart` line 20; `add_to_cart` line 23; `react` line 40). gunicorn.conf.py:2 runs 4 workers: each has its own `CARTS`, so a change made on one worker is invisible to the other 3. Keep it in Redis or a database, or run and document a single worker.';

describe('headline', () => {
  it('keeps a message that fits, up to exactly the limit', () => {
    const fits = `\`x\` ${'y'.repeat(HEADLINE_LENGTH - 5)}: z`.slice(0, HEADLINE_LENGTH);
    assert.equal(fits.length, HEADLINE_LENGTH);
    assert.deepEqual(headline(fits), { message: fits });
    assert.deepEqual(headline('`count` written from a read made before the await at line 43'), { message: '`count` written from a read made before the await at line 43' });
  });

  it('keeps a message and the explanation its rule wrote', () => {
    assert.deepEqual(headline(UNKEPT_TASK, 'Why, in the user’s names.'), { message: UNKEPT_TASK, explanation: 'Why, in the user’s names.' });
  });

  it('ends at the first clause and moves the rest to the explanation', () => {
    assert.deepEqual(headline(UNKEPT_TASK), {
      message: '`ensure_future(loop())` starts a task that nobody keeps (its result is dropped)',
      explanation:
        "The event loop holds only a weak reference, so it can be garbage-collected before it finishes, and its exception is never seen. Keep a reference until it is done (a set plus `add_done_callback(set.discard)`), use an `asyncio.TaskGroup`, or hand work that follows the response to `BackgroundTasks`.",
    });
    assert.deepEqual(headline(FOR_EACH), {
      message: 'This async callback runs once per element, and `forEach` neither waits for the callbacks nor handles their failures',
      explanation: FOR_EACH.slice(FOR_EACH.indexOf('The loop finishes')),
    });
  });

  it('does not end a clause inside a code span', () => {
    const code = `\`config: settings; x. y\` and \`a: b\` is read ${'and then read again '.repeat(3)}: ${'the rest '.repeat(10)}`;
    assert.equal(headline(code).message, code.slice(0, code.indexOf(' : ')));
  });

  it('drops the parenthetical asides of a first clause too long to fit, then cuts at a word; the explanation goes on from there', () => {
    assert.deepEqual(headline(STALE_READ), {
      message: '`scores["p1"]` is read at line 12, the coroutine yields at line 13, and line 14 writes a value computed from the stale…',
      explanation: `${STALE_READ.replace(/^.* the stale /, '…')} Details: \`await asyncio.sleep(0)\`.`,
    });
    const perProcess = headline(PER_PROCESS);
    assert.equal(perProcess.message, '`CARTS` is application state kept in process memory, mutated by request handlers');
    assert.ok(!perProcess.explanation!.includes(perProcess.message), 'the explanation does not repeat the headline');
  });

  it('with no clause boundary, the explanation is the asides the headline left out, never the headline again', () => {
    const message = `\`client.fetch()\` builds a client on every call (\`Client()\` at api.py:3, through \`make_client\`.) in the handler \`orders\` of \`POST /orders\` ${'and more '.repeat(3)}`;
    const cut = headline(message.trim());
    assert.ok(cut.message.length <= HEADLINE_LENGTH, cut.message);
    assert.equal(cut.explanation, 'Details: `Client()` at api.py:3, through `make_client`.');
  });

  it('does not end a clause at an abbreviation', () => {
    const message = `Blocking calls, e.g. \`open()\`, hold the loop. ${'More about it. '.repeat(10)}`;
    assert.equal(headline(message).message, 'Blocking calls, e.g. `open()`, hold the loop');
  });

  it('cuts at the last word that fits when the first clause ends too late; the explanation goes on from there', () => {
    const cut = headline(THREAD_CHECK_THEN_ACT);
    assert.equal(cut.message, 'The test at line 37 reads `_LAST_RESET` and line 38 writes `_LAST_RESET` relying on it, in `def get_latest_version`…');
    assert.ok(cut.message.length <= HEADLINE_LENGTH);
    assert.equal(cut.explanation, THREAD_CHECK_THEN_ACT.replace(/^.*`def get_latest_version`, /, '…'));
    assert.match(headline('`buildUpload()` builds a new AWS SDK client each time (`S3Client` at s3.ts:3, through `buildS3Storage`) for every request in the Express POST handler at line 5: SDK clients are costly.').explanation!, /^SDK clients are costly\. Details: `S3Client` at s3\.ts:3, through `buildS3Storage`\.$/, 'the asides the headline leaves out end the explanation');
  });

  it('cuts before a long code span rather than inside it', () => {
    const span = `\`${'service.repository.'.repeat(8)}get_one()\``;
    const cut = headline(`The result of ${span} is cached across requests and reused by every later request`);
    assert.equal(cut.message, 'The result of…');
  });

  it('keeps a message whole when it has nowhere to cut outside a code span', () => {
    const message = `\`${'service.repository.'.repeat(8)}get_one()\` is cached across requests`;
    assert.deepEqual(headline(message), { message });
  });

  it('gives every headline of a long message at most the limit', () => {
    for (const message of [UNKEPT_TASK, THREAD_CHECK_THEN_ACT, FOR_EACH, STALE_READ, PER_PROCESS, 'word '.repeat(60)]) {
      assert.ok(headline(message).message.length <= HEADLINE_LENGTH, message);
    }
  });
});

describe('withHeadline', () => {
  const hazard: Hazard = {
    code: 'IL401',
    name: 'unkept-task',
    severity: 'warning',
    message: UNKEPT_TASK,
    path: '/app/main.py',
    range: { start: { line: 3, character: 4 }, end: { line: 3, character: 26 } },
    related: [],
  };

  it('cuts the message and sets the explanation, leaving the rest of the hazard as it is', () => {
    const shown = withHeadline(hazard);
    assert.deepEqual({ ...shown, message: hazard.message, explanation: undefined }, { ...hazard, explanation: undefined });
    assert.equal(shown.message, headline(UNKEPT_TASK).message);
    assert.equal(shown.explanation, headline(UNKEPT_TASK).explanation);
  });

  it('returns a hazard whose message fits as it is', () => {
    const short = { ...hazard, message: '`loop()` starts a task that nobody keeps' };
    assert.equal(withHeadline(short), short);
  });
});
