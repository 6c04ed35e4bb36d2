// DNS SRV discovery of client endpoints (_etcd-client-ssl._tcp / _etcd-client._tcp), as etcdctl's
// --discovery-srv does it.
//
// Lookups go to the system's DNS servers, or to the server named by ETCDCTL_TS_DNS_SERVER
// ("host" or "host:port"; an operations and test hook, not an etcdctl variable). With that
// hook, the SRV targets' addresses are looked up on the same server too, so a private zone
// works end to end; otherwise targets are left as names for the connection to resolve.
import { Resolver } from 'node:dns/promises';
import { isIP } from 'node:net';
import { CtlError, ExitCode } from '../common/errors.js';

/** The environment variable naming the DNS server discovery should ask. */
export const DNS_SERVER_VARIABLE = 'ETCDCTL_TS_DNS_SERVER';

/** What discovery needs from DNS (a node:dns Resolver, or a stub in unit tests). */
export interface SrvResolver {
  resolveSrv(name: string): Promise<{ name: string; port: number }[]>;
  resolve4(name: string): Promise<string[]>;
  getServers(): string[];
}

export interface DiscoveryDns {
  resolver: SrvResolver;
  /** Also look up the SRV targets' IPv4 addresses (only with a configured server). */
  resolveTargets: boolean;
}

/** The resolver for `server` (from ETCDCTL_TS_DNS_SERVER), or the system's when it is empty. */
export function discoveryDns(server: string | undefined): DiscoveryDns {
  const resolver = new Resolver({ timeout: 5000, tries: 2 });
  if (!server) return { resolver, resolveTargets: false };
  try {
    resolver.setServers([server]);
  } catch {
    throw new CtlError(ExitCode.Error, `invalid ${DNS_SERVER_VARIABLE} ${JSON.stringify(server)}: want host or host:port`);
  }
  return { resolver, resolveTargets: true };
}

/** Go's net.JoinHostPort. */
function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The server as Go names it in lookup errors (`127.0.0.53:53`). */
function serverName(resolver: SrvResolver): string {
  const first = resolver.getServers()[0] ?? '127.0.0.1';
  if (isIP(first) !== 0) return joinHostPort(first, 53);
  return first; // already "ip:port" or "[ip6]:port"
}

/** Go's resolver error text for a failed lookup of `name`. */
function lookupError(err: unknown, name: string, resolver: SrvResolver): string {
  const code = (err as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOTFOUND' || code === 'ENODATA' || code === 'ENONAME'
      ? 'no such host'
      : code === 'ETIMEOUT'
        ? 'i/o timeout'
        : code === 'ESERVFAIL' || code === 'EREFUSED' || code === 'EBADRESP' || code === 'EFORMERR'
          ? 'server misbehaving'
          : ((err as Error).message ?? String(err));
  return `lookup ${name} on ${serverName(resolver)}: ${reason}`;
}

/** Go's url.URL{Scheme, Host: JoinHostPort(target, port)}.String(); SRV targets keep their trailing dot. */
function endpointUrl(scheme: string, target: string, port: number): string {
  return `${scheme}://${joinHostPort(target.endsWith('.') ? target : `${target}.`, port)}`;
}

/**
 * Endpoints from SRV records: https for `etcd-client-ssl`, http for `etcd-client` (with
 * `-<serviceName>` appended when given). Only both lookups failing is an error. With `insecure`
 * false, discovered http endpoints are dropped with a warning, as etcdctl does.
 */
export async function discoverEndpoints(
  domain: string,
  serviceName: string,
  insecure: boolean,
  warn: (line: string) => void,
  dns: DiscoveryDns = discoveryDns(undefined),
): Promise<string[]> {
  const { resolver } = dns;
  const suffix = serviceName ? `-${serviceName}` : '';
  const query = async (service: string, scheme: string) => {
    const name = `_${service}${suffix}._tcp.${domain}`;
    try {
      const records = await resolver.resolveSrv(name);
      return { found: records.map((r) => ({ scheme, target: r.name, port: r.port })), error: undefined };
    } catch (err) {
      return { found: [], error: lookupError(err, name, resolver) };
    }
  };
  const secure = await query('etcd-client-ssl', 'https');
  const plain = await query('etcd-client', 'http');
  if (secure.error && plain.error) {
    throw new CtlError(ExitCode.Error, `dns lookup errors: ${secure.error} and ${plain.error}`);
  }
  const kept = [...secure.found];
  for (const record of plain.found) {
    if (insecure) kept.push(record);
    else warn(`ignoring discovered insecure endpoint ${JSON.stringify(endpointUrl(record.scheme, record.target, record.port))}\n`);
  }
  const endpoints: string[] = [];
  for (const { scheme, target, port } of kept) {
    endpoints.push(
      dns.resolveTargets ? `${scheme}://${joinHostPort(await addressOf(target, resolver), port)}` : endpointUrl(scheme, target, port),
    );
  }
  return endpoints;
}

/** The first IPv4 address of an SRV target, looked up on the discovery server. */
async function addressOf(target: string, resolver: SrvResolver): Promise<string> {
  const host = target.replace(/\.$/, '');
  if (isIP(host) !== 0) return host;
  try {
    const [address] = await resolver.resolve4(host);
    if (address !== undefined) return address;
    throw Object.assign(new Error('no address'), { code: 'ENODATA' });
  } catch (err) {
    throw new CtlError(ExitCode.Error, lookupError(err, host, resolver));
  }
}
