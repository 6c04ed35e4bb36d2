// Kubernetes values on a real etcd: written binary-safe (put from stdin, txn), shown as objects by
// get/watch/txn/del --prev-kv in -w yaml and -w json-decoded, left as they are by etcdctl's own
// formats (byte-identical to etcdctl 3.5.16 on the same keys), and read by `k8s decode`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { startCluster, type Cluster } from '../support/cluster.js';
import { expectSame, runBoth } from '../support/diff.js';
import { runCli } from '../support/run.js';
import { startCli } from '../support/background.js';
import { testClient } from '../support/fill.js';
import { encryptedValue, envelope, fixture, truncatedPod, widgetJson } from '../support/k8s-values.js';

let cluster: Cluster;
let ep: string;

const VALUES: [string, Buffer][] = [
  ['/registry/apiextensions.k8s.io/customresourcedefinitions/widgets.example.com', fixture('apiextensions.k8s.io.v1.CustomResourceDefinition')],
  ['/registry/deployments/default/app', fixture('apps.v1.Deployment')],
  ['/registry/example.com/widgets/default/w1', Buffer.from(widgetJson)],
  ['/registry/gadgets/default/g1', envelope('example.com/v1', 'Gadget', Buffer.alloc(42))],
  ['/registry/pods/default/broken', truncatedPod()],
  ['/registry/secrets/default/token', encryptedValue()],
  ['/registry/services/specs/default/kubernetes', fixture('core.v1.Service')],
];

beforeAll(async () => {
  cluster = await startCluster({ size: 1 });
  ep = cluster.endpointsFlag;
  // The Pod through etcdctl-ts's put from stdin (all of stdin, verbatim), the rest through the client.
  const put = await runCli('ours', [ep, 'put', '/registry/pods/default/web'], { stdin: fixture('core.v1.Pod') });
  expect(put.code).toBe(0);
  const client = testClient(cluster.endpoints[0]!);
  for (const [key, value] of VALUES) await client.kv.put({ key: Buffer.from(key), value });
  await client.kv.put({ key: Buffer.from('/plain/a'), value: Buffer.from('hello') });
  client.close();
});
afterAll(async () => {
  await cluster?.stop();
});

type Doc = { kvs: { key: string; value: any }[] };
const byKey = (doc: Doc) => Object.fromEntries(doc.kvs.map((kv) => [kv.key, kv.value]));

describe('get', () => {
  it('-w yaml shows each object, the encrypted and corrupt values in one place each', async () => {
    const r = await runCli('ours', [ep, 'get', '--prefix', '/registry/', '-w', 'yaml']);
    expect(r.code).toBe(0);
    expect(r.stderr.toString()).toBe('');
    const values = byKey(parseYaml(r.stdout.toString(), { intAsBigInt: false }) as Doc);
    expect(values['/registry/pods/default/web']).toMatchObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'nameValue', namespace: 'namespaceValue' } });
    expect(values['/registry/deployments/default/app']).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment' });
    expect(values['/registry/services/specs/default/kubernetes'].spec.ports[0].targetPort).toBeDefined();
    expect(values['/registry/apiextensions.k8s.io/customresourcedefinitions/widgets.example.com']).toMatchObject({ kind: 'CustomResourceDefinition' });
    expect(values['/registry/example.com/widgets/default/w1']).toEqual({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1', namespace: 'default' }, spec: { size: 3 } });
    expect(values['/registry/gadgets/default/g1']).toEqual({ apiVersion: 'example.com/v1', kind: 'Gadget', undecoded: { reason: 'type not in the schema', rawBytes: 42 } });
    expect(values['/registry/secrets/default/token']).toEqual({ encrypted: { provider: 'aescbc', version: 'v1', key: 'key1', bytes: 6 } });
    expect(values['/registry/pods/default/broken']).toMatch(/^cannot decode Kubernetes object at key \/registry\/pods\/default\/broken: truncated or malformed protobuf/);
    // The corrupt value is one line of the output.
    expect(r.stdout.toString().split('\n').filter((l) => l.includes('cannot decode'))).toHaveLength(1);
  });

  it('-w json-decoded gives the objects to jq', async () => {
    const r = await runCli('ours', [ep, 'get', '/registry/pods/default/web', '-w', 'json-decoded']);
    const pod = byKey(JSON.parse(r.stdout.toString()))['/registry/pods/default/web'];
    expect(pod.spec.containers[0].name).toBe('nameValue');
    expect(pod.metadata.creationTimestamp).toBe('2008-01-01T01:01:01Z');
  });

  it('--k8s-decode=false and ETCDCTL_TS_K8S_DECODE=false show the stored bytes', async () => {
    const stored = { base64: fixture('core.v1.Pod').toString('base64') };
    const flag = await runCli('ours', [ep, 'get', '/registry/pods/default/web', '-w', 'json-decoded', '--k8s-decode=false']);
    expect(byKey(JSON.parse(flag.stdout.toString()))['/registry/pods/default/web']).toEqual(stored);
    const env = await runCli('ours', [ep, 'get', '/registry/pods/default/web', '-w', 'json-decoded'], { env: { ETCDCTL_TS_K8S_DECODE: 'false' } });
    expect(byKey(JSON.parse(env.stdout.toString()))['/registry/pods/default/web']).toEqual(stored);
    expect(env.stderr.toString()).toBe('');
  });

  it.each([[[]], [['-w', 'json']], [['-w', 'fields']], [['-w', 'protobuf']], [['--print-value-only']], [['--hex']]])(
    'etcdctl formats stay byte-identical: %j',
    async (extra) => {
      expectSame(await runBoth([ep, 'get', '--prefix', '/registry/', ...extra]));
    },
  );
});

