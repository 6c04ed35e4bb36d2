// parse → resolve → run → print → exit code. The only place errors become exit codes.
import { usageText } from './cli/help.js';
import type { Invocation, Session } from './cli/invocation.js';
import { flagValue } from './cli/invocation.js';
import { type ParsedCommandLine, parseCommandLine } from './cli/parse.js';
import { etcdctlProgram } from './commands/program.js';
import type { CtlCommand } from './cli/command.js';
import type { ParsedFlag } from './flags/flag.js';
import type { Env } from './config/resolve.js';
import { type Context, type EnvironmentSettings, WATCH_ENV_NAMES, environmentSettings, resolveContext } from './config/context.js';
import { CtlError, ExitCode, GoPanicError, ProcessExit, RpcError, SignalExit, SilentExit, UsageError, asCtlError, exitCodeOf } from './common/errors.js';
import type { Io } from './io/types.js';
import type { Connection } from './client/connection.js';
import type { Display, Outcome } from './output/outcome.js';

/** `Error: <message>`, the prefix in red when stderr is a terminal that wants colour. */
async function errorLine(settings: EnvironmentSettings, message: string): Promise<string> {
  // Loaded only here: a command that succeeds never evaluates chalk.
  const { paint } = await import('./cli/colour.js');
  return `${paint(settings.colour.stderr).red.bold('Error:')} ${message}\n`;
}

/** Variables etcdctl accepts besides the global flags', per command. */
function extraEnvNames(command: CtlCommand): readonly string[] {
  return command.name() === 'watch' && command.parentCommand?.parentCommand === undefined ? WATCH_ENV_NAMES : [];
}

/** What several commands run in one process (batch mode) share. */
export interface MainOptions {
  /** The command tree to use instead of a new one (it holds no per-run state). */
  root?: CtlCommand;
  /**
   * Open connections by client configuration: a command whose configuration (endpoints, TLS,
   * credentials, timeouts) matches one here reuses it; a new one is added and left open. The
   * owner closes them.
   */
  connections?: Map<string, Connection>;
  /** Told when the command ends by a signal (SignalExit), so the entry point dies by it too. */
  onSignalExit?: (signal: 'SIGINT' | 'SIGTERM') => void;
}

function makeInvocation(
  parsed: ParsedCommandLine,
  argv: readonly string[],
  io: Io,
  env: Env,
  environment: EnvironmentSettings,
  cleanups: (() => void)[],
  options: MainOptions = {},
): Invocation {
  const { command, args, flags } = parsed;
  let resolved: Promise<Context> | undefined;
  let session: Promise<Session> | undefined;
  // Flag reads see the command line until the configuration is resolved, then the effective values.
  let view: ReadonlyMap<string, ParsedFlag> = flags;

  const resolve = () =>
    (resolved ??= resolveContext({
      flags,
      inherited: command.inheritedFlags(),
      env,
      io,
      extraEnvNames: extraEnvNames(command),
      extraFormats: command.extraFormats,
      environment,
    }).then((context) => {
      view = context.flags;
      return context;
    }));

  const connect = () =>
    (session ??= (async () => {
      const config = await resolve();
      // Loaded lazily: --help, version and argument errors never pay for gRPC.
      const { Connection } = await import('./client/connection.js');
      const { EtcdClient } = await import('./client/services.js');
      const poolKey = options.connections ? JSON.stringify(config.client) : undefined;
      let connection = poolKey === undefined ? undefined : options.connections?.get(poolKey);
      if (!connection) {
        const fresh = new Connection(config.client, { warn: (line) => io.stderr.write(line) });
        if (poolKey === undefined) cleanups.push(() => fresh.close());
        try {
          await fresh.authenticate();
        } catch (err) {
          if (poolKey !== undefined) fresh.close();
          if (err instanceof RpcError) throw new CtlError(ExitCode.BadConnection, err.message);
          throw err;
        }
        if (poolKey !== undefined) options.connections?.set(poolKey, fresh);
        connection = fresh;
      }
      return { client: new EtcdClient(connection), config };
    })());

  return {
    command,
    args,
    argv,
    io,
    environment,
    flags,
    bool: (name) => flagValue(view, name) === true,
    string: (name) => String(flagValue(view, name)),
    int: (name) => BigInt(flagValue(view, name) as bigint),
    strings: (name) => flagValue(view, name) as string[],
    changed: (name) => view.get(name)?.changed ?? false,
    connect,
    resolve,
    runLine: main,
  };
}

async function reportUsageError(err: UsageError, root: CtlCommand, io: Io, settings: EnvironmentSettings): Promise<void> {
  const line = await errorLine(settings, err.message);
  io.stderr.write(line);
  if (err.followUp.kind === 'hint') {
    io.stderr.write(`Run '${err.followUp.commandPath} --help' for usage.\n`);
  } else {
    let command = root;
    for (const name of err.followUp.commandPath) command = command.children.find((c) => c.name() === name) ?? command;
    io.stdout.write(usageText(command));
    io.stderr.write('\n');
  }
  // etcdctl's main prints the error a second time.
  io.stderr.write(line);
}

