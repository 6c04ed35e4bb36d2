// Large and binary data round-trips exactly through etcdctl-ts, on a real etcd member:
//
// - values of 1.4 MiB (just under etcd's 1.5 MiB request limit): from an argument and, binary,
//   from stdin; read back raw, as JSON and with --hex; past the limit, etcdctl's error;
// - keys holding every byte value 0x00–0xff: written through txn (Go-quoted \xNN escapes, and raw
//   bytes that are not UTF-8), read back with -w json, --hex and -w protobuf, as etcdctl reads them;
// - a range of 100,000 keys: written through txn, read back in every format byte for byte like
//   etcdctl, counted, limited, sorted and deleted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../support/cluster.js';
import { runCli, type CliResult } from '../support/run.js';
import { expectSame, runBoth } from '../support/diff.js';
import { runInProcess } from '../support/inproc.js';

let cluster: Cluster;
let ep: string;

const MAX_TXN_OPS = 5000;

beforeAll(async () => {
  // A larger --max-txn-ops only so that 100,000 keys take 20 transactions instead of 782.
  cluster = await startCluster({ size: 1, name: 'large', extraArgs: [`--max-txn-ops=${MAX_TXN_OPS}`] });
  ep = cluster.endpointsFlag;
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
});

/** Go's %q-compatible double-quoted literal of arbitrary bytes, all as \xNN escapes. */
function goHexQuoted(bytes: Buffer): string {
  return `"${[...bytes].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('')}"`;
}

/** Inverse of etcdctl's --hex escaping (`\x6b\x65\x79`). */
function fromHexEscapes(text: string): Buffer {
  expect(text).toMatch(/^(?:\\x[0-9a-f]{2})*$/);
  return Buffer.from(text.replace(/\\x/g, ''), 'hex');
}

interface JsonKv {
  key: string;
  value?: string;
  version: number;
}

function kvsOf(r: { stdout: Buffer }): JsonKv[] {
  return (JSON.parse(r.stdout.toString()) as { kvs?: JsonKv[] }).kvs ?? [];
}

function ok(r: { code: number | null; stderr: Buffer }, what: string): void {
  expect(r.code, `${what}: ${r.stderr.toString().slice(0, 500)}`).toBe(0);
}

describe('values of 1.4 MiB', () => {
  const SIZE = Math.floor(1.4 * 1024 * 1024);

  it('from an argument: read back exactly (raw, JSON, --hex)', async () => {
    // Multi-byte UTF-8 text, 1.4 MiB once encoded.
    const unit = 'aé日\u{1F600}';
    const value = unit.repeat(Math.floor(SIZE / Buffer.byteLength(unit)));
    const put = await runInProcess([ep, 'put', 'big/arg', value]);
    expect([put.code, put.stdout.toString(), put.stderr.toString()]).toEqual([0, 'OK\n', '']);
    const raw = await runInProcess([ep, 'get', 'big/arg', '--print-value-only']);
    ok(raw, 'get');
    expect(raw.stdout.equals(Buffer.concat([Buffer.from(value), Buffer.from('\n')]))).toBe(true);
    const json = await runInProcess([ep, 'get', 'big/arg', '-w', 'json']);
    expect(Buffer.from(kvsOf(json)[0]!.value!, 'base64').toString()).toBe(value);
  }, 60_000);

  it('binary, from stdin of a real process: read back exactly, like etcdctl reads it', async () => {
    // Every byte value, in a pseudo-random order.
    const value = Buffer.alloc(SIZE);
    for (let i = 0, x = 7; i < SIZE; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      value[i] = (x >>> 16) & 0xff;
    }
    const put = await runCli('ours', [ep, 'put', 'big/bin'], { stdin: value, timeoutMs: 60_000 });
    expect([put.code, put.stdout.toString(), put.stderr.toString()]).toEqual([0, 'OK\n', '']);
    const withNewline = Buffer.concat([value, Buffer.from('\n')]);
    for (const which of ['ours', 'real'] as const) {
      const raw = await runCli(which, [ep, 'get', 'big/bin', '--print-value-only'], { timeoutMs: 60_000 });
      ok(raw, `${which} get`);
      expect(raw.stdout.equals(withNewline), `${which} reads the value back`).toBe(true);
    }
    const hex = await runCli('ours', [ep, 'get', 'big/bin', '--print-value-only', '--hex'], { timeoutMs: 60_000 });
    expect(fromHexEscapes(hex.stdout.toString().replace(/\n$/, '')).equals(value)).toBe(true);
    const json = await runInProcess([ep, 'get', 'big/bin', '-w', 'json']);
    expect(Buffer.from(kvsOf(json)[0]!.value!, 'base64').equals(value)).toBe(true);
    // Every format of the whole response is etcdctl's, byte for byte.
    for (const format of ['simple', 'json', 'fields', 'protobuf']) {
      expectSame(await runBoth([ep, 'get', 'big/bin', '-w', format], { timeoutMs: 60_000 }));
    }
  }, 120_000);

  it('past etcd’s request limit: etcdctl’s error, nothing written', async () => {
    for (const size of [1_600_000, 2_200_000]) {
      const both = await runBoth([ep, 'put', `big/over-${size}`], { stdin: Buffer.alloc(size, 'z'), timeoutMs: 60_000 });
      expectSame(both);
      expect(both.ours.code).toBe(1);
      const get = await runInProcess([ep, 'get', `big/over-${size}`, '--count-only', '-w', 'fields']);
      expect(get.stdout.toString()).toContain('"Count" : 0');
    }
  }, 120_000);
});