describe('txn and del --prev-kv', () => {
  it('txn -w yaml shows the objects its gets read; etcdctl formats are unchanged', async () => {
    const input = 'value("/registry/pods/default/web") != ""\n\nget /registry/pods/default/web\nget /registry/secrets/default/token\n\nput x y\n\n';
    const r = await runCli('ours', [ep, 'txn', '-w', 'yaml'], { stdin: input });
    expect(r.code).toBe(0);
    const doc = parseYaml(r.stdout.toString()) as { responses: { response_range: Doc }[] };
    expect(doc.responses[0]!.response_range.kvs[0]!.value).toMatchObject({ kind: 'Pod' });
    expect(doc.responses[1]!.response_range.kvs[0]!.value).toMatchObject({ encrypted: { provider: 'aescbc' } });
    for (const format of ['simple', 'json']) expectSame(await runBoth([ep, 'txn', '-w', format], { stdin: input }));
  });

  it('del --prev-kv -w yaml shows the deleted object', async () => {
    const client = testClient(cluster.endpoints[0]!);
    await client.kv.put({ key: Buffer.from('/registry/configmaps/default/gone'), value: fixture('core.v1.ConfigMap') });
    client.close();
    const r = await runCli('ours', [ep, 'del', '--prev-kv', '/registry/configmaps/default/gone', '-w', 'yaml']);
    expect(r.code).toBe(0);
    const doc = parseYaml(r.stdout.toString()) as { prev_kvs: { value: any }[] };
    expect(doc.prev_kvs[0]!.value).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', data: { dataKey: 'dataValue' } });
  });
});

describe('watch', () => {
  it('-w yaml prints live events of /registry/... as objects', async () => {
    const w = startCli('ours', [ep, 'watch', '--prefix', '/registry/jobs/', '-w', 'yaml']);
    try {
      // The watch exists once a put made after it shows; put until the first event arrives.
      const client = testClient(cluster.endpoints[0]!);
      try {
        for (let i = 0; i < 50 && !w.output().stdout.toString().includes('kind: Job'); i++) {
          await client.kv.put({ key: Buffer.from('/registry/jobs/default/j'), value: fixture('batch.v1.Job') });
          await w.waitFor((out) => out.stdout.toString().includes('kind: Job'), 1_000).catch(() => {});
        }
      } finally {
        client.close();
      }
      await w.waitFor((out) => out.stdout.toString().includes('kind: Job'), 10_000, 'the Job event');
    } finally {
      const result = await w.stop('SIGINT');
      const first = result.stdout.toString().split(/^---\n/m)[1]!;
      const doc = parseYaml(first) as { events: { type: string; kv: { key: string; value: any } }[] };
      expect(doc.events[0]!.type).toBe('PUT');
      expect(doc.events[0]!.kv.key).toBe('/registry/jobs/default/j');
      expect(doc.events[0]!.kv.value).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'nameValue' } });
    }
  });
});

describe('k8s decode', () => {
  it('reads a value piped from get --print-value-only, as YAML or JSON', async () => {
    const value = await runCli('ours', [ep, 'get', '--print-value-only', '/registry/deployments/default/app']);
    const yaml = await runCli('ours', ['k8s', 'decode'], { stdin: value.stdout });
    expect(yaml.code).toBe(0);
    expect(yaml.stdout.toString()).toMatch(/^apiVersion: apps\/v1\nkind: Deployment\nmetadata:\n/);
    const json = await runCli('ours', ['k8s', 'decode', '-o', 'json'], { stdin: fixture('apps.v1.Deployment') });
    expect(JSON.parse(json.stdout.toString())).toEqual(parseYaml(yaml.stdout.toString()));
  });

  it('a corrupt or foreign value is one Error line, exit 1', async () => {
    const bad = await runCli('ours', ['k8s', 'decode'], { stdin: truncatedPod() });
    expect(bad.code).toBe(1);
    expect(bad.stderr.toString()).toMatch(/^Error: cannot decode Kubernetes object: truncated or malformed protobuf[^\n]*\n$/);
    const plain = await runCli('ours', ['k8s', 'decode'], { stdin: 'hello' });
    expect(plain.code).toBe(1);
    expect(plain.stderr.toString()).toMatch(/^Error: not a Kubernetes object/);
  });
});
