// watch: argument rules (etcdctl's parseWatchArgs and getWatchChan, quirks included) are pure
// functions; the run function connects, starts the watch and returns its responses as a stream
// that ends when the server ends it. Interactive mode (-i) reads `watch …` and `progress` lines
// from stdin.
//
// No signal handler: like etcdctl, SIGINT/SIGTERM end the process by their default action.
import { CtlCommand } from '../cli/command.js';
import { commandLineDeadline, type Invocation, type Session } from '../cli/invocation.js';
import { parseFlags } from '../cli/parse.js';
import { CtlError, ExitCode, SilentExit, UsageError } from '../common/errors.js';
import { runCommand } from '../io/exec.js';
import { goQuote, goQuoteList } from '../go/quote.js';
import { eventTypeName } from '../output/watch-render.js';
import { isProgressNotify, watchResponseError, type WatchOptions, type WatchResponse } from '../client/watch.js';
import { replayBySegments, worthSplitting } from '../client/watch-replay.js';
import { keyOf, valueOf } from '../client/watch-wire.js';
import { bytesOfToken } from '../common/byte-strings.js';
import { tokenize } from '../txn/tokenize.js';
import { prefixRangeEnd } from '../kv/key-range.js';
import { type Printable, text } from '../output/outcome.js';
import { pushStream } from '../output/push-stream.js';
import { WATCH_FLAGS } from './specs/watch.js';

/** The watch flags that shape a watch request. */
export interface WatchFlags {
  prefix: boolean;
  rev: bigint;
  prevKv: boolean;
  progressNotify: boolean;
}

export interface ParsedWatchArgs {
  /** `key [range_end …]` (a third word and beyond are ignored, and so disable the range). */
  watchArgs: string[];
  /** The command to run for each event (empty: none). */
  execArgs: string[];
}

const badArgs = (message: string) => new CtlError(ExitCode.BadArgs, message);
const errBadArgsNum = () => badArgs('bad number of arguments');
const errConflictEnv = () => badArgs('bad number of arguments (found conflicting environment key)');
const errSeparator = () => badArgs('bad number of arguments (found separator --, but no commands)');

/** Prepends ETCDCTL_WATCH_KEY (and ETCDCTL_WATCH_RANGE_END) to the words, as etcdctl does. */
function withEnvKey(words: string[], envKey: string, envRange: string): string[] {
  if (envKey === '') return words;
  return [envKey, ...(envRange !== '' ? [envRange] : []), ...words];
}

/**
 * etcdctl cuts the command off the watch words by looking, from the end, for the first word
 * after `--`: a command argument equal to the command name cuts there (`watch k -- echo echo`
 * watches k up to range end "echo").
 */
function withoutCommand(words: string[], firstCommandWord: string | undefined): string[] {
  let end = words.length - 1;
  while (end >= 0 && words[end] !== firstCommandWord) end--;
  return words.slice(0, Math.max(end, 0));
}

/**
 * etcdctl's parseWatchArgs for the command line. `argv` is the whole command line (etcdctl reads
 * os.Args: what follows the first word "watch" is where it looks for `--`); `args` are the
 * positional arguments the flag parser left (which include the words after `--`).
 */
export function parseWatchCommandLine(argv: readonly string[], args: readonly string[], envKey: string, envRange: string): ParsedWatchArgs {
  // os.Args[0] is the program; it only matters when "watch" was abbreviated (`etcdctl wat k`).
  const osArgs = ['etcdctl', ...argv];
  const at = osArgs.indexOf('watch');
  const raw = at >= 0 ? osArgs.slice(at + 1) : osArgs;
  const sep = raw.indexOf('--');
  const execExist = sep >= 0;
  if (execExist && sep === raw.length - 1) throw errSeparator();
  if (!execExist && raw.length < 1 && envKey === '') throw errBadArgsNum();
  if (execExist && envKey !== '') {
    // Positional words before `--` conflict with the key from the environment.
    let r = raw.length - 1;
    for (let w = args.length - 1; w >= 0; w--) {
      if (args[w] === raw[r]) {
        r--;
        continue;
      }
      if (r === sep) throw errConflictEnv();
    }
  }
  if (!execExist && args.length > 0 && envKey !== '') throw errConflictEnv();

  const watchArgs = withEnvKey([...args], envKey, envRange);
  if (!execExist) return { watchArgs, execArgs: [] };
  return { watchArgs: withoutCommand(watchArgs, raw[sep + 1]), execArgs: raw.slice(sep + 1) };
}

/** A command holding only the watch flags, to parse interactive lines as etcdctl's fresh FlagSet does. */
function lineFlagParser(): CtlCommand {
  return CtlCommand.fromSpec({ name: 'watch', use: 'watch', short: '', flags: WATCH_FLAGS });
}

