// endpoint health / status / hashkv: per-endpoint checks, over the --endpoints values as given or,
// with --cluster, over every member's client URLs.
import type { Invocation, Session } from '../cli/invocation.js';
import type { ClientConfig } from '../client/config.js';
import { CtlError, ExitCode, RpcError, SilentExit, asCtlError } from '../common/errors.js';
import type { EtcdClient } from '../client/services.js';
import type { EndpointHashKV, EndpointHealth, EndpointStatus } from '../output/cluster-rows.js';
import { formatGoDuration } from '../go/duration.js';
import type { ClientLogging } from '../client/endpoint-dial.js';
import { type Outcome, text, thenFail } from '../output/outcome.js';
import type { Result } from '../output/types.js';

/**
 * etcdctl's endpointsFromCluster. Without --cluster: the --endpoints values exactly as given
 * (not the discovered or trimmed list). With --cluster: the client URLs of every member, in
 * member-list order, looked up through `client` (made with the --user credentials, as etcdctl
 * does since 3.5.29).
 */
export async function endpointsFromCluster(inv: Invocation, client: () => Promise<EtcdClient>): Promise<string[]> {
  if (!inv.bool('cluster')) return inv.strings('endpoints');
  const lookup = await client();
  try {
    const resp = await lookup.cluster.memberList(lookup.connection.commandDeadline());
    return resp.members.flatMap((m) => m.clientURLs);
  } catch (err) {
    if (err instanceof RpcError) throw new CtlError(ExitCode.Error, `failed to fetch endpoints from etcd cluster member list: ${err.message}`);
    throw err;
  }
}

/** Client warning lines go to stderr, as the main connection's do. */
export function warnings(inv: Invocation): ClientLogging {
  return { warn: (line) => inv.io.stderr.write(line) };
}

const HEALTH_ALARM_NAMES: Record<number, string> = { 1: 'NOSPACE', 2: 'CORRUPT' };

/** One endpoint's health, as etcdctl's epHealthCommandFunc decides it. */
async function checkHealth(config: ClientConfig, endpoint: string, logging: ClientLogging): Promise<EndpointHealth> {
  const { connectClient } = await import('../client/endpoint-dial.js');
  let client: EtcdClient;
  try {
    client = await connectClient({ ...config, endpoints: [endpoint] }, logging);
  } catch (err) {
    if (err instanceof RpcError) return { endpoint, health: false, took: '', error: err.message };
    throw err;
  }
  try {
    // Load the protocol definitions first, so `took` measures the request, not our start-up.
    (await import('../client/proto.js')).methodDefinition('etcdserverpb.KV', 'Range');
    const started = process.hrtime.bigint();
    const deadline = client.connection.commandDeadline();
    let error = '';
    try {
      // Any linearizable read goes through consensus; permission denied proves that as well.
      await client.kv.range({ key: Buffer.from('health') }, deadline);
    } catch (err) {
      if (!(err instanceof RpcError)) throw err;
      if (err.message !== 'etcdserver: permission denied') error = err.message;
    }
    const took = formatGoDuration(process.hrtime.bigint() - started);
    if (error === '') {
      try {
        const { alarms } = await client.maintenance.alarmList(deadline);
        if (alarms.length > 0) error = 'Active Alarm(s): ' + alarms.map((a) => `${HEALTH_ALARM_NAMES[a.alarm] ?? 'UNKNOWN'} `).join('');
      } catch (err) {
        if (!(err instanceof RpcError)) throw err;
        error = 'Unable to fetch the alarm list';
      }
    }
    return { endpoint, health: error === '', took, error };
  } finally {
    client.close();
  }
}

async function runHealth(inv: Invocation): Promise<Outcome> {
  const config = await inv.resolve();
  let lookup: EtcdClient | undefined;
  const endpoints = await endpointsFromCluster(inv, async () => {
    const { connectClient } = await import('../client/endpoint-dial.js');
    try {
      return (lookup = await connectClient(config.client, warnings(inv)));
    } catch (err) {
      // Here etcdctl reports a failure to make the client with exit 1, not 2.
      if (err instanceof RpcError || (err instanceof CtlError && err.exitCode === ExitCode.BadConnection)) {
        throw new CtlError(ExitCode.Error, err.message);
      }
      throw err;
    }
  }).finally(() => lookup?.close());
  // One client per endpoint, all at once; results are kept in the order they complete.
  const list: EndpointHealth[] = [];
  await Promise.all(endpoints.map((ep) => checkHealth(config.client, ep, warnings(inv)).then((h) => list.push(h))));

  const failure = list.some((h) => h.error !== '') ? new CtlError(ExitCode.Error, 'unhealthy cluster') : undefined;
  if (config.display.format !== 'simple') return thenFail([{ kind: 'endpointHealth', list }], failure);
  // etcdctl prints simple's lines with fmt, the unhealthy ones on stderr, in the list's order.
  return (async function* () {
    for (const h of list) {
      if (h.error === '') yield text(`${h.endpoint} is healthy: successfully committed proposal: took = ${h.took}\n`);
      else inv.io.stderr.write(`${h.endpoint} is unhealthy: failed to commit proposal: ${h.error}\n`);
    }
    if (failure) throw failure;
  })();
}

/**
 * One request per endpoint, in order, each over a connection to that endpoint alone and with its
 * own --command-timeout. A failure is reported on stderr (`Failed to get the <what> of endpoint
 * …`) and the loop goes on.
 */
async function eachEndpoint<T>(
  inv: Invocation,
  session: Session,
  what: string,
  call: (client: EtcdClient, deadline: number) => Promise<T>,
): Promise<{ results: { endpoint: string; resp: T }[]; lastError: RpcError | undefined }> {
  const { dialEndpoint } = await import('../client/endpoint-dial.js');
  const endpoints = await endpointsFromCluster(inv, async () => session.client);
  const results: { endpoint: string; resp: T }[] = [];
  let lastError: RpcError | undefined;
  for (const endpoint of endpoints) {
    const deadline = session.client.connection.commandDeadline();
    let client: EtcdClient | undefined;
    try {
      client = await dialEndpoint(session.client.connection, endpoint, warnings(inv));
      results.push({ endpoint, resp: await call(client, deadline) });
    } catch (err) {
      if (!(err instanceof RpcError)) throw err;
      lastError = err;
      inv.io.stderr.write(`Failed to get the ${what} of endpoint ${endpoint} (${err.message})\n`);
    } finally {
      client?.close();
    }
  }
  return { results, lastError };
}

async function runStatus(inv: Invocation): Promise<Outcome> {
  const session = await inv.connect();
  const { results, lastError } = await eachEndpoint(inv, session, 'status', (client, deadline) => client.maintenance.status(deadline));
  const result: Result = { kind: 'endpointStatus', list: results };
  // etcdctl exits without an `Error:` line here.
  return lastError ? thenFail([result], new SilentExit(ExitCode.Error)) : result;
}

async function runHashKV(inv: Invocation): Promise<Outcome> {
  const revision = inv.int('rev').toString();
  const session = await inv.connect();
  const { results, lastError } = await eachEndpoint(inv, session, 'hash', (client, deadline) => client.maintenance.hashKV(revision, deadline));
  const result: Result = { kind: 'endpointHashKV', list: results };
  return lastError ? thenFail([result], asCtlError(lastError)) : result;
}

/** The run functions, by command name (commands/specs/ says what each command is). */
export const ENDPOINT_RUNS = { health: runHealth, status: runStatus, hashkv: runHashKV };
