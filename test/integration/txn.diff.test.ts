// Differential tests of txn: the same transaction text is fed on stdin to the real etcdctl 3.5.16
// and to etcdctl-ts, each after the same reset of the keys, and what each printed (stdout, stderr,
// exit code) plus what the keys hold afterwards (read back by the real etcdctl) must match byte
// for byte. Revisions are masked where a write moved them on between the two runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../support/cluster.js';
import { expectSame, maskRevisions, runBoth, runBothWithReset } from '../support/diff.js';
import { expectSameProtobuf, grantLease, realCtl, runBothThen } from '../support/kv-diff.js';
import { runCli, type CliResult } from '../support/run.js';

let cluster: Cluster;
let ep: string;
let lease = '';

beforeAll(async () => {
  cluster = await startCluster({ size: 1, name: 'txndiff' });
  ep = cluster.endpointsFlag;
  lease = await grantLease(ep);
  // Never changed: the compare cases only read.
  await gateway('kv/txn', { success: [{ request_put: { key: b64('c/a'), value: b64('1') } }, { request_put: { key: b64('c/b'), value: b64('2') } }] });
}, 90_000);

afterAll(async () => {
  await cluster?.stop();
});

/** A call to etcd's JSON gateway (faster than running etcdctl for setup and read-back). */
async function gateway(path: string, body: object): Promise<string> {
  const resp = await fetch(`${cluster.clientUrls[0]}/v3/${path}`, { method: 'POST', body: JSON.stringify(body) });
  const text = await resp.text();
  if (!resp.ok) throw new Error(`gateway ${path}: ${resp.status} ${text}`);
  return text;
}
const b64 = (s: string) => Buffer.from(s).toString('base64');

/** t/a=1 and t/b=2 (both version 1), nothing else under t/. */
const reset = async () => {
  await gateway('kv/deleterange', { key: b64('t/'), range_end: b64('t0') });
  await gateway('kv/txn', { success: [{ request_put: { key: b64('t/a'), value: b64('1') } }, { request_put: { key: b64('t/b'), value: b64('2') } }] });
};
/** What the keys under t/ hold afterwards (revisions dropped: the other side's run moved them on). */
const stored = async (): Promise<CliResult> => {
  const text = await gateway('kv/range', { key: b64('t/'), range_end: b64('t0') });
  const kvs = (JSON.parse(text) as { kvs?: Record<string, unknown>[] }).kvs ?? [];
  const shown = kvs.map(({ key, value, version, lease }) => ({ key, value, version, lease }));
  return { stdout: Buffer.from(`${JSON.stringify(shown)}\n`), stderr: Buffer.alloc(0), code: 0, signal: null, argv: [], durationMs: 0 };
};

/** Runs `txn <extra>` with `stdin` on both sides after a reset; compares output and stored keys. */
async function expectSameTxn(stdin: string, extra: string[] = []): Promise<void> {
  const both = await runBothThen([ep, 'txn', ...extra], { stdin }, reset, stored);
  expectSame(both, { masks: [maskRevisions] });
}

/** For transactions that change nothing: both sides run against the same state, no reset. */
async function expectSameReadOnly(stdin: string, extra: string[] = []): Promise<void> {
  expectSame(await runBoth([ep, 'txn', ...extra], { stdin }));
}