/** Parses the words of a line with the watch flags only; every flag starts from its default. */
function parseLineFlags(words: string[]): { args: string[]; flags: WatchFlags } {
  let parsed;
  try {
    parsed = parseFlags(lineFlagParser(), words);
  } catch (err) {
    if (err instanceof UsageError) throw badArgs(err.message);
    throw err;
  }
  // pflag without a help flag: -h/--help is ErrHelp.
  if (parsed.flags.get('help')?.changed) throw badArgs('pflag: help requested');
  const value = (name: string) => parsed.flags.get(name)?.value;
  return {
    args: parsed.args,
    flags: {
      prefix: value('prefix') === true,
      rev: value('rev') as bigint,
      prevKv: value('prev-kv') === true,
      progressNotify: value('progress-notify') === true,
    },
  };
}

/**
 * etcdctl's parseWatchArgs for an interactive line (`tokens[0]` is "watch"). The flags come from
 * the line alone. Errors are fatal (exit 128), as in etcdctl.
 */
export function parseWatchLine(tokens: readonly string[], envKey: string, envRange: string): ParsedWatchArgs & { flags: WatchFlags } {
  const words = tokens.slice(1);
  const sep = words.indexOf('--');
  const execExist = sep >= 0;
  if (execExist && sep === words.length - 1) throw errSeparator();
  const { args, flags } = parseLineFlags(words);
  if (!execExist && envKey === '' && args.length < 1) throw errBadArgsNum();
  if (!execExist && args.length > 0 && envKey !== '') throw errConflictEnv();
  const watchArgs = withEnvKey(args, envKey, envRange);
  if (!execExist) return { watchArgs, execArgs: [], flags };
  return { watchArgs: withoutCommand(watchArgs, words[sep + 1]), execArgs: words.slice(sep + 1), flags };
}

/** etcdctl's getWatchChan checks, giving the watch request. Errors are plain messages. */
export function buildWatchOptions(watchArgs: readonly Buffer[], flags: WatchFlags): WatchOptions {
  const [key, rangeEnd] = watchArgs;
  if (key === undefined) throw new Error('bad number of arguments');
  const options: WatchOptions = { key, startRevision: flags.rev, prevKv: flags.prevKv, progressNotify: flags.progressNotify };
  if (watchArgs.length === 2) {
    if (flags.prefix) throw new Error('`range_end` and `--prefix` are mutually exclusive');
    options.rangeEnd = rangeEnd;
  }
  if (flags.prefix) {
    // clientv3.WithPrefix: an empty key watches everything.
    if (key.length === 0) {
      options.key = Buffer.from([0]);
      options.rangeEnd = Buffer.from([0]);
    } else {
      options.rangeEnd = prefixRangeEnd(key);
    }
  }
  return options;
}

/**
 * A watch's responses as they come (etcdctl's printWatchCh), running the exec command once per
 * event after the response is written. A failing command ends the process with exit 1 after its
 * message; `endsCommand`: the watch ending is etcdctl's "canceled by the server" error.
 */
async function* watchOutput(watcher: AsyncIterable<WatchResponse>, execArgs: readonly string[], inv: Invocation, endsCommand: boolean): AsyncGenerator<Printable> {
  const { io } = inv;
  for await (const resp of watcher) {
    if (resp.canceled) io.stderr.write(`watch was canceled (${watchResponseError(resp) ?? '<nil>'})\n`);
    if (isProgressNotify(resp)) yield text(`progress notify: ${resp.header.revision}\n`);
    // Resumed once written and drained: a reader slower than the replay holds the rest in the
    // watch's queue as wire bytes, not here, and the command's output comes after the response.
    yield { kind: 'watch', resp };
    const { wire } = resp;
    if (execArgs.length === 0 || !wire) continue;
    for (let e = 0; e < resp.eventCount; e++) {
      const env = {
        ...inv.environment.inherited,
        ETCD_WATCH_REVISION: resp.header.revision,
        ETCD_WATCH_EVENT_TYPE: `"${eventTypeName(wire.types[e]!)}"`,
        ETCD_WATCH_KEY: goQuote(keyOf(wire, e)),
        ETCD_WATCH_VALUE: goQuote(valueOf(wire, e)),
      };
      const failure = await runCommand(execArgs, env, io);
      if (failure) {
        io.stderr.write(`command ${goQuoteList(execArgs)} error (${failure.message})\n`);
        throw new SilentExit(ExitCode.Error);
      }
    }
  }
  if (endsCommand) throw new CtlError(ExitCode.Interrupted, 'watch is canceled by the server');
}

