import type { Rule } from '../core/rule';
import { awaitCheckThenAct } from './await-check-then-act';
import { awaitRace } from './await-race';
import { cachedCoroutine } from './cached-coroutine';
import { danglingTask } from './dangling-task';
import { deprecatedStartupHook } from './deprecated-startup-hook';
import { loopReentry } from './loop-reentry';
import { missingCleanup } from './missing-cleanup';
import { perProcessState } from './per-process-state';
import { perRequestClient } from './per-request-client';
import { threadpoolRace } from './threadpool-race';
import { unawaitedCoroutine } from './unawaited-coroutine';
import { unmanagedThread } from './unmanaged-thread';

/** Every rule, sorted by code. A test fails when a rule file is not listed here. */
export const RULES: readonly Rule[] = [
  awaitRace,
  threadpoolRace,
  perProcessState,
  awaitCheckThenAct,
  missingCleanup,
  perRequestClient,
  deprecatedStartupHook,
  danglingTask,
  unmanagedThread,
  unawaitedCoroutine,
  loopReentry,
  cachedCoroutine,
];
