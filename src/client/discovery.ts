// DNS SRV discovery of client endpoints (_etcd-client-ssl._tcp / _etcd-client._tcp).
import { promises as dns } from 'node:dns';
import { CtlError, ExitCode } from '../errors.js';

function lookupError(err: unknown, name: string): string {
  const e = err as NodeJS.ErrnoException;
  return `lookup ${name} on resolver: ${e.code === 'ENOTFOUND' || e.code === 'ENODATA' ? 'no such host' : e.message}`;
}

/**
 * Endpoints from SRV records: https for `etcd-client-ssl`, http for `etcd-client`. With
 * `insecure` false, discovered http endpoints are dropped with a warning, as etcdctl does.
 */
export async function discoverEndpoints(
  domain: string,
  serviceName: string,
  insecure: boolean,
  warn: (line: string) => void,
  resolver: Pick<typeof dns, 'resolveSrv'> = dns,
): Promise<string[]> {
  const suffix = serviceName ? `-${serviceName}` : '';
  const query = async (service: string, scheme: string) => {
    const name = `_${service}${suffix}._tcp.${domain}`;
    try {
      const records = await resolver.resolveSrv(name);
      return { urls: records.map((r) => `${scheme}://${r.name.replace(/\.?$/, '.')}:${r.port}`), error: undefined };
    } catch (err) {
      return { urls: [] as string[], error: lookupError(err, name) };
    }
  };
  const secure = await query('etcd-client-ssl', 'https');
  const plain = await query('etcd-client', 'http');
  if (secure.error && plain.error) {
    throw new CtlError(ExitCode.Error, `dns lookup errors: ${secure.error} and ${plain.error}`);
  }
  const endpoints = [...secure.urls];
  for (const url of plain.urls) {
    if (!insecure) {
      warn(`ignoring discovered insecure endpoint ${JSON.stringify(url)}\n`);
      continue;
    }
    endpoints.push(url);
  }
  return endpoints;
}
