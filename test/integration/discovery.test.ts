// --discovery-srv against a DNS server the test runs on 127.0.0.1 (test/support/dns-server.ts),
// which ours is pointed at with ETCDCTL_TS_DNS_SERVER. The real etcdctl always asks the system's
// resolver (/etc/resolv.conf, port 53), so these tests run ours only; the expected texts are
// etcdctl's (etcdctl/ctlv3/command/global.go and client/pkg/srv in etcd 3.5.16).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../support/cluster.js';
import { startDnsServer, type DnsServer } from '../support/dns-server.js';
import { makePki, type Pki } from '../support/pki.js';
import { runCli } from '../support/run.js';

let plain: Cluster;
let secure: Cluster;
let pki: Pki;
let dns: DnsServer;

beforeAll(async () => {
  pki = await makePki({ clients: [], serverNames: ['secure.test', 'mixed.test'] });
  [plain, secure] = await Promise.all([
    startCluster({ size: 1, name: 'plain' }),
    startCluster({ size: 1, name: 'secure', clientTls: { certFile: pki.server.cert, keyFile: pki.server.key } }),
  ]);
  const plainPort = plain.members[0]!.clientPort;
  const securePort = secure.members[0]!.clientPort;
  dns = await startDnsServer({
    '_etcd-client._tcp.plain.test': { srv: [{ target: 'm0.plain.test', port: plainPort }] },
    'm0.plain.test': { a: ['127.0.0.1'] },
    '_etcd-client-ssl._tcp.secure.test': { srv: [{ target: 'm0.secure.test', port: securePort }] },
    'm0.secure.test': { a: ['127.0.0.1'] },
    '_etcd-client-ssl._tcp.mixed.test': { srv: [{ target: 'm0.secure.test', port: securePort }] },
    '_etcd-client._tcp.mixed.test': { srv: [{ target: 'm0.plain.test', port: plainPort }] },
    '_etcd-client-extra._tcp.named.test': { srv: [{ target: 'm0.plain.test', port: plainPort }] },
    'empty.test': {},
    '_etcd-client._tcp.lost.test': { srv: [{ target: 'gone.lost.test', port: plainPort }] },
  });
  await runCli('real', [plain.endpointsFlag, 'put', 'where', 'plain']);
  await runCli('real', [secure.endpointsFlag, `--cacert=${pki.ca}`, 'put', 'where', 'secure']);
}, 60_000);
afterAll(async () => {
  await dns?.stop();
  await Promise.all([plain?.stop(), secure?.stop()]);
  await pki?.cleanup();
});

async function ours(args: string[]): Promise<{ stdout: string; stderr: string; code: number | null }> {
  const r = await runCli('ours', args, { env: { ETCDCTL_TS_DNS_SERVER: dns.address } });
  return { stdout: r.stdout.toString(), stderr: r.stderr.toString(), code: r.code };
}

describe('DNS SRV discovery', () => {
  it('finds a plain endpoint (_etcd-client._tcp) and its address on the same server', async () => {
    expect(await ours(['--discovery-srv=plain.test', 'get', 'where'])).toEqual({ stdout: 'where\nplain\n', stderr: '', code: 0 });
    expect(dns.queries).toEqual(expect.arrayContaining(['SRV _etcd-client-ssl._tcp.plain.test', 'SRV _etcd-client._tcp.plain.test', 'A m0.plain.test']));
  });

  it('finds a TLS endpoint (_etcd-client-ssl._tcp), with -d and ETCDCTL_DISCOVERY_SRV', async () => {
    const expected = { stdout: 'where\nsecure\n', stderr: '', code: 0 };
    expect(await ours(['-d', 'secure.test', `--cacert=${pki.ca}`, 'get', 'where'])).toEqual(expected);
    const r = await runCli('ours', [`--cacert=${pki.ca}`, 'get', 'where'], {
      env: { ETCDCTL_TS_DNS_SERVER: dns.address, ETCDCTL_DISCOVERY_SRV: 'secure.test' },
    });
    expect(r.stdout.toString()).toBe(expected.stdout);
    expect(r.code).toBe(0);
  });

  it('--insecure-discovery=false drops http endpoints with a warning and checks the domain name', async () => {
    const r = await ours(['--discovery-srv=mixed.test', '--insecure-discovery=false', `--cacert=${pki.ca}`, 'get', 'where']);
    expect(r).toEqual({
      stdout: 'where\nsecure\n',
      stderr: `ignoring discovered insecure endpoint "http://m0.plain.test.:${plain.members[0]!.clientPort}"\n`,
      code: 0,
    });
  });

  it('falls back to --endpoints when discovery leaves nothing', async () => {
    const r = await ours(['--discovery-srv=plain.test', '--insecure-discovery=false', plain.endpointsFlag, 'get', 'where']);
    expect(r.stdout).toBe('where\nplain\n');
    expect(r.stderr).toBe(`ignoring discovered insecure endpoint "http://m0.plain.test.:${plain.members[0]!.clientPort}"\n`);
  });

  it('--discovery-srv-name appends the service name', async () => {
    expect(await ours(['--discovery-srv=named.test', '--discovery-srv-name=extra', 'get', 'where'])).toEqual({ stdout: 'where\nplain\n', stderr: '', code: 0 });
  });

  it('fails like etcdctl when both lookups fail (exit 1)', async () => {
    const on = `on ${dns.address}`;
    for (const domain of ['nowhere.test', 'empty.test']) {
      expect(await ours([`--discovery-srv=${domain}`, 'get', 'where'])).toEqual({
        stdout: '',
        stderr:
          `Error: dns lookup errors: lookup _etcd-client-ssl._tcp.${domain} ${on}: no such host` +
          ` and lookup _etcd-client._tcp.${domain} ${on}: no such host\n`,
        code: 1,
      });
    }
  });

  it('an SRV target without an address is an error', async () => {
    expect(await ours(['--discovery-srv=lost.test', 'get', 'where'])).toEqual({
      stdout: '',
      stderr: `Error: lookup gone.lost.test on ${dns.address}: no such host\n`,
      code: 1,
    });
  });
});
