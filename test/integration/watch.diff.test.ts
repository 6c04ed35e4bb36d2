// Differential tests of watch: the real etcdctl 3.5.16 and etcdctl-ts watch the same history
// (--rev replays it, so both receive the same responses), each as a child process that is
// stopped by SIGINT once it printed everything; stdout, stderr and the way it ended must match.
// Argument errors, exec mode, interactive mode and server cancellation (compaction, exit 5) too.
import { afterAll, afterEach, beforeAll, describe, it } from 'vitest';
import { startCluster, type Cluster } from '../support/cluster.js';
import { killAllBackground, startCli, type BackgroundOptions } from '../support/background.js';
import { expectSame, runBoth } from '../support/diff.js';
import { realCtlOk } from '../support/kv-diff.js';
import type { CliResult, RunOptions, Which } from '../support/run.js';

let cluster: Cluster;
let ep: string;
/** Revision of the first write of the watched history. */
let start: string;
const MARKER = 'END-MARKER';
const MARKERS = [MARKER, Buffer.from(MARKER).toString('base64'), [...Buffer.from(MARKER)].map((b) => `\\x${b.toString(16)}`).join('')];
const realOk = (args: string[], opts: RunOptions = {}) => realCtlOk(ep, args, opts);

const hasMarker = (out: { stdout: Buffer }) => MARKERS.some((m) => out.stdout.includes(m));

type Proc = ReturnType<typeof startCli>;

/** Runs `watch -i` on one side, driving its stdin with `steps`, until it exits by itself. */
async function interactive(which: Which, steps: (proc: Proc) => Promise<void>, global: string[] = []): Promise<CliResult> {
  const proc = startCli(which, [ep, ...global, 'watch', '-i', '--prefix'], { keepStdin: true });
  await steps(proc);
  return proc.exited();
}

async function bothInteractive(steps: (proc: Proc) => Promise<void>, global: string[] = []) {
  const real = await interactive('real', steps, global);
  const ours = await interactive('ours', steps, global);
  return { args: [ep, ...global, 'watch', '-i', '--prefix'], opts: {}, real, ours };
}

/** Runs a watch on one side until it printed the marker and went quiet, then SIGINT. */
async function watchUntilMarker(which: Which, args: string[], opts: BackgroundOptions = {}): Promise<CliResult> {
  const proc = startCli(which, [ep, ...args], opts);
  await proc.waitFor(hasMarker, 30_000, `${MARKER} from ${which}`);
  await proc.settle();
  return proc.stop('SIGINT');
}

async function bothUntilMarker(args: string[], opts: BackgroundOptions = {}) {
  const real = await watchUntilMarker('real', args, opts);
  const ours = await watchUntilMarker('ours', args, opts);
  return { args: [ep, ...args], opts: { env: opts.env }, real, ours };
}

beforeAll(async () => {
  cluster = await startCluster({ size: 1, name: 'watchdiff' });
  ep = cluster.endpointsFlag;
  await realOk(['put', 'unrelated', 'x']);
  const first = await realOk(['put', 'w/a', '1', '-w', 'json']);
  start = String(/"revision":(\d+)/.exec(first.stdout.toString())?.[1]);
  await realOk(['put', 'w/b', 'a b"c']);
  await realOk(['put', 'w/a', '2']);
  await realOk(['put', 'w/nl', 'multi\nline\n']);
  await realOk(['put', 'w/bin'], { stdin: Buffer.from([0xff, 0x00, 0x41, 0x0a, 0xc3]) });
  await realOk(['put', 'w/ü✓', 'é <>& \u2028 "q" \\']);
  // Assigned after Unicode 15.0 (Go 1.24's tables): %q escapes them (fields output, ETCD_WATCH_*).
  await realOk(['put', 'w/u\u{2ffc}', '\u{31ef}\u{1fadc}']);
  await realOk(['put', 'w/empty', '']);
  await realOk(['del', 'w/a']);
  await realOk(['put', 'w/a', '3']);
  await realOk(['del', 'w/b']);
  await realOk(['put', 'other', 'not watched']);
  await realOk(['put', 'w/zz', MARKER]);
}, 90_000);