describe('txn from stdin: compares and branches', () => {
  it.each([
    ['value =, success branch', 'value("c/a") = "1"\n\nget c/a\nget c/ --prefix\n\nget c/b\n\n'],
    ['value !=, failure branch', 'value("c/a") != "1"\n\nget c/a\n\nget c/b --keys-only\nget c/ --prefix --count-only\n\n'],
    ['val <', 'val("c/a") < "2"\n\nget c/a\n\nget c/b\n\n'],
    ['val > fails', 'val("c/a") > "2"\n\nget c/a\n\nget c/b\n\n'],
    ['ver =', 'ver("c/a") = "1"\n\nget c/a\n\nget c/b\n\n'],
    ['version >', 'version("c/a") > "1"\n\nget c/a\n\nget c/b\n\n'],
    ['c >', 'c("c/a") > "0"\n\nget c/a\n\nget c/b\n\n'],
    ['create = 0 for a missing key', 'create("c/missing") = "0"\n\nget c/a\n\nget c/b\n\n'],
    ['m >', 'm("c/b") > "0"\n\nget c/a\n\nget c/b\n\n'],
    ['mod < fails', 'mod("c/a") < "1"\n\nget c/a\n\nget c/b\n\n'],
    ['several compares, all hold', 'val("c/a") = "1"\nval("c/b") = "2"\nver("c/a") != "0"\n\nget c/a\n\nget c/b\n\n'],
    ['several compares, one fails', 'val("c/a") = "1"\nval("c/b") = "9"\n\nget c/a\n\nget c/b\n\n'],
    ['back-quoted key and value', 'val(`c/a`) = `1`\n\nget c/a\n\n\n'],
    ['escapes in compare strings', 'val("c/\\x61") = "\\u0031"\n\nget c/a\n\n\n'],
    ['+N and -N revisions', 'c("c/a") > "-1"\nm("c/a") > "+0"\n\nget c/a\n\n\n'],
    ['no compares: success', '\nget c/a\n\nget c/b\n\n'],
    ['all sections empty', '\n\n\n'],
    ['extra whitespace, tabs and CRLF', '  val("c/a")\t=\t"1"  \r\n \t \r\n  get c/a  \r\n\r\n\r\n'],
    ['input after the last terminator is ignored', '\n\n\nget c/b\n'],
  ])('%s', async (_name, stdin) => {
    await expectSameReadOnly(stdin);
  });
});

describe('txn request lines', () => {
  it.each([
    ['put --prev-kv of an existing key', '\nput t/a new --prev-kv\n\n\n'],
    ['put --prev-kv of a new key', '\nput t/c new --prev-kv\n\n\n'],
    ['put with a lease, --ignore-value, --ignore-lease', `\nput t/c v --lease=${'<L>'}\nput t/a --ignore-value\nput t/b x --ignore-lease\n\n\n`],
    ['get flags', '\nget t/ --prefix --keys-only\nget t/ --prefix --count-only\nget t/a t/c\nget t/ --prefix --limit 1 --order DESCEND --sort-by VALUE\nget t/a --consistency s --rev 0\nget t/ --from-key --print-value-only\n\n\n'],
    ['del --prefix --prev-kv', '\ndel t/ --prefix --prev-kv\n\n\n'],
    ['del with a range end prints the 3.6 note', '\ndel t/a t/c\n\n\n'],
    ['del with --range', '\ndel t/a t/c --range\n\n\n'],
    ['quoted words and escapes', '\nput "t/sp ace" "multi\\nline \\"q\\""\nget "t/sp ace"\n\n\n'],
    ['binary bytes through escapes', '\nput "t/\\xff" "\\x00\\xfe"\nget t/ --prefix\n\n\n'],
    ['command-name prefixes', '\np t/c 3\ng t/a\nd t/b\n\n\n'],
    ['an unterminated quote is skipped', '\nput "t/c v\n\n\n'],
    ['-- before a value that looks like a flag', '\nput t/c -- -v\n\n\n'],
    ['extra positional words are ignored by put', '\nput t/c v extra words\n\n\n'],
    ['--help=false is a flag like any other', '\nput --help=false t/c v\n\n\n'],
  ])('%s', async (_name, stdin) => {
    await expectSameTxn(stdin.replace('<L>', lease));
  });
});

const BRANCHES = 'val("t/a") = "1"\n\nput t/c 3 --prev-kv\nput t/a 1 --prev-kv\nget t/ --prefix\ndel t/b --prev-kv\n\nput t/c never\n\n';

