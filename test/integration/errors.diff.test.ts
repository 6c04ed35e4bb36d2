// Differential tests of connection and configuration errors for the foundation commands:
// unreachable and empty endpoints, TLS flag and file errors (Go's crypto/tls texts, exit 128),
// and --user against a cluster without auth. Real etcdctl 3.5.16 and etcdctl-ts run the same
// command line; stdout, stderr and the exit code must match byte for byte (zap retry warnings,
// which etcdctl-ts does not print, are dropped from both sides).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../support/cluster.js';
import { expectSame, runBoth } from '../support/diff.js';
import { REPO_ROOT } from '../support/etcd-bin.js';
import { closedPort, dropZapStacktrace, maskZapTimestamp, realCtlOk } from '../support/kv-diff.js';

let cluster: Cluster;
let ep: string;
let dead: string;
const TLS = path.join(REPO_ROOT, 'test', 'fixtures', 'tls');
const tls = (name: string) => path.join(TLS, name);

beforeAll(async () => {
  cluster = await startCluster({ size: 1, name: 'errdiff' });
  ep = cluster.endpointsFlag;
  dead = `127.0.0.1:${await closedPort()}`;
  await realCtlOk(ep, ['put', 'k', 'v']);
}, 90_000);

afterAll(async () => {
  await cluster?.stop();
});

/** `<EP>` = the live endpoints flag, `<DEAD>` = a closed loopback port. */
const fill = (args: string[]) => args.map((a) => (a === '<EP>' ? ep : a.replaceAll('<DEAD>', dead)));

describe('unreachable and empty endpoints', () => {
  it.each([
    [['--endpoints=<DEAD>', '--command-timeout=1s', 'get', 'k']],
    [['--endpoints=<DEAD>', '--command-timeout=1s', 'put', 'k', 'v']],
    [['--endpoints=<DEAD>', '--command-timeout=1s', 'del', 'k']],
    [['--endpoints=<DEAD>', '--command-timeout=1s', 'compaction', '1']],
    [['--endpoints=<DEAD>', '--command-timeout=1s', 'get', 'k', '-w', 'json']],
    // Argument and format errors come before any connection attempt.
    [['--endpoints=<DEAD>', 'get']],
    [['--endpoints=<DEAD>', 'get', 'k', '-w', 'xml']],
    // No endpoints at all: client creation fails (exit 2).
    [['--endpoints=', 'get', 'k']],
    [['--endpoints=', 'put', 'k', 'v']],
    [['--endpoints=', 'compaction', '1']],
    // Only empty items: nothing to dial, the command times out.
    [['--endpoints=,', '--command-timeout=1s', 'get', 'k']],
    // A dead endpoint listed first: the live one answers.
    [['--endpoints=<DEAD>', '<EP>', 'get', 'k']],
    [['--endpoints=<DEAD>', '<EP>', 'put', 'k', 'v']],
  ])('etcdctl %j', async (args) => {
    expectSame(await runBoth(fill(args)));
  });
});

// Lines etcdctl logs at error level are kept (only unary retry warnings are left out): a stream that
// cannot be created logs clientv3's "streamer failed to create ClientStream" line.
describe('error-level zap lines', () => {
  it.each([
    [['--endpoints=<DEAD>', '--command-timeout=1s', 'snapshot', 'save', '<TMP>/s.db']],
    [['--endpoints=<DEAD>', '--command-timeout=1s', 'snapshot', 'save', '<TMP>/s.db', '-w', 'json']],
  ])('etcdctl %j', async (args) => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'etcdctl-ts-zap-'));
    try {
      const both = await runBoth(fill(args).map((a) => a.replace('<TMP>', tmp)));
      expect(both.real.stderr.toString()).toContain('"level":"error"');
      expectSame(both, { keepZapLogLines: true, masks: [maskZapTimestamp, dropZapStacktrace] });
      expect(fs.readdirSync(tmp)).toEqual([]);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('TLS flags and files', () => {
  it.each([
    [['--cert=x', 'get', 'k']],
    [['--key=x', 'get', 'k']],
    [['--cert=', 'get', 'k']],
    [['--key=', 'get', 'k']],
    [['--cacert=', 'get', 'k']],
    [['--cacert=/nonexistent', 'get', 'k']],
    [['--cacert=/nonexistent', '--cert=', 'get', 'k']],
    [['--cert=x', '--cacert=', 'get', 'k']],
    [['--cacert=/tmp', 'get', 'k']],
    [['--cacert=<client-key.pem>', 'get', 'k']],
    [['--cert=/nonexistent', '--key=/nonexistent2', 'get', 'k']],
    [['--cert=<client.pem>', '--key=/nonexistent', 'get', 'k']],
    [['--cert=<README>', '--key=<README>', 'get', 'k']],
    [['--cert=<client.pem>', '--key=<README>', 'get', 'k']],
    [['--cert=<client-key.pem>', '--key=<client-key.pem>', 'get', 'k']],
    [['--cert=<client.pem>', '--key=<client.pem>', 'get', 'k']],
    [['--cert=<client.pem>', '--key=<other-key.pem>', 'get', 'k']],
    [['--cert=<client.pem>', '--key=<rsa-key.pem>', 'get', 'k']],
    [['--cacert=<client.pem>', '--cert=/nonexistent', '--key=x', 'get', 'k']],
    // TLS errors are checked after argument and output-format errors.
    [['--cert=x', 'get']],
    [['--cert=x', 'get', 'k', '-w', 'xml']],
    [['--cert=x', 'put', 'k', 'v']],
    [['--cert=x', 'del', 'k']],
    [['--cert=x', 'compaction', '1']],
    // Valid files, but the server speaks plaintext: the handshake never completes.
    [['--cacert=<client.pem>', '--cert=<client.pem>', '--key=<client-key.pem>', '--command-timeout=1s', 'get', 'k']],
    [['--insecure-transport=false', '--command-timeout=1s', 'get', 'k']],
    // An http:// endpoint stays plaintext whatever the TLS flags say.
    [['--endpoints=http://<LIVE>', '--insecure-transport=false', 'get', 'k']],
  ])('etcdctl <EP> %j', async (args) => {
    const filled = args.map((a) =>
      a
        .replace(/<([\w-]+\.pem)>/, (_, f: string) => tls(f))
        .replaceAll('<README>', path.join(REPO_ROOT, 'README.md'))
        .replace('<LIVE>', cluster.endpoints[0]!),
    );
    const withEp = filled.some((a) => a.startsWith('--endpoints=')) ? filled : [ep, ...filled];
    expectSame(await runBoth(withEp));
  });
});

describe('--user with auth disabled', () => {
  it.each([
    [['<EP>', '--user=root:pw', 'get', 'k']],
    [['<EP>', '--user=root', '--password=pw', 'put', 'k', 'v']],
    [['<EP>', '--user=root:pw', 'del', 'nothing']],
    [['<EP>', '--user=:pw', 'get', 'k']],
    [['<EP>', '--user=root:', 'get', 'k', '-w', 'fields']],
    [['<EP>', '--password=pw', 'get', 'k']],
  ])('etcdctl %j', async (args) => {
    expectSame(await runBoth(fill(args)));
  });
});