/**
 * The watch's responses. A long replay printed in simple output without a command is read through
 * several watches at once (client/watch-replay.ts: etcd feeds one lagging watch ~1,000 revisions
 * per 100 ms); the same events come out in the same order, and only the grouping into responses,
 * which simple output does not show, differs. The store's revision for planning comes from a
 * one-key read; if that fails, the watch is simply made as etcdctl makes it.
 */
async function openWatch(inv: Invocation, session: Session, options: WatchOptions, execArgs: readonly string[]): Promise<AsyncIterable<WatchResponse>> {
  const service = session.client.watch;
  const splittable = execArgs.length === 0 && !options.progressNotify && session.config.display.format === 'simple' && options.startRevision > 0n;
  if (!splittable) return service.watch(options);
  let head: bigint;
  try {
    const resp = await session.client.kv.range({ key: options.key, keys_only: true, limit: '1' }, commandLineDeadline(inv));
    head = BigInt(resp.header?.revision ?? '0');
  } catch {
    return service.watch(options);
  }
  return worthSplitting(options.startRevision, head) ? replayBySegments(service, options, head) : service.watch(options);
}

function watchFlagsOf(inv: Invocation): WatchFlags {
  return { prefix: inv.bool('prefix'), rev: inv.int('rev'), prevKv: inv.bool('prev-kv'), progressNotify: inv.bool('progress-notify') };
}

async function runWatch(inv: Invocation): Promise<AsyncIterable<Printable>> {
  const { watchKey: envKey, watchRangeEnd: envRange } = inv.environment;
  if (envKey === '' && envRange !== '') throw badArgs(`ETCDCTL_WATCH_KEY is empty but got ETCDCTL_WATCH_RANGE_END=${goQuote(envRange)}`);
  if (inv.bool('interactive')) return runInteractive(inv, envKey, envRange);

  const { watchArgs, execArgs } = parseWatchCommandLine(inv.argv, inv.args, envKey, envRange);
  const session = await inv.connect();
  let options: WatchOptions;
  try {
    options = buildWatchOptions(watchArgs.map(bytesOfToken), watchFlagsOf(inv));
  } catch (err) {
    throw badArgs((err as Error).message);
  }
  return watchOutput(await openWatch(inv, session, options, execArgs), execArgs, inv, true);
}

/** etcdctl's watchInteractiveFunc: one line at a time; the watches' output comes as it happens. */
async function runInteractive(inv: Invocation, envKey: string, envRange: string): Promise<AsyncIterable<Printable>> {
  const session = await inv.connect();
  return pushStream<Printable>((push) => readWatchLines(inv, session, envKey, envRange, push));
}

/**
 * Reads the request lines, starting watches whose output is pushed as it comes (each watch waits
 * for its response to be written before running its command); ends only with an error.
 */
async function readWatchLines(inv: Invocation, session: Session, envKey: string, envRange: string, push: (item: Printable) => Promise<void>): Promise<never> {
  const { io } = inv;
  // A watch that must end the process (bad format, failing command) rejects this.
  let fail!: (err: unknown) => void;
  const fatal = new Promise<never>((_, reject) => (fail = reject));
  fatal.catch(() => {}); // raced below; never an unhandled rejection once the loop has ended
  const lines = io.stdinLines()[Symbol.asyncIterator]();
  for (;;) {
    const next = await Promise.race([lines.next(), fatal]);
    // bufio.Reader.ReadString: a last line without its newline is an EOF error too.
    if (next.done || !next.value.endsWith('\n')) throw new CtlError(ExitCode.InvalidInput, 'error reading watch request line: EOF');
    const line = next.value.slice(0, -1);
    const tokens = tokenize(line);
    if (tokens.length < 1) {
      io.stderr.write(`Invalid command: ${line} (watch and progress supported)\n`);
      continue;
    }
    switch (tokens[0]) {
      case 'watch': {
        if (tokens.length < 2 && envKey === '') {
          io.stderr.write(`Invalid command ${line} (command type or key is not provided)\n`);
          continue;
        }
        const { watchArgs, execArgs, flags } = parseWatchLine(tokens, envKey, envRange);
        let options: WatchOptions;
        try {
          options = buildWatchOptions(watchArgs.map(bytesOfToken), flags);
        } catch (err) {
          io.stderr.write(`Invalid command ${line} (${(err as Error).message})\n`);
          continue;
        }
        const watcher = session.client.watch.watch(options);
        (async () => {
          for await (const item of watchOutput(watcher, execArgs, inv, false)) await push(item);
        })().catch(fail);
        // clientv3's Watch returns once the server created the watch.
        await Promise.race([watcher.ready, fatal]);
        break;
      }
      case 'progress':
        session.client.watch.requestProgress();
        break;
      default:
        io.stderr.write(`Invalid command ${line} (only support watch)\n`);
    }
  }
}

/** The run functions, by command name (commands/specs/ says what each command is). */
export const WATCH_RUNS = { watch: runWatch };