describe('keys with every byte value', () => {
  const ALL = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

  it('one key holding bytes 0x00–0xff, through txn: JSON, --hex and protobuf give it back', async () => {
    const key = Buffer.concat([Buffer.from('kb/'), ALL]);
    const value = Buffer.concat([ALL, ALL]);
    const txn = await runInProcess([ep, 'txn'], { stdin: `\nput ${goHexQuoted(key)} ${goHexQuoted(value)}\n\n\n` });
    expect([txn.code, txn.stdout.toString(), txn.stderr.toString()]).toEqual([0, 'SUCCESS\n\nOK\n', '']);
    const json = kvsOf(await runInProcess([ep, 'get', 'kb/', '--prefix', '-w', 'json']));
    expect(json).toHaveLength(1);
    expect(Buffer.from(json[0]!.key, 'base64').equals(key)).toBe(true);
    expect(Buffer.from(json[0]!.value!, 'base64').equals(value)).toBe(true);
    const hex = await runInProcess([ep, 'get', 'kb/', '--prefix', '--hex']);
    const [hexKey, hexValue] = hex.stdout.toString().split('\n');
    expect(fromHexEscapes(hexKey!).equals(key)).toBe(true);
    expect(fromHexEscapes(hexValue!).equals(value)).toBe(true);
    for (const args of [['get', 'kb/', '--prefix'], ['get', 'kb/', '--prefix', '--hex'], ['get', 'kb/', '--prefix', '-w', 'fields'], ['get', 'kb/', '--prefix', '-w', 'protobuf']]) {
      expectSame(await runBoth([ep, ...args]));
    }
    // And it can be deleted by its exact bytes.
    const del = await runInProcess([ep, 'txn'], { stdin: `\ndel ${goHexQuoted(key)}\n\n\n` });
    expect(del.stdout.toString()).toBe('SUCCESS\n\n1\n');
  }, 60_000);

  it('256 keys, one per byte value, each read back in byte order', async () => {
    const keyOf = (b: number) => Buffer.from([0x6b, 0x31, 0x2f, b]); // "k1/" + byte
    for (const half of [ALL.subarray(0, 128), ALL.subarray(128)]) {
      // (A value that is exactly "--" would end txn's flag parsing, in etcdctl too: hence the "v".)
      const lines = [...half].map((b) => `put ${goHexQuoted(keyOf(b))} ${goHexQuoted(Buffer.from([0x76, b, b]))}\n`).join('');
      const txn = await runInProcess([ep, 'txn'], { stdin: `\n${lines}\n\n` });
      ok(txn, 'txn');
    }
    const kvs = kvsOf(await runInProcess([ep, 'get', 'k1/', '--prefix', '-w', 'json']));
    expect(kvs.map((kv) => Buffer.from(kv.key, 'base64').toString('hex'))).toEqual([...ALL].map((b) => keyOf(b).toString('hex')));
    expect(kvs.map((kv) => Buffer.from(kv.value!, 'base64').toString('hex'))).toEqual([...ALL].map((b) => Buffer.from([0x76, b, b]).toString('hex')));
    expectSame(await runBoth([ep, 'get', 'k1/', '--prefix', '--hex']));
    expectSame(await runBoth([ep, 'get', 'k1/', '--prefix', '-w', 'json']));
  }, 60_000);

  it('raw bytes that are not UTF-8 in txn input are stored as they are, as etcdctl stores them', async () => {
    // Unquoted and single-quoted words take the line's bytes verbatim; double-quoted ones are
    // unquoted by Go's rules (raw invalid bytes become U+FFFD there, in etcdctl too).
    const raw = Buffer.from([0x80, 0xc3, 0x28, 0xfe, 0xff, 0xed, 0xa0, 0x80, 0xf4, 0x90, 0x80, 0x80]);
    const input = (prefix: string) =>
      Buffer.concat([Buffer.from(`\nput ${prefix}/u/`), raw, Buffer.from(' v'), raw, Buffer.from(`\nput "${prefix}/d/`), raw, Buffer.from('" v\n\n\n')]);
    const ours = await runCli('ours', [ep, 'txn'], { stdin: input('raw-ours') });
    const real = await runCli('real', [ep, 'txn'], { stdin: input('raw-real') });
    expect([ours.code, ours.stdout.toString(), ours.stderr.toString()]).toEqual([real.code, real.stdout.toString(), real.stderr.toString()]);
    const keys = async (prefix: string) =>
      kvsOf(await runInProcess([ep, 'get', `${prefix}/`, '--prefix', '-w', 'json'])).map((kv) => [
        Buffer.from(kv.key, 'base64').subarray(prefix.length).toString('hex'),
        Buffer.from(kv.value!, 'base64').toString('hex'),
      ]);
    const stored = await keys('raw-ours');
    expect(stored).toEqual(await keys('raw-real'));
    expect(stored).toContainEqual([Buffer.concat([Buffer.from('/u/'), raw]).toString('hex'), Buffer.concat([Buffer.from('v'), raw]).toString('hex')]);
  }, 60_000);
});

