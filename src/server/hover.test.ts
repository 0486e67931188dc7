import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RULES } from '../rules';
import type { Hazard, HazardStory } from '../core/hazard';
import { escapeMessage, explainCommandUri, hoverMarkdown, interleavingMarkdown, leadingSentences } from './hover';

describe('hover markdown', () => {
  test('keeps quoted user code as code spans and escapes everything else', () => {
    assert.equal(escapeMessage('`a_b * 2` is *read* at <line> 8'), '`a_b * 2` is \\*read\\* at &lt;line&gt; 8');
    assert.equal(escapeMessage('`</script><img src=x onerror=alert(1)>` [x](command:evil)'), '`</script><img src=x onerror=alert(1)>` \\[x\\](command:evil)');
    assert.equal(escapeMessage('# not a heading'), '\\# not a heading');
  });

  test('takes the first sentences of a docs section, not counting periods in code or abbreviations', () => {
    const text = 'Calling `f.x()` does nothing. It only e.g. creates an object. Then more. And more.\n\nNext paragraph.';
    assert.equal(leadingSentences(text, 2), 'Calling `f.x()` does nothing. It only e.g. creates an object.');
    assert.equal(leadingSentences('One line without a stop', 3), 'One line without a stop');
  });

  test('every rule has a short why for the hover', () => {
    for (const { meta } of RULES) {
      const why = leadingSentences(meta.docs.whyIsThisBad, 3);
      assert.ok(why.length > 20 && why.length < 700, `${meta.code}: ${why}`);
    }
  });

  test('links the explainer command with the finding as its argument', () => {
    const reference = { uri: 'file:///a.py', range: { start: { line: 1, character: 2 }, end: { line: 1, character: 5 } }, code: 'IL101' };
    const uri = explainCommandUri(reference);
    assert.ok(uri.startsWith('command:interleave.explain?'));
    assert.deepEqual(JSON.parse(decodeURIComponent(uri.slice('command:interleave.explain?'.length))), [reference]);
  });
});

describe('the hover of a finding', () => {
  const meta = RULES.find((rule) => rule.meta.code === 'IL201')!.meta;
  const step = (line: number, code: string) => ({ range: { start: { line, character: 4 }, end: { line, character: 10 } }, code });
  const hazard: Hazard = {
    code: 'IL201',
    name: 'blocking-call',
    severity: 'warning',
    message: '`time.sleep()` in `async def a` sleeps the whole worker thread',
    path: '/p/a.py',
    range: step(8, 'time.sleep(1)').range,
    related: [],
    story: { kind: 'blocking-call', call: step(8, 'load()'), chain: [step(2, 'open(path)')], does: 'reads a file' },
    fix: { applicability: 'safe', message: 'Replace with `await asyncio.sleep(…)`', edits: [] },
  };

  test('tells the interleaving and the fix, not the message the diagnostic already shows', () => {
    const markdown = hoverMarkdown(hazard, meta);
    assert.ok(!markdown.includes(hazard.message));
    assert.match(markdown, /^\*\*IL201 blocking-call\*\*\n\n1\. `load\(\)` \(line 9\) runs on the event loop and, through `open\(path\)` \(line 3\), reads a file\.\n2\. /);
    assert.match(markdown, /\*\*Fix\*\* \(safe\): Replace with `await asyncio\.sleep\(…\)`/);
  });

  test('says why from the finding’s explanation when it has one, else from the rule’s docs', () => {
    assert.ok(hoverMarkdown(hazard, meta).includes(leadingSentences(meta.docs.whyIsThisBad, 3)));
    const explained = hoverMarkdown({ ...hazard, explanation: 'Your `load()` reads `settings.json` on every request.' }, meta);
    assert.match(explained, /Your `load\(\)` reads `settings\.json` on every request\./);
    assert.ok(!explained.includes(leadingSentences(meta.docs.whyIsThisBad, 3)));
  });

  test('escapes an explanation as it does a message: code from the repository cannot plant a link', () => {
    const explanation = '`NOTE = "`" + x` is read, then [click here](command:workbench.action.terminal.new).\n\nSecond paragraph.';
    const markdown = hoverMarkdown({ ...hazard, explanation }, meta);
    assert.ok(markdown.includes('\\[click here\\](command:workbench.action.terminal.new)'), markdown);
    assert.match(markdown, /\.\n\nSecond paragraph\./);
  });

  test('every story kind tells its steps in the user’s names', () => {
    const stories: HazardStory[] = [
      { kind: 'lost-update', state: 'COUNTS', read: step(1, 'n = COUNTS'), suspend: step(2, 'await x()'), write: step(3, 'COUNTS = n + 1') },
      { kind: 'check-then-act', state: 'BAL', check: step(1, 'if BAL > 0:'), suspend: step(2, 'await x()'), write: step(3, 'BAL -= 1') },
      { kind: 'thread-race', state: 'HITS', read: step(1, 'n = HITS'), write: step(3, 'HITS = n + 1') },
      { kind: 'missing-cleanup', opened: step(1, 'client = httpx.AsyncClient()'), close: 'await client.aclose()' },
      { kind: 'per-process', state: 'SESSIONS', definition: step(1, 'SESSIONS = {}'), mutations: [step(5, 'SESSIONS[k] = v')], workers: { count: 4 } },
    ];
    for (const story of stories) {
      const steps = interleavingMarkdown(story).join('\n');
      assert.match(steps, /^1\. /, story.kind);
      assert.match(steps, /\(line 2\)/, story.kind);
    }
    assert.match(interleavingMarkdown(stories[4]).join('\n'), /each of the 4 worker processes changes its own copy/);
  });
});
