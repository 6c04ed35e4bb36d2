// What a command's run function gets: its arguments, typed flag access, the streams, and a
// lazy way to connect (so validation errors come before any connection, as in etcdctl).
import type { CtlCommand } from './command.js';
import type { FlagValue, ParsedFlag } from './parse.js';
import type { Io } from '../io.js';
import type { Env, ResolvedConfig } from '../config/resolve.js';
import type { EtcdClient } from '../client/services.js';
import type { Result } from '../output/types.js';

export interface Session {
  client: EtcdClient;
  config: ResolvedConfig;
  /** Renders a result in the chosen format and writes it to stdout. */
  print(result: Result): void;
}

export interface Invocation {
  command: CtlCommand;
  args: string[];
  io: Io;
  env: Env;
  flags: Map<string, ParsedFlag>;
  bool(name: string): boolean;
  string(name: string): string;
  int(name: string): bigint;
  strings(name: string): string[];
  changed(name: string): boolean;
  /**
   * Applies ETCDCTL_* variables, resolves the configuration (may prompt for a password),
   * validates -w and creates the client, authenticating when credentials are set.
   */
  connect(): Promise<Session>;
  /** Resolves the configuration only (commands that print before or without connecting). */
  resolve(): Promise<ResolvedConfig>;
}

export function flagValue(flags: Map<string, ParsedFlag>, name: string): FlagValue {
  const flag = flags.get(name);
  if (!flag) throw new Error(`internal error: command has no flag --${name}`);
  return flag.value;
}