describe('txn output formats', () => {
  it.each([['simple'], ['json'], ['fields']])('-w %s', async (format) => {
    await expectSameTxn(BRANCHES, ['-w', format]);
    await expectSameTxn('val("t/a") = "0"\n\nput t/c yes\n\nget t/ --prefix\ndel t/zz\n\n', ['-w', format]);
  });

  it('--hex (simple and json)', async () => {
    await expectSameTxn(BRANCHES, ['--hex']);
    await expectSameTxn(BRANCHES, ['-w', 'json', '--hex']);
  });

  it('-w protobuf', async () => {
    const both = await runBothWithReset([ep, 'txn', '-w', 'protobuf'], { stdin: BRANCHES }, reset);
    expectSameProtobuf(both, 'etcdserverpb.TxnResponse');
    // A read-only transaction is the same message, byte for byte.
    await reset();
    expectSame(await runBoth([ep, 'txn', '-w', 'protobuf'], { stdin: 'val("t/a") = "1"\n\nget t/ --prefix\n\nget t/a\n\n' }));
  });

  it('-w table commits, then fails with exit 4', async () => {
    await expectSameTxn(BRANCHES, ['-w', 'table']);
  });
});

describe('txn -i on a pipe', () => {
  it.each([
    ['full transaction', 'val("c/a") = "1"\n\nget c/a\n\nget c/b\n\n', []],
    ['json output', 'val("c/a") = "1"\n\nget c/a\n\nget c/b\n\n', ['-w', 'json']],
    ['EOF in the second section', 'val("c/a") = "1"\n\nget c/a\n', []],
    ['bad compare', 'x\n', []],
  ])('%s', async (_name, stdin, extra) => {
    await expectSameReadOnly(stdin, ['-i', ...extra]);
  });
});

describe('bad txn input: etcdctl errors and exit codes, nothing committed', () => {
  it.each([
    // Missing terminators: Error: EOF, exit 3.
    ['no input', ''],
    ['one terminator', '\n'],
    ['two terminators', 'val("b/a") = "1"\n\nput b/c 3\n\n'],
    ['last line without newline', 'val("b/a") = "1"'],
    ['last terminator without newline', '\n\n '],
    // Compare forms.
    ['no parenthesis', 'x\n\n\n'],
    ['unquoted key', 'value(b/a) = "1"\n\n\n'],
    ['no space before the operator', 'value("b/a")="1"\n\n\n'],
    ['no space after the operator', 'value("b/a") ="1"\n\n\n'],
    ['space before the parenthesis closes', 'value("b/a" ) = "1"\n\n\n'],
    ['unquoted value', 'value("b/a") = 1\n\n\n'],
    ['no value', 'value("b/a") =\n\n\n'],
    ['key only', 'value("b/a")\n\n\n'],
    ['bad escape in the key', 'val("b/\\qa") = "1"\n\n\n'],
    ['unknown target', 'foo("b/a") = "1"\n\n\n'],
    ['space before the parenthesis', 'val ("b/a") = "1"\n\n\n'],
    ['target is case-sensitive', 'VAL("b/a") = "1"\n\n\n'],
    ['non-numeric version', 'ver("b/a") = "x"\n\n\n'],
    ['hex revision', 'mod("b/a") > "0x1"\n\n\n'],
    ['revision out of range', 'c("b/a") < "99999999999999999999"\n\n\n'],
    ['bad number before a bad operator', 'ver("b/a") == "x"\n\n\n'],
    ['second compare bad', 'val("b/a") = "1"\nnope\n\n\n'],
    // Request lines.
    ['a command word only', '\nput\n\n\n'],
    ['one-arg put (stdin is already consumed)', '\nput b/c\n\n\n'],
    ['unknown command', '\nfoo b/a b\n\n\n'],
    ['unknown flag: usage on stderr', '\nput b/c v --bogus\n\n\n'],
    ['global flags do not exist inside a txn', '\nget b/a -w json\n\n\n'],
    ['flag needs an argument', '\nput b/c v --lease\n\n\n'],
    ['bad flag value', '\nget --limit=abc b/a\n\n\n'],
    ['flag error before any command word', '\n--a --b\n\n\n'],
    ['unknown flag then words', '\n--bogus put b/c v\n\n\n'],
    ['bad lease ID', '\nput --lease=zz b/c v\n\n\n'],
    ['bad consistency', '\nget b/a --consistency=x\n\n\n'],
    ['--prefix with a range end', '\nget --prefix b/a b/b\n\n\n'],
    ['del with three words', '\ndel b/a b/b b/c\n\n\n'],
    ['bad escape in a request', '\nput "b/\\q" v\n\n\n'],
    ['bad line in the failure section', '\nput b/c 1\n\nput\n\n'],
    ['compare on b/a fails, failure branch has a bad line', 'val("b/a") = "1"\n\nput b/c 1\n\nget\n\n'],
    ['server error at commit', '\nput b/c v --lease=1\n\n\n'],
    ['--ignore-value on a missing key', '\nput b/zz --ignore-value\n\n\n'],
  ])('%s', async (_name, stdin) => {
    await expectSameReadOnly(stdin);
  });

  it('rejects arguments', async () => {
    await expectSameReadOnly('\n\n\n', ['extra']);
  });

  it('--help and an unknown flag', async () => {
    await expectSameReadOnly('', ['--help']);
    await expectSameReadOnly('\n\n\n', ['--bogus']);
  });

  it('committed nothing', async () => {
    expect((await realCtl(ep, ['get', 'b/', '--prefix'])).stdout.toString()).toBe('');
  });
});

