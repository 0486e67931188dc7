/**
 * Calls whose result is more than data: a client, pool, connection, browser or process that holds
 * something open, or a record the call creates. IL104 reads this to tell a memo fill (two racing
 * requests compute the same data twice: harmless) from a lazy client or a created record (made
 * twice, one is left open or duplicated). The resource table names the libraries it knows; the
 * rest is told by the call's name.
 */
import type { CallEvent } from '../../core/facts';
import { resourceCreatedBy } from './resources';

/** First words of calls that open, start or create something: `create_pool`, `launch`, `connect`, `createUser`. */
const OPENING = new Set(['create', 'connect', 'launch', 'open', 'spawn', 'start', 'new', 'insert', 'register', 'fork', 'acquire', 'allocate']);
/** Last words of calls that hand out something held open: `get_async_client`, `makePool`, `get_db_session`. */
const HELD = new Set(['client', 'pool', 'connection', 'conn', 'browser', 'engine', 'session', 'socket', 'channel', 'producer', 'consumer', 'driver', 'process', 'server']);

/** `get_async_client` → get, async, client; `createPool` → create, pool. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[_\W]+/)
    .filter(Boolean);
}

/** Whether a call's result is a live object or a created record rather than data. */
export function makesLiveValue(call: Pick<CallEvent, 'callee' | 'text'>): boolean {
  if (resourceCreatedBy(call.callee)) return true;
  const name = call.callee ?? call.text;
  const parts = words(name.slice(name.lastIndexOf('.') + 1));
  return parts.length > 0 && (OPENING.has(parts[0]!) || HELD.has(parts[parts.length - 1]!));
}