// A failed test leaves no process running.
afterEach(killAllBackground);

afterAll(async () => {
  await cluster?.stop();
});

describe('watch events, replayed with --rev', () => {
  const formats = ['simple', 'json', 'fields', 'protobuf'];
  for (const format of formats) {
    for (const prevKv of [false, true]) {
      it(`-w ${format}${prevKv ? ' --prev-kv' : ''}`, async () => {
        const args = ['watch', 'w/', '--prefix', '--rev', start, '-w', format, ...(prevKv ? ['--prev-kv'] : [])];
        expectSame(await bothUntilMarker(args));
      });
    }
  }

  it('--hex', async () => {
    expectSame(await bothUntilMarker(['watch', '--hex', '--prefix', 'w/', '--rev', start, '--prev-kv']));
  });

  it('a range [w/a, w/zz] and a single key', async () => {
    expectSame(await bothUntilMarker(['watch', 'w/a', 'w/zzz', '--rev', start]));
    // A third word drops the range: only w/zz itself.
    expectSame(await bothUntilMarker(['watch', 'w/zz', 'w/zzz', 'ignored', '--rev', start, '-w', 'json']));
  });

  it('the key and range end from ETCDCTL_WATCH_KEY / ETCDCTL_WATCH_RANGE_END', async () => {
    const env = { ETCDCTL_WATCH_KEY: 'w/b', ETCDCTL_WATCH_RANGE_END: 'w/zzz' };
    expectSame(await bothUntilMarker(['watch', '--rev', start, '--prev-kv'], { env }));
  });

  it('--prefix with an empty key watches everything', async () => {
    expectSame(await bothUntilMarker(['watch', '--prefix', '', '--rev', start, '-w', 'fields']));
  });

  it('-w table fails at the first response (exit 4)', async () => {
    expectSame(await runBoth([ep, 'watch', 'w/', '--prefix', '--rev', start, '-w', 'table']));
  });
});

describe('watch argument errors', () => {
  const cases: { args: string[]; env?: Record<string, string> }[] = [
    { args: ['watch'] },
    { args: ['watch', '--'] },
    { args: ['watch', 'a', '--'] },
    { args: ['watch', 'a', 'b', '--prefix'] },
    // Flags but no key: caught only after the client was made.
    { args: ['watch', '--rev', '1'] },
    { args: ['watch', '-w', 'xx'] },
    { args: ['-w', 'xx', 'watch'] },
    { args: ['watch', '--bogus'] },
    { args: ['watch', 'a'], env: { ETCDCTL_WATCH_RANGE_END: 'x' } },
    { args: ['watch', 'a'], env: { ETCDCTL_WATCH_KEY: 'k' } },
    { args: ['watch', 'a', '--', 'echo'], env: { ETCDCTL_WATCH_KEY: 'k' } },
    { args: ['watch', '--prefix', 'b', '--', 'echo'], env: { ETCDCTL_WATCH_KEY: 'k', ETCDCTL_WATCH_RANGE_END: 'z' } },
  ];
  for (const { args, env } of cases) {
    it(`${Object.entries(env ?? {})
      .map(([k, v]) => `${k}=${v} `)
      .join('')}${args.join(' ')}`, async () => {
      expectSame(await runBoth([ep, ...args], { env }));
    });
  }
});

describe('watch exec mode', () => {
  it('runs the command per event with the ETCD_WATCH_* variables', async () => {
    const script = 'printf "%s|%s|%s|%s\\n" "$ETCD_WATCH_REVISION" "$ETCD_WATCH_EVENT_TYPE" "$ETCD_WATCH_KEY" "$ETCD_WATCH_VALUE"';
    expectSame(await bothUntilMarker(['watch', 'w/', '--prefix', '--rev', start, '--', 'sh', '-c', script]));
  });

  it('a failing command ends the watch (exit 1)', async () => {
    expectSame(await runBoth([ep, 'watch', 'w/', '--prefix', '--rev', start, '--', 'sh', '-c', 'echo "$ETCD_WATCH_KEY"; exit 3']));
    expectSame(await runBoth([ep, 'watch', 'w/', '--prefix', '--rev', start, '--', 'no-such-command-xyz', 'arg']));
  });

  it('`--` inside the exec arguments and a repeated command word', async () => {
    // etcdctl cuts the watch words at the last word equal to the command name: key w/a, range end "echo".
    expectSame(await runBoth([ep, 'watch', 'w/a', '--rev', start, '--', 'false', 'false']));
  });
});