/**
 * The arguments with their exact bytes. A U+FFFD in an argument may be the runtime's stand-in for
 * bytes that are not UTF-8: writing it would store other bytes than the user typed, so when the
 * exact ones cannot be had the command is refused before anything is done.
 */
function exactArgv(argv: string[], io: Io): string[] {
  const lossy = argv.findIndex((arg) => arg.includes('\ufffd'));
  if (lossy === -1) return argv;
  const exact = io.exactArguments?.(argv);
  if (exact) return exact;
  throw new CtlError(
    ExitCode.BadArgs,
    `argument ${JSON.stringify(argv[lossy])} holds U+FFFD, which may stand for bytes that are not UTF-8, and the exact bytes of the arguments cannot be read here`,
  );
}

export async function main(argv: string[], io: Io, environment: Env, options: MainOptions = {}): Promise<number> {
  // ETCDCTL_API is read and removed before anything else, as etcdctl does.
  // A watch key given in ETCDCTL_WATCH_KEY is bytes too (see exactArgv).
  const env: Env = Object.values(environment).some((v) => v?.includes('\ufffd'))
    ? (io.exactEnvironment?.(environment) ?? { ...environment })
    : { ...environment };
  const api = env.ETCDCTL_API;
  delete env.ETCDCTL_API;
  if (api !== undefined && api !== '' && api !== '3') {
    io.stderr.write(`unsupported API version: ${api}\n`);
    return ExitCode.Error;
  }

  // Shell completion requests (cli/completion/engine.ts): never an error, never a prompt.
  if (argv[0] === '__complete' || argv[0] === '__completeNoDesc') {
    const { runCompletionRequest } = await import('./cli/completion/engine.js');
    return runCompletionRequest(etcdctlProgram(), argv.slice(1), argv[0] === '__complete', io, env);
  }

  const root = options.root ?? etcdctlProgram();
  let run: Execution | undefined;
  try {
    run = await execute(argv, io, env, { ...options, root });
    if (run.outcome) {
      const { writeOutcome } = await import('./output/outcome.js');
      await writeOutcome(io.stdout, run.outcome, run.display);
    }
    return ExitCode.Success;
  } catch (caught) {
    if (caught instanceof SignalExit) options.onSignalExit?.(caught.signal);
    return reportFailure(caught, root, io, env);
  } finally {
    run?.close();
  }
}

/** A command line executed up to what it returns, before anything of that is written. */
export interface Execution {
  /** What the command returned for main to write (a stream is read while the run is open). */
  outcome: Outcome | void;
  /** The -w format and its options the outcome is written with (resolves the configuration). */
  display: () => Promise<Display>;
  /** Closes the run's own connections: after the outcome has been read. */
  close: () => void;
}

/**
 * parse → resolve → execute: what main does before writing, for main and for tests that want the
 * typed results (test/support/inproc.ts's runForResult). Throws what the command throws (after
 * closing what it opened); reportFailure turns that into main's error lines and exit code.
 */
export async function execute(argv: string[], io: Io, env: Env, options: MainOptions = {}): Promise<Execution> {
  const root = options.root ?? etcdctlProgram();
  const cleanups: (() => void)[] = [];
  const close = () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  };
  try {
    argv = exactArgv(argv, io);
    const parsed = parseCommandLine(root, argv);
    if (parsed.wantsHelp) return { outcome: { kind: 'text', text: usageText(parsed.command) }, display: noDisplay, close };
    const invocation = makeInvocation(parsed, argv, io, env, environmentSettings(env, io), cleanups, options);
    const outcome = await parsed.command.runFn!(invocation);
    return { outcome, display: async () => (await invocation.resolve()).display, close };
  } catch (err) {
    close();
    throw err;
  }
}

/** Help is text only: nothing needs a display. */
const noDisplay = (): Promise<Display> => Promise.reject(new Error('internal error: help has no display'));

/** Writes what a failed run prints (etcdctl's `Error:` line, usage) and returns its exit code. */
export async function reportFailure(caught: unknown, root: CtlCommand, io: Io, env: Env): Promise<number> {
  const settings = environmentSettings(env, io);
  // An RPC failure that reaches here ends the command as etcdctl's ExitError does: exit 1.
  const err = asCtlError(caught);
  if (err instanceof UsageError) {
    await reportUsageError(err, root, io, settings);
    return ExitCode.Error;
  }
  if (err instanceof GoPanicError) io.stderr.write(err.text());
  else if (!(err instanceof SilentExit) && !(err instanceof ProcessExit) && !(err instanceof SignalExit) && !(err instanceof CtlError && err.message === '')) {
    io.stderr.write(await errorLine(settings, err instanceof Error ? err.message : String(err)));
  }
  return exitCodeOf(err);
}
