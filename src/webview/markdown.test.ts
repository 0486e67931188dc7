import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFindingText, parseInline, parseMarkdown } from './markdown';

describe('explainer markdown', () => {
  it('splits inline code, strong, emphasis and links from text', () => {
    assert.deepEqual(parseInline('Use `asyncio.Lock` — it is **unsafe** and *slow*, see [docs](https://x.test/a).'), [
      { kind: 'text', text: 'Use ' },
      { kind: 'code', text: 'asyncio.Lock' },
      { kind: 'text', text: ' — it is ' },
      { kind: 'strong', text: 'unsafe' },
      { kind: 'text', text: ' and ' },
      { kind: 'emphasis', text: 'slow' },
      { kind: 'text', text: ', see ' },
      { kind: 'link', text: 'docs', url: 'https://x.test/a' },
      { kind: 'text', text: '.' },
    ]);
  });

  it('reads a finding as code spans and text only: a backtick in quoted code cannot open a link', () => {
    const message = '`NOTE = "`" + x` is read, then [click here](https://evil.example/phish) and **bold**';
    const inlines = parseFindingText(message);
    assert.ok(inlines.every((inline) => inline.kind === 'text' || inline.kind === 'code'));
    assert.ok(inlines.some((inline) => inline.kind === 'text' && inline.text.includes('[click here](https://evil.example/phish)')));
  });

  it('keeps markup in the source as text', () => {
    assert.deepEqual(parseInline('<img src=x onerror=alert(1)> and `</script>`'), [
      { kind: 'text', text: '<img src=x onerror=alert(1)> and ' },
      { kind: 'code', text: '</script>' },
    ]);
  });

  it('groups paragraphs, lists and fenced code', () => {
    const blocks = parseMarkdown(['', 'First line', 'continues.', '', '- one', '  wrapped', '- two', '', '```python', 'x = 1', '', 'y = 2', '```', 'Last.'].join('\n'));
    assert.deepEqual(blocks, [
      { kind: 'paragraph', inlines: [{ kind: 'text', text: 'First line continues.' }] },
      { kind: 'list', items: [[{ kind: 'text', text: 'one wrapped' }], [{ kind: 'text', text: 'two' }]] },
      { kind: 'code', text: 'x = 1\n\ny = 2' },
      { kind: 'paragraph', inlines: [{ kind: 'text', text: 'Last.' }] },
    ]);
  });
});
