// lease grant / revoke / timetolive / list / keep-alive. Lease IDs are hex on the command line
// and %016x in simple output; RPC errors exit 1 for grant/revoke but 2 for timetolive, list and
// keep-alive, as in etcdctl.
import type { Invocation } from '../cli/invocation.js';
import { parseGoInt64 } from '../flags/go-values.js';
import { CtlError, ExitCode, RpcError, asCtlError } from '../common/errors.js';
import { hex16Zero } from '../go/encode.js';
import { parseLeaseId } from '../kv/requests.js';
import { commandLineDeadline } from '../cli/invocation.js';
import { type Outcome, type Printable, text } from '../output/outcome.js';
import type { Result } from '../output/types.js';

/** `bad lease ID arg (…), expecting ID in Hex` (exit 128). */
const leaseFromArg = (arg: string) => parseLeaseId(arg, 'bad lease ID arg');

/** Wraps an RPC error as `<what> (<err>)`, exit 1 (grant and revoke). */
function failedTo(what: string) {
  return (err: unknown) => {
    if (err instanceof RpcError) throw new CtlError(ExitCode.Error, `${what} (${err.message})`);
    throw err;
  };
}

async function runGrant(inv: Invocation): Promise<Result> {
  if (inv.args.length !== 1) throw new CtlError(ExitCode.BadArgs, 'lease grant command needs TTL argument');
  let ttl: bigint;
  try {
    ttl = parseGoInt64(inv.args[0]!, 10);
  } catch (err) {
    throw new CtlError(ExitCode.BadArgs, `bad TTL (${(err as Error).message})`);
  }
  const deadline = commandLineDeadline(inv);
  const session = await inv.connect();
  const resp = await session.client.lease.grant({ TTL: ttl.toString() }, deadline).catch(failedTo('failed to grant lease'));
  return { kind: 'leaseGrant', resp };
}

async function runRevoke(inv: Invocation): Promise<Result> {
  if (inv.args.length !== 1) throw new CtlError(ExitCode.BadArgs, 'lease revoke command needs 1 argument');
  const id = leaseFromArg(inv.args[0]!);
  const deadline = commandLineDeadline(inv);
  const session = await inv.connect();
  const resp = await session.client.lease.revoke({ ID: id.toString() }, deadline).catch(failedTo('failed to revoke lease'));
  return { kind: 'leaseRevoke', resp, id };
}

async function runTimeToLive(inv: Invocation): Promise<Result> {
  if (inv.args.length !== 1) throw new CtlError(ExitCode.BadArgs, 'lease timetolive command needs lease ID as argument');
  // etcdctl creates the client before it parses the ID.
  const session = await inv.connect();
  const id = leaseFromArg(inv.args[0]!);
  const keys = inv.bool('keys');
  const resp = await session.client.lease.timeToLive({ ID: id.toString(), keys }).catch((err) => {
    throw asCtlError(err, ExitCode.BadConnection);
  });
  return { kind: 'leaseTimeToLive', resp, keys };
}

async function runList(inv: Invocation): Promise<Result> {
  const session = await inv.connect();
  const resp = await session.client.lease.leases().catch((err) => {
    throw asCtlError(err, ExitCode.BadConnection);
  });
  return { kind: 'leaseList', resp };
}

async function runKeepAlive(inv: Invocation): Promise<Outcome> {
  if (inv.args.length !== 1) throw new CtlError(ExitCode.BadArgs, 'lease keep-alive command needs lease ID as argument');
  const id = leaseFromArg(inv.args[0]!);
  const session = await inv.connect();
  const lease = session.client.lease;
  if (inv.bool('once')) {
    const resp = await lease.keepAliveOnce(id.toString()).catch((err) => {
      throw asCtlError(err, ExitCode.BadConnection);
    });
    return { kind: 'leaseKeepAlive', resp };
  }
  // clientv3 waits dial-timeout + 1 s for the first answer (5 s when that sum is 1 s).
  const dialMs = session.config.timeouts.dialTimeoutMs;
  const firstTimeoutMs = dialMs + 1000 === 1000 ? 5000 : dialMs + 1000;
  const simple = session.config.display.format === 'simple';
  return (async function* renewals(): AsyncGenerator<Printable> {
    for await (const resp of lease.keepAlive(id.toString(), firstTimeoutMs)) yield { kind: 'leaseKeepAlive', resp };
    if (simple) yield text(`lease ${hex16Zero(id)} expired or revoked.\n`);
  })();
}

/** The run functions, by command name (commands/specs/ says what each command is). */
export const LEASE_RUNS = { grant: runGrant, revoke: runRevoke, timetolive: runTimeToLive, list: runList, 'keep-alive': runKeepAlive };
