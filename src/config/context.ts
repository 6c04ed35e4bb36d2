// Configuration resolved once: resolveContext turns the parsed command line (never changed), the
// environment and the streams into a frozen Context, etcdctl's clientConfigFromCmd step by step
// (resolve.ts) plus etcdctl-ts's profiles. With main's ETCDCTL_API check and io/ (PATH lookup for
// exec), config/ is the only reader of the environment; commands get what they need from here.
import type { FlagSpec, ParsedFlag } from '../flags/flag.js';
import type { Io } from '../io/types.js';
import type { ClientConfig } from '../client/config.js';
import { type DisplayConfig, type Env, type Timeouts, resolveConfig, withEnvironment } from './resolve.js';
import { chosenProfile, withProfile } from './profiles.js';
import { k8sDecodeEnabled } from './k8s.js';
import { type ColourLevel, colourLevel, editorCommand, historyFile } from './terminal.js';

/**
 * Test hook: milliseconds snapshot save waits after writing each chunk, so a test can interrupt a
 * save deterministically. Not an etcdctl setting (and deliberately not ETCDCTL_-prefixed, which
 * would draw etcdctl's unknown-variable warning).
 */
export const SNAPSHOT_WRITE_DELAY_ENV = 'TEST_ETCDCTL_TS_SNAPSHOT_WRITE_DELAY_MS';

/** Variables etcdctl's watch reads besides the global flags' (so they are not "unrecognized" there). */
export const WATCH_ENV_NAMES = ['ETCDCTL_WATCH_KEY', 'ETCDCTL_WATCH_RANGE_END'] as const;

/**
 * What commands take from the environment apart from flags. Needs no flags, so it is known
 * before the configuration is resolved (watch checks its variables, edit its editor, first).
 */
export interface EnvironmentSettings {
  readonly watchKey: string;
  readonly watchRangeEnd: string;
  /** $VISUAL, $EDITOR, or vi when a person is at the terminal; undefined when none can run. */
  editor(onTerminal: boolean): string | undefined;
  readonly historyFile: string;
  readonly snapshotWriteDelayMs: number;
  readonly colour: { readonly stdout: ColourLevel; readonly stderr: ColourLevel };
  /** The variables exec'd children (lock, watch, the editor) and batch lines inherit. */
  readonly inherited: Readonly<Env>;
}

export function environmentSettings(env: Env, io: Pick<Io, 'stdout' | 'stderr'>): EnvironmentSettings {
  const inherited = Object.freeze({ ...env });
  return Object.freeze({
    watchKey: env[WATCH_ENV_NAMES[0]] ?? '',
    watchRangeEnd: env[WATCH_ENV_NAMES[1]] ?? '',
    editor: (onTerminal: boolean) => editorCommand(inherited, onTerminal),
    historyFile: historyFile(env),
    snapshotWriteDelayMs: Number(env[SNAPSHOT_WRITE_DELAY_ENV] ?? '0'),
    colour: Object.freeze({ stdout: colourLevel(io.stdout, env), stderr: colourLevel(io.stderr, env) }),
    inherited,
  });
}

export interface Context {
  /**
   * The effective flag values: the command line, else the ETCDCTL_* variable (pflag's rules),
   * else the chosen profile, else the default. A new map: the parsed flags are left as given.
   */
  readonly flags: ReadonlyMap<string, ParsedFlag>;
  readonly client: Readonly<ClientConfig>;
  readonly display: Readonly<DisplayConfig>;
  readonly timeouts: Readonly<Timeouts>;
  readonly environment: EnvironmentSettings;
  /** The cluster profile chosen by --profile or ETCDCTL_TS_PROFILE. */
  readonly profile: string | undefined;
}

/** Endpoints for --discovery-srv (a DNS SRV lookup). */
export type Discover = (domain: string, service: string, insecure: boolean) => Promise<string[]>;

export interface ContextRequest {
  /** The command line's flags as parsed; read, never written. */
  flags: ReadonlyMap<string, ParsedFlag>;
  /** The flags the command inherits (the global ones), which ETCDCTL_* variables and profiles set. */
  inherited: FlagSpec[];
  env: Env;
  io: Io;
  /** Variables the command reads besides the global flags' (not "unrecognized"). */
  extraEnvNames?: readonly string[];
  /** The extra -w values (EXTRA_OUTPUT_FORMATS) the command supports; others get etcdctl's error. */
  extraFormats?: readonly string[];
  /** Instead of a DNS SRV lookup (completion, which must stay quick and silent, passes none). */
  discover?: Discover;
  /** The settings already read for this run, if any. */
  environment?: EnvironmentSettings;
}

/** DNS SRV discovery on the system's servers or ETCDCTL_TS_DNS_SERVER's, warnings to stderr. */
function srvDiscovery(env: Env, io: Io): Discover {
  return async (domain, service, insecure) => {
    const { DNS_SERVER_VARIABLE, discoverEndpoints, discoveryDns } = await import('../client/discovery.js');
    return discoverEndpoints(domain, service, insecure, (line) => io.stderr.write(line), discoveryDns(env[DNS_SERVER_VARIABLE]));
  };
}

/**
 * Resolves the configuration in etcdctl's order (the order decides which error wins): ETCDCTL_*
 * variables (warnings, the fatal "shadowed" error), the profile, then clientConfigFromCmd's
 * --debug dump, endpoints (SRV discovery), TLS checks, credentials (may prompt), -w.
 */
export async function resolveContext(request: ContextRequest): Promise<Context> {
  const { inherited, env, io } = request;
  const fromEnvironment = withEnvironment(request.flags, inherited, env, io, request.extraEnvNames);
  const flags = withProfile(fromEnvironment, inherited, env);
  const resolved = await resolveConfig(flags, inherited, io, request.discover ?? srvDiscovery(env, io), request.extraFormats);
  const environment = request.environment ?? environmentSettings(env, io);
  const { dialTimeoutMs, commandTimeoutMs, commandTimeoutExplicit, keepaliveTimeMs, keepaliveTimeoutMs } = resolved.client;
  return Object.freeze({
    flags,
    client: Object.freeze({ ...resolved.client, tls: Object.freeze(resolved.client.tls) }),
    display: Object.freeze({ ...resolved.display, k8s: k8sDecodeEnabled(flags, env), colour: environment.colour.stdout }),
    timeouts: Object.freeze({ dialTimeoutMs, commandTimeoutMs, commandTimeoutExplicit, keepaliveTimeMs, keepaliveTimeoutMs }),
    environment,
    profile: chosenProfile(flags, env),
  });
}
