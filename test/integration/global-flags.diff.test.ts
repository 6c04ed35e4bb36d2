// Differential tests of what surrounds the foundation commands: version, help and usage texts,
// cobra/pflag parse errors, command-name prefixes, global flags in every position and spelling,
// and the ETCDCTL_* environment (values, bad values, unknown variables, env/flag conflicts,
// ETCDCTL_API). Real etcdctl 3.5.16 and etcdctl-ts run the same command line against the same
// 1-member cluster; stdout, stderr and the exit code must match byte for byte.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../support/cluster.js';
import { expectSame, runBoth, type ExpectSameOptions } from '../support/diff.js';
import { dropZapStacktrace, maskZapTimestamp, realCtlOk } from '../support/kv-diff.js';
import { runCli, type RunOptions } from '../support/run.js';

let cluster: Cluster;
let ep: string;
/** The bare endpoint list, for ETCDCTL_ENDPOINTS. */
let endpoints: string;

beforeAll(async () => {
  cluster = await startCluster({ size: 1, name: 'gflags' });
  ep = cluster.endpointsFlag;
  endpoints = cluster.endpoints.join(',');
  await realCtlOk(ep, ['put', 'k', 'v']);
  await realCtlOk(ep, ['put', 'k2', 'v2']);
}, 90_000);

afterAll(async () => {
  await cluster?.stop();
});

/** `<EP>` in args and env values stands for the cluster's endpoints. */
function fill(args: string[], env?: Record<string, string>): { args: string[]; opts: RunOptions } {
  const sub = (s: string) => s.replaceAll('<EP>', endpoints);
  const opts: RunOptions = env ? { env: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, sub(v)])) } : {};
  return { args: args.map(sub), opts };
}

describe('version, help and usage', () => {
  // None of these connect: no --endpoints needed.
  it.each([
    [['version']],
    [['version', '-w', 'json']],
    [['version', '-w', 'xml']],
    [['version', 'extra', 'args']],
    [['version', '--hex']],
    [['ver']],
    [['vers', '-w', 'fields']],
    [['get', '--help']],
    [['put', '--help']],
    [['del', '--help']],
    [['compaction', '--help']],
    [['version', '--help']],
    [['get', '-h']],
    [['put', '-h', 'k', 'v']],
    [['help', 'get']],
    [['help', 'put']],
    [['help', 'del']],
    [['help', 'compaction']],
    [['help', 'version']],
    [['get', '--help=false', '--endpoints=127.0.0.1:1', '--command-timeout=1ms', 'x']],
    [['put', '--help=false']],
    [['help', 'get', 'extra']],
    [['help', 'nosuch']],
    [['-h', 'get']],
    // The root's usage lists every command.
    [['--help']],
    [['help']],
  ])('etcdctl %j', async (args) => {
    expectSame(await runBoth(args));
  });

  it('version ignores ETCDCTL_* variables entirely (no warning, no conflict)', async () => {
    expectSame(await runBoth(['version'], { env: { ETCDCTL_FOO: 'bar', ETCDCTL_WRITE_OUT: 'xml' } }), { keepZapLogLines: true });
    expectSame(await runBoth(['version', '-w', 'json'], { env: { ETCDCTL_WRITE_OUT: 'json' } }), { keepZapLogLines: true });
  });
});

describe('parse errors (printed twice, usage on stdout)', () => {
  it.each([
    [['get', '--foo']],
    [['get', 'k', '--bogus=1']],
    [['put', 'k', 'v', '-x']],
    [['del', 'k', '--nope']],
    [['compaction', '1', '--nope']],
    [['version', '--nope']],
    [['put', 'k', '-5']],
    [['get', 'k', '-w']],
    [['get', 'k', '--endpoints']],
    [['get', 'k', '--hex=maybe']],
    [['get', 'k', '--prefix=2']],
    [['get', 'k', '--limit=1e3']],
    [['get', 'k', '--dial-timeout=abc']],
    [['get', 'k', '--command-timeout=5']],
    [['get', 'k', '--keepalive-time=1x']],
    [['get', 'k', '--keepalive-timeout=-']],
    [['get', 'k', '---prefix']],
    [['get', 'k', '-hw']],
    [['--version']],
    [['foo']],
    [['foo', 'bar']],
    [['gett', 'k']],
    // Ambiguous prefixes: unknown command, with cobra's suggestions in registration order.
    [['d', 'k']],
    [['de', 'k']],
    [['c', '1']],
    [['comp', '1']],
    [['m']],
  ])('etcdctl %j', async (args) => {
    expectSame(await runBoth(args));
  });
});

