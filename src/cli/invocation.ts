// What a command's run function gets: its arguments, typed flag access, the streams, and a
// lazy way to connect (so validation errors come before any connection, as in etcdctl).
import type { CtlCommand } from './command.js';
import type { FlagValue, ParsedFlag } from '../flags/flag.js';
import type { Io } from '../io/types.js';
import { type Env, timeoutsOf } from '../config/resolve.js';
import type { Context, EnvironmentSettings } from '../config/context.js';
import type { EtcdClient } from '../client/services.js';
import type { Result } from '../output/types.js';
import type { Connection } from '../client/connection.js';

/** What the command lines of one batch share: the command tree and the open connections. */
export interface LineOptions {
  root: CtlCommand;
  connections: Map<string, Connection>;
}

/** Runs one more command line in this process, as main does; returns its exit code. */
export type LineRunner = (argv: string[], io: Io, env: Env, options: LineOptions) => Promise<number>;

export interface Session {
  client: EtcdClient;
  config: Context;
}

export interface Invocation {
  command: CtlCommand;
  args: string[];
  /** The whole command line after the program name, as given (etcdctl's watch reads os.Args). */
  argv: readonly string[];
  io: Io;
  /** What the environment says apart from flags (config/context.ts); known before resolving. */
  environment: EnvironmentSettings;
  /** The flags as given on the command line (never changed; the effective ones are resolve()'s). */
  flags: ReadonlyMap<string, ParsedFlag>;
  /** Flag reads: the command line's values until the configuration is resolved, then the effective ones. */
  bool(name: string): boolean;
  string(name: string): string;
  int(name: string): bigint;
  strings(name: string): string[];
  changed(name: string): boolean;
  /**
   * Resolves the configuration (may prompt for a password), validates -w and creates the client,
   * authenticating when credentials are set.
   */
  connect(): Promise<Session>;
  /**
   * Resolves the configuration once (config/context.ts): ETCDCTL_* variables, profile, client,
   * display, timeouts. Commands that print before or without connecting call it alone.
   */
  resolve(): Promise<Context>;
  /** Runs another command line (batch); given by main, so no command imports main. */
  runLine: LineRunner;
}

/**
 * The deadline of commands that, like etcdctl, start their --command-timeout timer before the
 * client (and so ETCDCTL_COMMAND_TIMEOUT) is applied: only the command-line value counts, so it
 * reads the parsed flags, never the resolved ones. Call it before connect().
 */
export function commandLineDeadline(inv: Pick<Invocation, 'flags'>): number {
  return Date.now() + timeoutsOf(inv.flags).commandTimeoutMs;
}

/**
 * The body most commands share: the command-line deadline, connect, then the call, whose result
 * the command returns for main to print. RPC failures go up to main, which maps them to exit codes.
 */
export async function connectAndCall<T>(inv: Invocation, call: (client: EtcdClient, deadline: number, session: Session) => Promise<T>): Promise<T> {
  const deadline = commandLineDeadline(inv);
  const session = await inv.connect();
  return call(session.client, deadline, session);
}

export function flagValue(flags: ReadonlyMap<string, ParsedFlag>, name: string): FlagValue {
  const flag = flags.get(name);
  if (!flag) throw new Error(`internal error: command has no flag --${name}`);
  return flag.value;
}
