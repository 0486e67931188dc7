import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RULES } from '../rules';
import { escapeMessage, explainCommandUri, leadingSentences } from './hover';

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
