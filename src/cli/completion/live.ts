// Live completion values from the cluster the command line names (its global flags, ETCDCTL_*
// variables and profile, resolved as for a real run but silently): keys, lease IDs, member IDs,
// users and roles. Bounded in every way (a few small requests, short timeouts, at most
// MAX_CANDIDATES answers) and silent: any failure is just "no candidates". Never prompts.
import { parseFlags } from '../parse.js';
import type { Io } from '../../io/types.js';
import { resolveContext } from '../../config/context.js';
import { Connection } from '../../client/connection.js';
import { EtcdClient } from '../../client/services.js';
import { NUL, prefixRange, prefixRangeEnd } from '../../kv/key-range.js';
import { hex16Zero, hexPlain } from '../../go/encode.js';
import type { Candidate, LiveContext, LiveKind } from './engine.js';

export const MAX_CANDIDATES = 100;
/** Keys fetched per request while collecting the next path segments. */
const KEYS_PER_REQUEST = 50;
const MAX_KEY_REQUESTS = 8;
const DIAL_TIMEOUT_MS = 1000;
const TOTAL_BUDGET_MS = 2000;

const silentStream = { write: () => undefined, isTTY: false };

const silentIo: Io = {
  stdout: silentStream,
  stderr: silentStream,
  readStdin: async () => Buffer.alloc(0),
  stdinLines: async function* () {},
  stdinIsTTY: false,
  readPassword: async () => {
    throw new Error('no prompts while completing');
  },
};

/**
 * The client for the command line's cluster. One that would need a password prompt fails
 * (silentIo refuses to prompt), which the caller takes as "no candidates".
 */
async function clientFor(context: LiveContext): Promise<EtcdClient> {
  const parsed = parseFlags(context.command, context.rest);
  const resolved = await resolveContext({
    flags: parsed.flags,
    inherited: context.command.inheritedFlags(),
    env: context.env,
    io: silentIo,
    discover: async () => [],
  });
  // Never unbounded: a dial timeout of 0 or less means no deadline to the client.
  const dialMs = resolved.timeouts.dialTimeoutMs;
  const connection = new Connection({ ...resolved.client, dialTimeoutMs: dialMs > 0 ? Math.min(dialMs, DIAL_TIMEOUT_MS) : DIAL_TIMEOUT_MS });
  try {
    await connection.authenticate();
  } catch (err) {
    connection.close();
    throw err;
  }
  return new EtcdClient(connection);
}

/**
 * Path-like completion of keys: the keys starting with `toComplete`, cut after the next `/`
 * following it (so `/app/` offers `/app/config/` once for all keys below it, and `/app/name`).
 * Skips over each such directory with one request, so a few requests find many children.
 */
async function keyCandidates(client: EtcdClient, toComplete: string, deadline: number): Promise<Candidate[]> {
  const unbounded = (b: Buffer) => b.length === 1 && b[0] === 0;
  const { key: first, range_end: end } = prefixRange(toComplete);
  let from: Buffer = first;
  const found: Candidate[] = [];
  const seen = new Set<string>();
  for (let request = 0; request < MAX_KEY_REQUESTS && found.length < MAX_CANDIDATES; request++) {
    const resp = await client.kv.range({ key: from, range_end: end, limit: String(KEYS_PER_REQUEST), keys_only: true }, deadline);
    if (resp.kvs.length === 0) break;
    let next: Buffer | undefined;
    for (const kv of resp.kvs) {
      const key = kv.key.toString('utf8');
      if (!Buffer.from(key).equals(kv.key)) continue; // not valid UTF-8: cannot be typed
      const slash = key.indexOf('/', toComplete.length);
      const candidate = slash === -1 ? key : key.slice(0, slash + 1);
      if (!seen.has(candidate)) {
        seen.add(candidate);
        found.push({ value: candidate });
      }
      if (slash !== -1) {
        // Every other key below this directory gives the same candidate: jump past them.
        next = prefixRangeEnd(Buffer.from(candidate));
        break;
      }
    }
    if (next === undefined) {
      if (!resp.more) break;
      next = Buffer.concat([resp.kvs[resp.kvs.length - 1]!.key, NUL]);
    }
    if (unbounded(next) || (!unbounded(end) && Buffer.compare(next, end) >= 0)) break;
    from = next;
  }
  return found.slice(0, MAX_CANDIDATES);
}

async function values(client: EtcdClient, kind: LiveKind, toComplete: string, deadline: number): Promise<Candidate[]> {
  switch (kind) {
    case 'key':
      return keyCandidates(client, toComplete, deadline);
    case 'lease': {
      const resp = await client.lease.leases(deadline);
      return resp.leases.map((l) => ({ value: hex16Zero(l.ID) }));
    }
    case 'member': {
      const resp = await client.cluster.memberList(deadline);
      return resp.members.map((m) => ({ value: hexPlain(m.ID), description: m.name === '' ? 'unstarted' : m.name }));
    }
    case 'user':
      return (await client.auth.userList(deadline)).users.map((value) => ({ value }));
    case 'role':
      return (await client.auth.roleList(deadline)).roles.map((value) => ({ value }));
  }
}

export async function liveCandidates(kind: LiveKind, toComplete: string, context: LiveContext): Promise<Candidate[]> {
  let client: EtcdClient | undefined;
  try {
    client = await clientFor(context);
    const deadline = Date.now() + TOTAL_BUDGET_MS;
    const all = await values(client, kind, toComplete, deadline);
    return all.filter((c) => c.value.startsWith(toComplete)).slice(0, MAX_CANDIDATES);
  } catch {
    return [];
  } finally {
    client?.close();
  }
}
