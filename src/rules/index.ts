import type { Rule } from '../core/rule';
import { awaitCheckThenAct } from './await-check-then-act';
import { awaitRace } from './await-race';
import { blockingCall } from './blocking-call';
import { blockingCallTransitive } from './blocking-call-transitive';
import { cachedRequestData } from './cached-request-data';
import { cachedCoroutine } from './cached-coroutine';
import { cpuBoundInAsync } from './cpu-bound-in-async';
import { danglingTask } from './dangling-task';
import { deprecatedStartupHook } from './deprecated-startup-hook';
import { forkSharedConnection } from './fork-shared-connection';
import { loopReentry } from './loop-reentry';
import { missingCleanup } from './missing-cleanup';
import { ormLostUpdate } from './orm-lost-update';
import { perProcessState } from './per-process-state';
import { perRequestClient } from './per-request-client';
import { reloadInProduction } from './reload-in-production';
import { syncPrimitiveInAsync } from './sync-primitive-in-async';
import { threadpoolRace } from './threadpool-race';
import { unawaitedCoroutine } from './unawaited-coroutine';
import { unboundedFanout } from './unbounded-fanout';
import { unmanagedThread } from './unmanaged-thread';
import { wsgiWorkerForAsgi } from './wsgi-worker-for-asgi';

/** Every rule, sorted by code. A test fails when a rule file is not listed here. */
export const RULES: readonly Rule[] = [
  awaitRace,
  threadpoolRace,
  perProcessState,
  awaitCheckThenAct,
  ormLostUpdate,
  blockingCall,
  blockingCallTransitive,
  cpuBoundInAsync,
  syncPrimitiveInAsync,
  missingCleanup,
  perRequestClient,
  deprecatedStartupHook,
  danglingTask,
  unmanagedThread,
  unawaitedCoroutine,
  loopReentry,
  cachedCoroutine,
  unboundedFanout,
  wsgiWorkerForAsgi,
  reloadInProduction,
  forkSharedConnection,
  cachedRequestData,
];
