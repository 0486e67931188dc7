import type { ApplicationFact, FunctionFacts, LifecycleHookFact } from '../core/facts';
import type { Fix } from '../core/hazard';
import type { RegisteredHook, Rule } from '../core/rule';

const FORM_TEXT: Record<LifecycleHookFact['form'], (hook: LifecycleHookFact) => string> = {
  decorator: (hook) => `\`@${hook.application}.on_event("${hook.event}")\``,
  'registration-call': (hook) => `\`${hook.application}.add_event_handler("${hook.event}", …)\``,
  'constructor-argument': (hook) => `\`on_${hook.event}=\``,
};

/** One fix converts all of an application's hooks, so it is the same for each of its findings. */
function lifespanFix(
  application: ApplicationFact | undefined,
  hooks: readonly LifecycleHookFact[],
  functions: ReadonlyMap<string, FunctionFacts>,
  convert: (application: ApplicationFact, hooks: readonly RegisteredHook[]) => { edits: Fix['edits']; lifespanName: string } | undefined,
): Fix | undefined {
  if (!application) return undefined;
  const registered: RegisteredHook[] = [];
  for (const hook of hooks) {
    const callback = hook.callback ? functions.get(hook.callback) : undefined;
    if (!callback) return undefined;
    registered.push({ hook, callback });
  }
  const converted = convert(application, registered);
  return converted && {
    applicability: 'unsafe',
    message: `Move the startup/shutdown hooks of \`${application.name}\` into an \`@asynccontextmanager\` lifespan, \`${converted.lifespanName}\``,
    edits: converted.edits,
  };
}

function rangesEqual(a: LifecycleHookFact, b: LifecycleHookFact): boolean {
  return a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character;
}

export const deprecatedStartupHook: Rule = {
  meta: {
    code: 'IL303',
    name: 'deprecated-startup-hook',
    family: 'lifespan',
    defaultSeverity: 'info',
    summary: '`on_event("startup"/"shutdown")`, `add_event_handler` and `on_startup=`/`on_shutdown=` are deprecated in favour of a lifespan.',
    languages: ['python'],
    fix: 'unsafe',
    docs: {
      whatItDoes: `
Finds startup and shutdown callbacks registered the deprecated ways: the
\`@app.on_event("startup")\` / \`@app.on_event("shutdown")\` decorators (on apps and routers),
\`app.add_event_handler(...)\`, and Starlette's \`on_startup=[...]\` / \`on_shutdown=[...]\`
constructor arguments.`,
      whyIsThisBad: `
FastAPI and Starlette deprecated these hooks for a single \`lifespan\` context manager. Split hooks
keep what is opened and what is closed apart, so a client opened at startup is easily never
closed (IL301), and state has to travel through globals or \`app.state\`. The two styles do not
mix: once an app is given \`lifespan=\`, its \`on_event\` handlers are silently **not called**. A
lifespan puts setup before the \`yield\` and teardown after it, where \`async with\` closes what was
opened even when startup fails half-way.`,
      examples: [
        {
          language: 'python',
          framework: 'FastAPI',
          bad: `
from fastapi import FastAPI

app = FastAPI()


@app.on_event("startup")
async def load_catalog() -> None:
    app.state.catalog = {"widget": 10}
`,
          good: `
from contextlib import asynccontextmanager

from fastapi import FastAPI


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.catalog = {"widget": 10}
    yield


app = FastAPI(lifespan=lifespan)
`,
        },
      ],
      fixSafety: `
The fix removes the hook registrations, adds an \`@asynccontextmanager\` lifespan that calls the
startup functions, yields, then calls the shutdown functions, and passes it to the application's
constructor. It is **unsafe**: hooks registered on included routers or in other modules are not
moved (they stop running once the app has a lifespan), and code elsewhere that calls the hook
functions is unaffected. It is offered when the application is created in the same module
without \`lifespan=\` and every hook is a module-level function defined there.`,
      whenNotToUse: `
On a framework version that predates lifespans, or in a codebase that migrates later on purpose:
select the rule off (\`ignore = ["IL303"]\`) rather than suppressing each hook.`,
    },
  },
  check({ module, fixes, report }) {
    const hooks = module.lifecycleHooks.filter((hook) => hook.framework === 'fastapi' || hook.framework === 'starlette');
    const functions = new Map(module.functions.map((fn) => [fn.id, fn]));
    const reported = new Set<string>();
    for (const hook of hooks) {
      const site = `${hook.range.start.line}:${hook.range.start.character}`;
      if (reported.has(site)) continue;
      reported.add(site);
      const application = module.applications.find((candidate) => candidate.name === hook.application);
      const ignored = application?.keywords.includes('lifespan')
        ? ` Worse, \`${application.name}\` is created with \`lifespan=\`, so this hook is never called at all.`
        : '';
      const appHooks = hooks.filter((other) => other.application === hook.application);
      const callbacks = hooks.filter((other) => rangesEqual(other, hook)).map((other) => `\`${other.callbackText}\``);
      report({
        message: `${FORM_TEXT[hook.form](hook)} registers ${callbacks.join(', ')} as ${callbacks.length > 1 ? `${hook.event} hooks` : `a ${hook.event} hook`}, which FastAPI and Starlette deprecate for a \`lifespan\` context manager: setup before its \`yield\`, teardown after it, so what startup opens is closed in the same place.${ignored}`,
        range: hook.range,
        fix: ignored ? undefined : lifespanFix(application, appHooks, functions, (app, registered) => fixes.convertHooksToLifespan(app, registered)),
      });
    }
  },
};
