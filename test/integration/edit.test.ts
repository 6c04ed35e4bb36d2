// edit with a scripted EDITOR (small shell scripts) on a real etcd member: writes back compare the
// mod revision and keep the lease; unchanged files, failing editors, concurrent changes and values
// that are not text write nothing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../support/cluster.js';
import { testClient } from '../support/fill.js';
import { runCli } from '../support/run.js';
import { oursEntryPath } from '../support/etcd-bin.js';

let cluster: Cluster;
let dir: string;
let ep: string;

/** A shell script used as $EDITOR; it gets the file to edit as $1. */
function editor(name: string, body: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `#!/bin/sh\nset -e\n${body}\n`, { mode: 0o755 });
  return file;
}

async function get(key: string) {
  const client = testClient(cluster.endpoints[0]!);
  try {
    return (await client.kv.range({ key: Buffer.from(key) })).kvs[0];
  } finally {
    client.close();
  }
}

async function put(key: string, value: string | Buffer, lease = '0') {
  const client = testClient(cluster.endpoints[0]!);
  try {
    return await client.kv.put({ key: Buffer.from(key), value: Buffer.from(value), lease });
  } finally {
    client.close();
  }
}

beforeAll(async () => {
  cluster = await startCluster({ size: 1, name: 'edit' });
  ep = `--endpoints=${cluster.endpoints[0]}`;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-edit-'));
});
afterAll(async () => {
  await cluster?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('edit', () => {
  it('writes the edited text back, keeping the lease', async () => {
    const client = testClient(cluster.endpoints[0]!);
    const lease = await client.lease.grant({ TTL: '600', ID: '0' });
    client.close();
    await put('/e/text', 'hello', lease.ID);
    const ed = editor('append.sh', 'test "$(cat "$1")" = hello\nprintf "hello world\\n" > "$1"');
    const r = await runCli('ours', [ep, 'edit', '/e/text'], { env: { EDITOR: ed } });
    expect(r.stderr.toString()).toBe('');
    expect(r.stdout.toString()).toBe('OK\n');
    expect(r.code).toBe(0);
    const kv = await get('/e/text');
    expect(kv!.value.toString()).toBe('hello world'); // the editor's final newline is not part of the value
    expect(kv!.lease).toBe(lease.ID);
  });

  it('shows compact JSON pretty and writes it back compact; a changed layout is kept', async () => {
    await put('/e/json', '{"replicas":1,"name":"app"}');
    const bump = editor('bump.sh', 'grep -q "^  \\"replicas\\": 1,$" "$1"\nsed -i "s/\\"replicas\\": 1/\\"replicas\\": 3/" "$1"');
    expect((await runCli('ours', [ep, 'edit', '/e/json'], { env: { VISUAL: bump, EDITOR: 'false' } })).code).toBe(0);
    expect((await get('/e/json'))!.value.toString()).toBe('{"replicas":3,"name":"app"}');
    const oneLine = editor('oneline.sh', 'printf \'{ "replicas": 5 }\' > "$1"');
    expect((await runCli('ours', [ep, 'edit', '/e/json'], { env: { EDITOR: oneLine } })).code).toBe(0);
    expect((await get('/e/json'))!.value.toString()).toBe('{ "replicas": 5 }');
  });

  it('an unchanged file, a failing editor or broken JSON write nothing', async () => {
    await put('/e/same', '{"a":1}');
    const before = (await get('/e/same'))!.mod_revision;
    const same = await runCli('ours', [ep, 'edit', '/e/same'], { env: { EDITOR: 'true' } });
    expect(same.code).toBe(0);
    expect(same.stderr.toString()).toBe('Edit cancelled, no changes made.\n');
    const failing = editor('fail.sh', 'echo changed > "$1"\nexit 3');
    const fail = await runCli('ours', [ep, 'edit', '/e/same'], { env: { EDITOR: failing } });
    expect(fail.code).toBe(1);
    expect(fail.stderr.toString()).toBe(`Error: the editor (${failing}) exited with status 3; nothing was written\n`);
    const broken = editor('broken.sh', 'echo "{" > "$1"');
    const bad = await runCli('ours', [ep, 'edit', '/e/same'], { env: { EDITOR: broken } });
    expect(bad.code).toBe(1);
    expect(bad.stderr.toString()).toMatch(/^Error: the edited value is not valid JSON \(.*\); nothing was written\n$/);
    expect((await get('/e/same'))!.mod_revision).toBe(before);
  });

  it('a key changed while it is being edited is not overwritten', async () => {
    await put('/e/race', 'original');
    // The editor changes the key through the CLI itself, then saves its own edit.
    const racing = editor('race.sh', `"${process.execPath}" "${oursEntryPath()}" ${ep} put /e/race theirs >/dev/null\necho mine > "$1"`);
    const r = await runCli('ours', [ep, 'edit', '/e/race'], { env: { EDITOR: racing } });
    expect(r.code).toBe(1);
    expect(r.stderr.toString()).toMatch(/^Error: "\/e\/race" was changed by someone else while you were editing it \(mod revision \d+ when read\); nothing was written\n$/);
    expect((await get('/e/race'))!.value.toString()).toBe('theirs');
  });

  it('refuses values that are not text, missing keys, and runs without an editor', async () => {
    await put('/e/bin', Buffer.from([0xff, 0x00, 0x01]));
    await put('/e/pod', Buffer.concat([Buffer.from('k8s\0'), Buffer.from([0x0a, 0x0d, 0x0a, 0x02, 0x76, 0x31])]));
    const bin = await runCli('ours', [ep, 'edit', '/e/bin'], { env: { EDITOR: 'true' } });
    expect(bin.code).toBe(1);
    expect(bin.stderr.toString()).toBe('Error: "/e/bin" holds binary data, not text: it cannot be edited as text (use put)\n');
    const pod = await runCli('ours', [ep, 'edit', '/e/pod'], { env: { EDITOR: 'true' } });
    expect(pod.stderr.toString()).toBe('Error: "/e/pod" holds a Kubernetes protobuf value, not text: edit it through the Kubernetes API (kubectl edit)\n');
    const missing = await runCli('ours', [ep, 'edit', '/e/missing'], { env: { EDITOR: 'true' } });
    expect(missing.stderr.toString()).toBe('Error: key "/e/missing" not found (create it with put)\n');
    const none = await runCli('ours', [ep, 'edit', '/e/text']);
    expect(none.code).toBe(1);
    expect(none.stderr.toString()).toBe('Error: no editor: set $VISUAL or $EDITOR\n');
    const args = await runCli('ours', [ep, 'edit']);
    expect(args.code).toBe(128);
  });
});
