import type { Rule } from '../core/rule';
import { ASYNC_CACHES, RESULT_CACHING_DECORATORS } from './catalog/tasks';

export const cachedCoroutine: Rule = {
  meta: {
    code: 'IL405',
    name: 'cached-coroutine',
    family: 'tasks',
    defaultSeverity: 'error',
    summary: '`@lru_cache`/`@cache` on an `async def` caches a coroutine object, which can be awaited only once.',
    languages: ['python'],
    fix: 'none',
    docs: {
      whatItDoes: `
Finds \`async def\` functions (and async methods) decorated with a cache that stores the return
value: \`functools.lru_cache\`, \`functools.cache\`, \`functools.cached_property\`, and the
\`cachetools\` decorators.`,
      whyIsThisBad: `
Calling a coroutine function does not run it: it returns a coroutine object, and that object is
what the cache stores. The first caller awaits it and gets the result; every later caller with
the same arguments gets the *same, already finished* coroutine and \`await\` raises
\`RuntimeError: cannot reuse already awaited coroutine\`. In a web app this means the first request
works and the second fails — often only in production, where the cache is warm.`,
      examples: [
        {
          language: 'python',
          framework: 'FastAPI',
          bad: `
from functools import lru_cache

import httpx


@lru_cache
async def exchange_rate(currency: str) -> float:
    async with httpx.AsyncClient() as client:
        response = await client.get(f"https://rates.example.com/{currency}")
    return response.json()["rate"]
`,
          good: `
from async_lru import alru_cache

import httpx


@alru_cache(maxsize=128)
async def exchange_rate(currency: str) -> float:
    async with httpx.AsyncClient() as client:
        response = await client.get(f"https://rates.example.com/{currency}")
    return response.json()["rate"]
`,
        },
      ],
      fixSafety: `
There is no automatic fix: the replacement (\`async_lru.alru_cache\`, \`aiocache\`, or caching the
awaited *result* in a dict guarded by an \`asyncio.Lock\`) is a new dependency or a design choice.`,
      whenNotToUse: `
Never needed for coroutine functions; if a decorator Interleave reads as a cache is in fact your
own async-aware one with the same name, suppress with a reason:
\`# interleave: ignore[cached-coroutine] -- our lru_cache is async-aware\`.`,
    },
  },
  check({ module, report }) {
    for (const fn of module.functions) {
      if (!fn.isAsync) continue;
      fn.decorators.forEach((decorator, index) => {
        const shown = RESULT_CACHING_DECORATORS.get(decorator);
        const range = fn.decoratorRanges[index];
        if (!shown || !range) return;
        const memoizes = decorator === 'functools.cached_property' ? 'the first access' : 'each distinct set of arguments';
        report({
          message: `\`${shown}\` on \`async def ${fn.name}\` caches the coroutine object that ${memoizes} returns, not its result: the first caller awaits it, and every later caller gets the same finished coroutine and fails with "cannot reuse already awaited coroutine". Use an async-aware cache: ${ASYNC_CACHES}.`,
          range,
          related: [{ path: module.path, range: fn.nameRange, message: `\`${fn.name}\` is a coroutine function` }],
        });
      });
    }
  },
};