describe('watch -i (interactive)', () => {
  const fromStdin = (stdin: string, env?: Record<string, string>) => runBoth([ep, 'watch', '-i'], { stdin, env });

  it('reports bad lines and ends at end of input (exit 3)', async () => {
    expectSame(await fromStdin('\nfoo bar\nwatch\nwatch a b --prefix\nwatch -- echo\nprogress\n'));
    expectSame(await fromStdin('watch a'));
    expectSame(await fromStdin(''));
  });

  it('fatal lines', async () => {
    for (const stdin of ['watch a --bogus\n', 'watch a --\n', 'watch --rev 1\n', 'watch -h\n', 'watch "a\\q"\n', 'watch -w json a\n']) {
      expectSame(await fromStdin(stdin));
    }
    expectSame(await fromStdin('watch b\n', { ETCDCTL_WATCH_KEY: 'a' }));
  });

  it('watches, progress requests and exec commands from lines', async () => {
    const steps = async (proc: Proc) => {
      // --prefix on the command line does not carry over to the lines.
      proc.writeLine(`watch w/zz --rev ${start}`);
      await proc.waitFor(hasMarker, 30_000, 'the first watch');
      await proc.settle();
      // Double quotes: 3.5.16 mangles single-quoted words (fixed in 3.5.28, which etcdctl-ts follows).
      proc.writeLine(`watch --prev-kv --rev ${start} w/ --prefix -- sh -c "echo exec $ETCD_WATCH_KEY"`);
      await proc.waitFor((o) => o.stdout.includes('exec "w/zz"'), 30_000, 'the exec watch');
      await proc.settle();
      proc.writeLine('progress');
      await proc.waitFor((o) => o.stdout.toString().split('progress notify').length === 3, 30_000, 'two progress lines');
      await proc.settle();
      proc.endStdin();
    };
    expectSame(await bothInteractive(steps));
  });

  it('-w table ends the process at a watch’s first response (exit 4)', async () => {
    const steps = async (proc: Proc) => {
      proc.writeLine(`watch --rev ${start} w/zz`);
    };
    expectSame(await bothInteractive(steps, ['-w', 'table']));
  });
});

// Last: compaction makes the earlier history unavailable.
describe('watch cancelled by the server', () => {
  let compactedAt: string;
  beforeAll(async () => {
    const r = await realOk(['put', 'w/c', 'x', '-w', 'json']);
    compactedAt = String(/"revision":(\d+)/.exec(r.stdout.toString())?.[1]);
    await realOk(['compaction', compactedAt]);
  });

  for (const format of ['simple', 'json', 'fields', 'protobuf', 'table']) {
    it(`a compacted start revision ends the watch (exit 5), -w ${format}`, async () => {
      expectSame(await runBoth([ep, 'watch', 'w/', '--prefix', '--rev', start, '-w', format]));
    });
  }

  it('in interactive mode the other lines go on', async () => {
    const steps = async (proc: Proc) => {
      proc.writeLine(`watch w/a --rev ${start}`);
      // etcdctl writes the cancellation to stderr, then the response to stdout from another
      // goroutine: wait for both, or a loaded machine can end its input between the two.
      await proc.waitFor((o) => o.stderr.includes('watch was canceled') && o.stdout.includes('"Canceled":true'), 30_000, 'the cancellation');
      proc.writeLine('foo');
      await proc.waitFor((o) => o.stderr.includes('Invalid command foo'), 30_000, 'the next line');
      proc.endStdin();
    };
    expectSame(await bothInteractive(steps, ['-w', 'json']));
  });
});
