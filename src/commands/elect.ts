// elect: campaigns for leadership through the server's election service (holding a session
// lease) and prints the leader key once elected, resigning on SIGINT/SIGTERM; or, with -l,
// observes the election and prints every leader and leader value as they change.
//
// Observation follows clientv3's concurrency.Election.Observe rather than the server's Observe,
// because etcdctl prints what that yields with the get printer, count and all.
import type { Invocation, Session as CliSession } from '../cli/invocation.js';
import { Session } from '../client/concurrency.js';
import { watchResponseError } from '../client/watch.js';
import type { EtcdClient } from '../client/services.js';
import { CtlError, ExitCode, asCtlError } from '../common/errors.js';
import type { KeyValue__Output } from '../generated/mvccpb/KeyValue.js';
import type { RangeResponse__Output } from '../generated/etcdserverpb/RangeResponse.js';
import type { ResponseHeader__Output } from '../generated/etcdserverpb/ResponseHeader.js';
import { withWireBytes } from '../output/proto3.js';
import { listenForInterrupt, type Interrupt } from '../io/signals.js';
import { prefixRangeEnd } from '../kv/key-range.js';
import { firstRenewalTimeoutMs } from './lock.js';
import { bytesOfToken } from '../common/byte-strings.js';
import type { Result } from '../output/types.js';

const PUT = 0;
const DELETE = 1;
/** mvccpb sort settings of clientv3.WithFirstCreate: by create revision, ascending, limit 1. */
const SORT_ASCEND = 1;
const SORT_BY_CREATE = 2;

const badArgs = (message: string) => new CtlError(ExitCode.BadArgs, message);

async function runElect(inv: Invocation): Promise<AsyncIterable<Result>> {
  if (inv.args.length !== 1 && inv.args.length !== 2) {
    throw badArgs('elect takes one election name argument and an optional proposal argument');
  }
  // etcdctl creates the client before it looks at -l.
  const cli = await inv.connect();
  const [name, proposal] = inv.args as [string, string | undefined];
  const listen = inv.bool('listen');
  if (proposal === undefined) {
    if (!listen) throw badArgs('no proposal argument but -l not set');
    return observe(inv, cli, name);
  }
  if (listen) throw badArgs('proposal given but -l is set');
  return campaign(inv, cli, name, proposal);
}

function openSession(cli: CliSession): Promise<Session> {
  return Session.open(cli.client.lease, 0n, firstRenewalTimeoutMs(cli)).catch((err) => {
    throw asCtlError(err);
  });
}

/** Campaigns, yields the leader key once elected, and holds leadership until SIGINT/SIGTERM. */
async function* campaign(inv: Invocation, cli: CliSession, name: string, proposal: string): AsyncGenerator<Result> {
  const { client } = cli;
  const session = await openSession(cli);
  const interrupt = listenForInterrupt(inv.io);
  try {
    const elected = await client.election.campaign(bytesOfToken(name), session.leaseId, bytesOfToken(proposal), interrupt.signal).catch((err) => {
      throw asCtlError(err);
    });
    const leader = elected.leader;
    if (!leader) throw new CtlError(ExitCode.Error, 'election: no leader key in campaign response');
    if (interrupt.signal.aborted) throw new CtlError(ExitCode.Error, 'context canceled');
    const resp = await client.kv.range({ key: leader.key }).catch((err) => {
      throw asCtlError(err);
    });
    yield { kind: 'get', resp };

    const outcome = await Promise.race([interrupt.received.then(() => 'interrupted' as const), session.done.then(() => 'expired' as const)]);
    if (outcome === 'expired') throw new CtlError(ExitCode.Error, 'elect: session expired');
    await client.election.resign(leader).catch((err) => {
      throw asCtlError(err);
    });
  } finally {
    interrupt.dispose();
    session.close();
  }
}

