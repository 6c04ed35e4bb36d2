// discoverEndpoints with a stub resolver: names, URLs and error texts as etcdctl 3.5.16 forms
// them (client/pkg/srv.GetClient, etcdctl's endpointsFromFlagValue). The DNS wire side is
// covered by test/integration/discovery.test.ts.
import { describe, expect, it } from 'vitest';
import { discoverEndpoints, type SrvResolver } from '../../../src/client/discovery.js';
import { CtlError } from '../../../src/common/errors.js';

function stub(records: Record<string, { name: string; port: number }[]>, addresses: Record<string, string[]> = {}): SrvResolver & { asked: string[] } {
  const asked: string[] = [];
  const notFound = () => Object.assign(new Error('queryX ENOTFOUND'), { code: 'ENOTFOUND' });
  return {
    asked,
    resolveSrv: async (name) => {
      asked.push(name);
      const r = records[name];
      if (!r) throw notFound();
      return r;
    },
    resolve4: async (name) => {
      const a = addresses[name];
      if (!a) throw notFound();
      return a;
    },
    getServers: () => ['10.0.0.53'],
  };
}

describe('discoverEndpoints', () => {
  it('https from etcd-client-ssl, then http from etcd-client; targets keep a trailing dot', async () => {
    const resolver = stub({
      '_etcd-client-ssl._tcp.example.com': [{ name: 'a.example.com', port: 2379 }],
      '_etcd-client._tcp.example.com': [{ name: 'b.example.com', port: 2380 }],
    });
    const eps = await discoverEndpoints('example.com', '', true, () => {}, { resolver, resolveTargets: false });
    expect(eps).toEqual(['https://a.example.com.:2379', 'http://b.example.com.:2380']);
    expect(resolver.asked).toEqual(['_etcd-client-ssl._tcp.example.com', '_etcd-client._tcp.example.com']);
  });

  it('the service name is appended to both services', async () => {
    const resolver = stub({});
    await discoverEndpoints('d', 'x', true, () => {}, { resolver, resolveTargets: false }).catch(() => undefined);
    expect(resolver.asked).toEqual(['_etcd-client-ssl-x._tcp.d', '_etcd-client-x._tcp.d']);
  });

  it('drops http endpoints with a warning unless insecure discovery is allowed', async () => {
    const resolver = stub({ '_etcd-client._tcp.d': [{ name: 'b', port: 1 }] });
    const warnings: string[] = [];
    expect(await discoverEndpoints('d', '', false, (l) => warnings.push(l), { resolver, resolveTargets: false })).toEqual([]);
    expect(warnings).toEqual(['ignoring discovered insecure endpoint "http://b.:1"\n']);
  });

  it('resolves targets on the discovery server when asked to', async () => {
    const resolver = stub({ '_etcd-client._tcp.d': [{ name: 'm0.d', port: 7 }] }, { 'm0.d': ['127.0.0.9'] });
    expect(await discoverEndpoints('d', '', true, () => {}, { resolver, resolveTargets: true })).toEqual(['http://127.0.0.9:7']);
  });

  it('fails only when both lookups fail, naming the server as Go does', async () => {
    await expect(discoverEndpoints('d', '', true, () => {}, { resolver: stub({}), resolveTargets: false })).rejects.toThrow(
      new CtlError(1, 'dns lookup errors: lookup _etcd-client-ssl._tcp.d on 10.0.0.53:53: no such host and lookup _etcd-client._tcp.d on 10.0.0.53:53: no such host'),
    );
  });
});
