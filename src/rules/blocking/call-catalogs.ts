import { CallMatcher, type CallEntry, type CatalogEntry } from '../../core/call-pattern';
import type { CallSetting, ResolvedConfig } from '../../core/config';
import { BLOCKING_CALLS } from '../catalog/blocking-calls';
import { CPU_BOUND_CALLS } from '../catalog/cpu-bound-calls';
import { NODE_BLOCKING_CALLS } from '../catalog/node-blocking-calls';
import { NODE_CPU_BOUND_CALLS } from '../catalog/node-cpu-bound-calls';
import { OFFLOAD_WRAPPERS } from '../catalog/offload-wrappers';
import { SYNC_PRIMITIVES } from '../catalog/sync-primitives';

/** The catalogs as the rules use them: built-in entries plus the user's, compiled once per configuration. */
export interface CallCatalogs {
  blocking: CallMatcher<CatalogEntry>;
  cpuBound: CallMatcher<CatalogEntry>;
  syncPrimitives: CallMatcher<CatalogEntry>;
  offloadWrappers: CallMatcher<CallEntry>;
}

const compiled = new WeakMap<ResolvedConfig, CallCatalogs>();

function userEntries(settings: readonly CallSetting[], does: string, suggestion: string): CatalogEntry[] {
  return settings.map((setting) => ({ calls: [setting.pattern], does, suggestion: setting.suggestion ?? suggestion }));
}

export function callCatalogs(config: ResolvedConfig): CallCatalogs {
  let catalogs = compiled.get(config);
  if (!catalogs) {
    const blocking = [
      ...BLOCKING_CALLS,
      ...NODE_BLOCKING_CALLS,
      ...userEntries(config.blockingCalls, 'blocks (listed in `blocking-calls`)', 'move it off the event loop: `await asyncio.to_thread(...)` in Python, a `worker_threads` worker in Node'),
    ];
    const cpuBound = [
      ...CPU_BOUND_CALLS,
      ...NODE_CPU_BOUND_CALLS,
      ...userEntries(config.cpuBoundCalls, 'is CPU-heavy (listed in `cpu-bound-calls`)', 'move it to a thread or a process pool: `await asyncio.to_thread(...)` in Python, a `worker_threads` worker in Node'),
    ];
    catalogs = {
      blocking: new CallMatcher(blocking),
      cpuBound: new CallMatcher(cpuBound),
      syncPrimitives: new CallMatcher(SYNC_PRIMITIVES),
      offloadWrappers: new CallMatcher([{ calls: [...OFFLOAD_WRAPPERS, ...config.offloadWrappers] }]),
    };
    compiled.set(config, catalogs);
  }
  return catalogs;
}