describe('a range of 100,000 keys', () => {
  const N = 100_000;
  const keyOf = (i: number) => `r/${String(i).padStart(6, '0')}`;
  // Values vary in length and content; some are empty.
  const valueOf = (i: number) => (i % 97 === 0 ? '' : `v${i.toString(36)}-${'x'.repeat(i % 13)}`);

  beforeAll(async () => {
    for (let start = 0; start < N; start += MAX_TXN_OPS) {
      let lines = '';
      for (let i = start; i < Math.min(N, start + MAX_TXN_OPS); i++) lines += `put ${keyOf(i)} "${valueOf(i)}"\n`;
      const txn = await runInProcess([ep, 'txn'], { stdin: `\n${lines}\n\n`, timeoutMs: 60_000 });
      expect(txn.code, txn.stderr.toString()).toBe(0);
    }
  }, 180_000);

  it('reads back every key and value exactly (JSON)', async () => {
    const r = await runInProcess([ep, 'get', 'r/', '--prefix', '-w', 'json'], { timeoutMs: 60_000 });
    ok(r, 'get');
    const kvs = kvsOf(r);
    expect(kvs).toHaveLength(N);
    const mismatches: string[] = [];
    kvs.forEach((kv, i) => {
      const key = Buffer.from(kv.key, 'base64').toString();
      const value = Buffer.from(kv.value ?? '', 'base64').toString();
      if (key !== keyOf(i) || value !== valueOf(i) || kv.version !== 1) mismatches.push(`${i}: ${key}=${value} v${kv.version}`);
    });
    expect(mismatches.slice(0, 10)).toEqual([]);
  }, 120_000);

  it('prints the range byte for byte like etcdctl, in every format and with range options', async () => {
    const cases: string[][] = [
      ['get', 'r/', '--prefix'],
      ['get', 'r/', '--prefix', '-w', 'json'],
      ['get', 'r/', '--prefix', '-w', 'protobuf'],
      ['get', 'r/', '--prefix', '--keys-only', '--hex'],
      ['get', 'r/', '--prefix', '--count-only', '-w', 'fields'],
      ['get', 'r/', '--prefix', '--limit', '54321', '--sort-by', 'VALUE', '--order', 'DESCEND'],
      ['get', 'r/050000', 'r/060000', '-w', 'fields'],
    ];
    const same = (a: CliResult, b: CliResult) => a.code === b.code && a.stdout.equals(b.stdout) && a.stderr.equals(b.stderr);
    for (const args of cases) {
      const both = await runBoth([ep, ...args], { timeoutMs: 90_000 });
      expect(both.ours.code, `${args.join(' ')}: ${both.ours.stderr.toString().slice(0, 300)}`).toBe(0);
      // expectSame's report would print megabytes: compare, then let it report only on a difference.
      if (!same(both.real, both.ours)) expectSame(both);
    }
  }, 180_000);

  it('deletes the whole range and reports the count like etcdctl', async () => {
    const ours = await runCli('ours', [ep, 'del', 'r/', '--prefix'], { timeoutMs: 60_000 });
    expect([ours.code, ours.stdout.toString(), ours.stderr.toString()]).toEqual([0, `${N}\n`, '']);
    const left = await runInProcess([ep, 'get', 'r/', '--prefix', '--count-only', '-w', 'fields']);
    expect(left.stdout.toString()).toContain('"Count" : 0');
  }, 60_000);
});