describe('global flags: positions and spellings', () => {
  it.each([
    // Command-name prefixes.
    [['<EPFLAG>', 'ge', 'k']],
    [['<EPFLAG>', 'pu', 'pfx', 'v']],
    [['<EPFLAG>', 'compa', 'abc']],
    // Global flags before the command, after the arguments, interleaved.
    [['get', 'k', '<EPFLAG>']],
    [['--hex', '<EPFLAG>', 'get', 'k']],
    [['get', '<EPFLAG>', 'k', '-w', 'json']],
    [['<EPFLAG>', '-w', 'fields', 'get', 'k']],
    // Boolean and shorthand spellings.
    [['<EPFLAG>', 'get', '--', '--help']],
    [['<EPFLAG>', 'get', 'k', '--hex=false']],
    [['<EPFLAG>', 'get', 'k', '--hex=true']],
    [['<EPFLAG>', 'get', 'k', '--hex=1']],
    [['<EPFLAG>', 'get', 'k', '--hex=F']],
    [['<EPFLAG>', 'get', 'k', '--hex', 'false']],
    [['<EPFLAG>', 'get', 'k', '-wjson']],
    [['<EPFLAG>', 'get', 'k', '-w=json']],
    [['<EPFLAG>', 'get', 'k', '--write-out', 'fields']],
    [['<EPFLAG>', 'get', 'k', '--write-out=protobuf']],
    [['<EPFLAG>', 'get', 'k', '-w', 'json', '-w', 'simple']],
    // Bad -w: exit 4 after argument checks, before any RPC.
    [['<EPFLAG>', 'get', 'k', '-w', 'xml']],
    [['<EPFLAG>', 'get', '-w', 'xml']],
    [['<EPFLAG>', 'get', 'k', '-w', 'JSON']],
    [['<EPFLAG>', 'get', 'k', '-w', '']],
    [['<EPFLAG>', 'del', 'k', '-w', 'xml']],
    [['<EPFLAG>', 'compaction', '1', '-w', 'xml']],
    // Endpoint lists: repeated flag appends, spaces trimmed, empty items skipped, quoted CSV.
    [['--endpoints=127.0.0.1:1', '<EPFLAG>', 'get', 'k']],
    [['--endpoints= <EP> ', 'get', 'k']],
    [['--endpoints=,<EP>', 'get', 'k']],
    [['--endpoints="<EP>"', 'get', 'k']],
    [['--endpoints="<EP>', 'get', 'k']],
    // Timeouts given well-formed.
    [['<EPFLAG>', '--dial-timeout=3s', '--command-timeout=1m30s', '--keepalive-time=20s', '--keepalive-timeout=1h', 'get', 'k']],
    [['<EPFLAG>', '--command-timeout=0s', 'get', 'k']],
  ])('etcdctl %j', async (args) => {
    const filled = args.map((a) => (a === '<EPFLAG>' ? ep : a.replaceAll('<EP>', endpoints)));
    expectSame(await runBoth(filled));
  });
});