describe('where etcdctl 3.5.16 crashes or is buggy (ours only; see README differences)', () => {
  const ours = (stdin: string) => runCli('ours', [ep, 'txn'], { stdin });

  it.each([
    ['ver("t/a") == "1"\n\nput t/c yes\n\n\n', 'Error: malformed comparison: ver("t/a") == "1" (unknown operator "=="; use =, !=, < or >)\n'],
    ['val("t/a") >= "1"\n\nput t/c yes\n\n\n', 'Error: malformed comparison: val("t/a") >= "1" (unknown operator ">="; use =, !=, < or >)\n'],
    ['lease("t/a") = "0"\n\nput t/c yes\n\n\n', 'Error: unsupported comparison: lease("t/a") = "0" (etcdctl cannot compare leases)\n'],
  ])('a compare etcdctl panics on exits 2 with one Error line: %s', async (stdin, stderr) => {
    await reset();
    const real = await runCli('real', [ep, 'txn'], { stdin });
    expect(real.code).toBe(2);
    expect(real.stderr.toString()).toMatch(/^panic: /);
    const r = await ours(stdin);
    expect([r.code, r.stdout.toString(), r.stderr.toString()]).toEqual([2, '', stderr]);
    expect((await realCtl(ep, ['get', 't/c'])).stdout.toString()).toBe('');
  });

  it('single-quoted words are taken whole (etcdctl 3.5.28 behaviour)', async () => {
    await reset();
    const r = await ours("\nput 't/single quoted' 'a \"b\" \\\\n'\n\n\n");
    expect([r.code, r.stdout.toString(), r.stderr.toString()]).toEqual([0, 'SUCCESS\n\nOK\n', '']);
    expect((await realCtl(ep, ['get', 't/single quoted', '--print-value-only'])).stdout.toString()).toBe('a "b" \\\\n\n');
  });

  it('a line asking for help is an invalid request instead of a hang', async () => {
    const r = await ours('\nget -h t/a\n\n\n');
    expect([r.code, r.stdout.toString(), r.stderr.toString()]).toEqual([3, '', 'Error: invalid txn request: get -h t/a\n']);
  });
});