/** What Observe hands to the get printer: a Get response with only the leader's key-value. */
function observation(header: ResponseHeader__Output, kv: KeyValue__Output, from?: RangeResponse__Output): RangeResponse__Output {
  const resp: RangeResponse__Output = { header, kvs: [kv], more: from?.more ?? false, count: from?.count ?? '0' };
  return withWireBytes(resp, 'etcdserverpb.RangeResponse');
}

/**
 * concurrency.Election.Observe: the first-created key under `<name>/` is the leader; yield it,
 * then its value changes, until it is deleted; then look for the next leader. Returns when the
 * observation cannot go on (interrupted, or a watch ended).
 */
async function* observeLeaders(client: EtcdClient, name: string, interrupt: Interrupt): AsyncGenerator<RangeResponse__Output> {
  const prefix = bytesOfToken(`${name}/`);
  const rangeEnd = prefixRangeEnd(prefix);
  const stopped = () => interrupt.signal.aborted;
  while (!stopped()) {
    let resp: RangeResponse__Output;
    try {
      resp = await client.kv.range({ key: prefix, range_end: rangeEnd, sort_order: SORT_ASCEND, sort_target: SORT_BY_CREATE, limit: '1' });
    } catch {
      return;
    }
    if (stopped()) return;

    let header: ResponseHeader__Output;
    let kv: KeyValue__Output;
    const first = resp.kvs[0];
    if (first) {
      header = resp.header!;
      kv = first;
    } else {
      // No leader yet: wait for the first key put under the prefix.
      const watcher = client.watch.watch({ key: prefix, rangeEnd, startRevision: BigInt(resp.header?.revision ?? '0') });
      const cancel = () => watcher.cancel();
      interrupt.signal.addEventListener('abort', cancel, { once: true });
      let found: { header: ResponseHeader__Output; kv: KeyValue__Output } | undefined;
      try {
        for await (const wr of watcher) {
          if (watchResponseError(wr) !== undefined) break;
          const put = (wr.events ?? []).find((e) => e.type === PUT && e.kv);
          if (put?.kv) {
            found = { header: { ...wr.header, revision: put.kv.mod_revision }, kv: put.kv };
            break;
          }
        }
      } finally {
        interrupt.signal.removeEventListener('abort', cancel);
        watcher.cancel();
      }
      if (!found || stopped()) return;
      ({ header, kv } = found);
    }
    yield observation(header, kv);

    // Follow the leader key until it is deleted; each new value is yielded.
    const watcher = client.watch.watch({ key: kv.key, startRevision: BigInt(header.revision) + 1n });
    const cancel = () => watcher.cancel();
    interrupt.signal.addEventListener('abort', cancel, { once: true });
    let deleted = false;
    try {
      for await (const wr of watcher) {
        for (const event of wr.events ?? []) {
          if (event.type === DELETE) {
            deleted = true;
            break;
          }
          if (event.kv) yield observation(wr.header, event.kv, resp);
        }
        if (deleted) break;
      }
    } finally {
      interrupt.signal.removeEventListener('abort', cancel);
      watcher.cancel();
    }
    if (!deleted) return;
  }
}

/** elect -l: yields every leader and leader value as they change, until SIGINT/SIGTERM. */
async function* observe(inv: Invocation, cli: CliSession, name: string): AsyncGenerator<Result> {
  // etcdctl opens a session (a lease) even to observe.
  const session = await openSession(cli);
  const interrupt = listenForInterrupt(inv.io);
  try {
    const leaders = observeLeaders(cli.client, name, interrupt);
    // A signal ends the observation at once, whatever call it is waiting for.
    const stopped = interrupt.received.then(() => undefined);
    for (;;) {
      const next = await Promise.race([leaders.next(), stopped]);
      if (!next || next.done) break;
      yield { kind: 'get', resp: next.value };
    }
    if (!interrupt.signal.aborted) throw new CtlError(ExitCode.Error, 'elect: observer lost');
  } finally {
    interrupt.dispose();
    session.close();
  }
}

/** The run functions, by command name (commands/specs/ says what each command is). */
export const ELECT_RUNS = { elect: runElect };