describe('ETCDCTL_* environment', () => {
  /** zap lines kept: only their timestamp (and Go's stack trace of fatal lines) is masked. */
  const zap: ExpectSameOptions = { keepZapLogLines: true, masks: [maskZapTimestamp, dropZapStacktrace] };

  it.each<[string[], Record<string, string>, ExpectSameOptions?]>([
    [['get', 'k'], { ETCDCTL_ENDPOINTS: '<EP>' }],
    [['get', 'k'], { ETCDCTL_ENDPOINTS: ' <EP> ,' }],
    [['get', 'k'], { ETCDCTL_ENDPOINTS: '<EP>', ETCDCTL_WRITE_OUT: 'json' }],
    [['get', 'k'], { ETCDCTL_ENDPOINTS: '<EP>', ETCDCTL_WRITE_OUT: 'fields' }],
    [['get', 'k'], { ETCDCTL_ENDPOINTS: '<EP>', ETCDCTL_WRITE_OUT: 'protobuf' }],
    [['get', 'k'], { ETCDCTL_ENDPOINTS: '<EP>', ETCDCTL_WRITE_OUT: 'table' }],
    [['get', 'k'], { ETCDCTL_ENDPOINTS: '<EP>', ETCDCTL_WRITE_OUT: 'xml' }],
    [['get'], { ETCDCTL_ENDPOINTS: '<EP>', ETCDCTL_WRITE_OUT: 'xml' }],
    [['get', 'k'], { ETCDCTL_ENDPOINTS: '<EP>', ETCDCTL_HEX: 'true' }],
    [['get', 'k'], { ETCDCTL_ENDPOINTS: '<EP>', ETCDCTL_HEX: '1' }],
    [['get', 'k'], { ETCDCTL_ENDPOINTS: '<EP>', ETCDCTL_HEX: 'maybe' }],
    [['get', 'k', '--hex'], { ETCDCTL_ENDPOINTS: '<EP>', ETCDCTL_WRITE_OUT: 'json' }],
    // ETCDCTL_COMMAND_TIMEOUT does not bound get/put/del (their clock starts before the env is
    // applied) but does bound compaction.
    [['get', 'k'], { ETCDCTL_ENDPOINTS: '<EP>', ETCDCTL_COMMAND_TIMEOUT: '1ns' }],
    [['put', 'envk', 'v'], { ETCDCTL_ENDPOINTS: '<EP>', ETCDCTL_COMMAND_TIMEOUT: '1ns' }],
    [['del', 'nothing'], { ETCDCTL_ENDPOINTS: '<EP>', ETCDCTL_COMMAND_TIMEOUT: '1ns' }],
    [['compaction', '2'], { ETCDCTL_ENDPOINTS: '<EP>', ETCDCTL_COMMAND_TIMEOUT: '1ns' }],
    [['get', 'k'], { ETCDCTL_ENDPOINTS: '<EP>', ETCDCTL_COMMAND_TIMEOUT: 'abc' }],
    [['get', 'k'], { ETCDCTL_ENDPOINTS: '<EP>', ETCDCTL_DIAL_TIMEOUT: 'abc' }],
    [['get', 'k'], { ETCDCTL_ENDPOINTS: '<EP>', ETCDCTL_KEEPALIVE_TIME: '1x' }],
    [['get', 'k'], { ETCDCTL_ENDPOINTS: '<EP>', ETCDCTL_INSECURE_TRANSPORT: 'nope' }],
    [['get', 'k'], { ETCDCTL_ENDPOINTS: '<EP>', ETCDCTL_USER: 'root:pw' }],
    // Unknown variables warn (zap JSON on stderr) and the command goes on; a command-local flag
    // has no variable; ETCDCTL_WATCH_KEY is only known to watch.
    [['get', 'k'], { ETCDCTL_ENDPOINTS: '<EP>', ETCDCTL_FOO: 'bar' }, zap],
    [['get', 'k'], { ETCDCTL_ENDPOINTS: '<EP>', ETCDCTL_PREFIX: 'true' }, zap],
    [['get', 'k'], { ETCDCTL_ENDPOINTS: '<EP>', ETCDCTL_WATCH_KEY: 'x' }, zap],
    [['get', 'k'], { ETCDCTL_ENDPOINTS: '<EP>', ETCDCTL_W: 'json', ETCDCTL_B: 'q"uote' }, zap],
    [['get', 'k'], { ETCDCTL_ENDPOINTS: '<EP>', ETCDCTL_EMPTY: '' }, zap],
    // Known but empty: never applied, so reported as unrecognized.
    [['--endpoints=<EP>', 'get', 'k'], { ETCDCTL_WRITE_OUT: '', ETCDCTL_HEX: '' }, zap],
    // A variable shadowed by a command-line flag is fatal (exit 1), even when empty.
    [['--endpoints=<EP>', 'get', 'k'], { ETCDCTL_ENDPOINTS: '<EP>' }, zap],
    [['--endpoints=<EP>', 'get', 'k'], { ETCDCTL_ENDPOINTS: '' }, zap],
    [['--endpoints=<EP>', 'get', 'k', '-w', 'fields'], { ETCDCTL_WRITE_OUT: 'json' }, zap],
    [['--endpoints=<EP>', 'put', 'envk', 'v', '--hex'], { ETCDCTL_HEX: 'false', ETCDCTL_FOO: 'x' }, zap],
    [['--endpoints=<EP>', 'get'], { ETCDCTL_ENDPOINTS: '<EP>' }, zap],
    // ETCDCTL_API.
    [['get', 'k'], { ETCDCTL_ENDPOINTS: '<EP>', ETCDCTL_API: '3' }, zap],
    [['get', 'k'], { ETCDCTL_ENDPOINTS: '<EP>', ETCDCTL_API: '' }, zap],
    [['get', 'k'], { ETCDCTL_ENDPOINTS: '<EP>', ETCDCTL_API: '4' }, zap],
    [['version'], { ETCDCTL_API: '3.5' }, zap],
  ])('etcdctl %j with %j', async (args, env, expectOpts) => {
    const { args: a, opts } = fill(args, env);
    expectSame(await runBoth(a, opts), expectOpts ?? {});
  });

  it('ETCDCTL_API=2 is refused (intentional difference: no v2 client)', async () => {
    // etcdctl 3.5 would run its legacy v2 client here; etcdctl-ts has none (README).
    const r = await runCli('ours', ['get', 'k'], { env: { ETCDCTL_API: '2', ETCDCTL_ENDPOINTS: endpoints } });
    expect(r.stdout.toString()).toBe('');
    expect(r.stderr.toString()).toBe('unsupported API version: 2\n');
    expect(r.code).toBe(1);
  });

  it('the fatal conflict line has etcdctl’s shape apart from the stack trace (intentional difference)', async () => {
    const { args, opts } = fill(['--endpoints=<EP>', 'get', 'k'], { ETCDCTL_ENDPOINTS: '<EP>' });
    const both = await runBoth(args, opts);
    const real = both.real.stderr.toString();
    const ours = both.ours.stderr.toString();
    expect(real).toMatch(/,"stacktrace":"go\.etcd\.io\/etcd\/pkg\/flags\.verifyEnv\\n/);
    expect(ours).not.toContain('stacktrace');
    expect(ours).toMatch(/^\{"level":"fatal","ts":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z","caller":"flags\/flag\.go:85",/);
  });
});
