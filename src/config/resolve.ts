// The steps resolveContext (context.ts) takes from global flags + ETCDCTL_* variables to the client
// configuration, following etcdctl 3.5's SetPflagsFromEnv and clientConfigFromCmd step by step
// (the order decides which error wins). None of them writes into the parsed flags.
import { CtlError, ExitCode } from '../common/errors.js';
import { type FlagSpec, type FlagValue, type ParsedFlag, parseFlagValue } from '../flags/flag.js';
import { formatGoDuration } from '../go/duration.js';
import type { Io } from '../io/types.js';
import { zapLine } from '../go/zap.js';
import { EXTRA_OUTPUT_FORMATS, OUTPUT_FORMATS, type OutputFormat } from '../output/format-names.js';
import type { ClientConfig, TlsConfig } from '../client/config.js';
import type { ColourLevel } from './terminal.js';

export type Env = Record<string, string | undefined>;

/** Variables with this prefix belong to etcdctl-ts: never "unrecognized", never flags. */
export const OWN_ENV_PREFIX = 'ETCDCTL_TS_';

export interface DisplayConfig {
  format: OutputFormat;
  hex: boolean;
  /** Readable formats show Kubernetes objects (config/k8s.ts). */
  k8s: boolean;
  /** How stdout is coloured (etcdctl-ts's own human formats only). */
  colour: ColourLevel;
}

/** The client's timeouts in milliseconds, as ClientConfig holds them. */
export type Timeouts = Pick<ClientConfig, 'dialTimeoutMs' | 'commandTimeoutMs' | 'commandTimeoutExplicit' | 'keepaliveTimeMs' | 'keepaliveTimeoutMs'>;

/** A duration flag's value (nanoseconds) in whole milliseconds. */
function durationMs(flags: ReadonlyMap<string, ParsedFlag>, name: string): number {
  return Number(BigInt(String(flags.get(name)?.value ?? '0')) / 1_000_000n);
}

/** The duration flags in milliseconds: the one place they are derived (from effective or command-line flags). */
export function timeoutsOf(flags: ReadonlyMap<string, ParsedFlag>): Timeouts {
  return {
    dialTimeoutMs: durationMs(flags, 'dial-timeout'),
    commandTimeoutMs: durationMs(flags, 'command-timeout'),
    commandTimeoutExplicit: flags.get('command-timeout')?.changed ?? false,
    keepaliveTimeMs: durationMs(flags, 'keepalive-time'),
    keepaliveTimeoutMs: durationMs(flags, 'keepalive-timeout'),
  };
}

/** `ETCDCTL_` + flag name upper-cased with `-` → `_` (pkg/flags FlagToEnv). */
export function envNameOf(flagName: string): string {
  return `ETCDCTL_${flagName.toUpperCase().replaceAll('-', '_')}`;
}

/** What --debug and warnings print instead of a password (etcdctl prints it in clear). */
export const REDACTED = '[REDACTED]';

/** The --debug text of a flag with any password in it replaced: --password, and `user:password` in --user. */
export function redactSecret(flagName: string, text: string): string {
  if (text === '') return text;
  if (flagName === 'password') return REDACTED;
  if (flagName === 'user' && text.includes(':')) return `${text.slice(0, text.indexOf(':'))}:${REDACTED}`;
  return text;
}

/** pflag Value.String(), as --debug prints it. */
function flagValueText(spec: FlagSpec, value: FlagValue): string {
  if (spec.kind === 'duration') return formatGoDuration(BigInt(value as string));
  if (Array.isArray(value)) return `[${value.map(csvField).join(',')}]`;
  return String(value);
}

/** One field as Go's encoding/csv Writer writes it (pflag prints string slices that way). */
function csvField(field: string): string {
  const needsQuotes =
    field !== '' &&
    (field === '\\.' || /[",\r\n]/.test(field) || /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/.test(field));
  return needsQuotes ? `"${field.replaceAll('"', '""')}"` : field;
}

/** What a flag holds after pflag's Value.Set failed: bools and durations store Go's zero result. */
function valueAfterFailedSet(spec: FlagSpec, previous: FlagValue): FlagValue {
  if (spec.kind === 'bool') return false;
  if (spec.kind === 'duration') return '0';
  return previous;
}

/**
 * The flags with ETCDCTL_* variables applied to those the command inherits (etcdctl's
 * SetPflagsFromEnv), as a new map (`given` is not changed): a variable sets a flag not given on the
 * command line; a bad value is not reported (pflag leaves false/0 in bools and durations); a
 * variable that shadows a command-line flag is fatal (exit 1); unknown ETCDCTL_* variables warn.
 */
export function withEnvironment(
  given: ReadonlyMap<string, ParsedFlag>,
  inherited: FlagSpec[],
  env: Env,
  io: Io,
  allowedExtra: readonly string[] = [],
): Map<string, ParsedFlag> {
  const flags = new Map(given);
  // etcdctl-ts's own flags (extra) have no ETCDCTL_* variable; ETCDCTL_TS_* variables are ours.
  const known = new Map(inherited.filter((f) => !f.extra).map((f) => [envNameOf(f.name), f]));
  for (const name of allowedExtra) known.set(name, { name, kind: 'string', defaultText: '', help: '' });
  const alreadySet = new Set<string>();
  const used = new Set<string>();
  for (const [envName, spec] of known) {
    const flag = flags.get(spec.name);
    if (flag?.changed) {
      alreadySet.add(envName);
      continue;
    }
    const text = env[envName];
    if (text === undefined || text === '') continue;
    used.add(envName);
    if (!flag) continue;
    try {
      flags.set(spec.name, { spec, value: parseFlagValue(spec, text), changed: true });
    } catch {
      // etcdctl reports no error, but pflag has already stored the zero value (ETCDCTL_HEX=maybe → false).
      flags.set(spec.name, { ...flag, value: valueAfterFailedSet(spec, flag.value) });
    }
  }
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || used.has(name)) continue;
    if (alreadySet.has(name)) {
      io.stderr.write(
        zapLine(
          'fatal',
          'flags/flag.go:85',
          'conflicting environment variable is shadowed by corresponding command-line flag (either unset environment variable or disable flag))',
          { 'environment-variable': name },
        ),
      );
      throw new CtlExitOnly(ExitCode.Error);
    }
    if (name.startsWith('ETCDCTL_') && !name.startsWith(OWN_ENV_PREFIX)) {
      // etcdctl prints the value; one that looks like a password (ETCDCTL_DEST_PASSWORD…) is not shown.
      const shown = /PASSWORD/.test(name) && value !== '' ? REDACTED : value;
      io.stderr.write(zapLine('warn', 'flags/flag.go:93', 'unrecognized environment variable', { 'environment-variable': `${name}=${shown}` }));
    }
  }
  return flags;
}

/** A fatal log line was already written; exit with the code and nothing more. */
export class CtlExitOnly extends CtlError {
  constructor(code: typeof ExitCode.Error) {
    super(code, '');
  }
}

const flagString = (flags: ReadonlyMap<string, ParsedFlag>, name: string) => String(flags.get(name)?.value ?? '');
const flagBool = (flags: ReadonlyMap<string, ParsedFlag>, name: string) => flags.get(name)?.value === true;

/**
 * Resolves the client configuration from the effective flags (environment and profile applied),
 * in etcdctl's order: --debug dump, endpoints, TLS flag checks, credentials (may prompt), output format.
 */
export async function resolveConfig(
  flags: ReadonlyMap<string, ParsedFlag>,
  inherited: FlagSpec[],
  io: Io,
  discover: (domain: string, service: string, insecure: boolean) => Promise<string[]>,
  /** The extra -w values (EXTRA_OUTPUT_FORMATS) the command supports; others get etcdctl's error. */
  extraFormats: readonly string[] = [],
): Promise<{ client: ClientConfig; display: Pick<DisplayConfig, 'format' | 'hex'> }> {
  const debug = flagBool(flags, 'debug');
  if (debug) {
    const sorted = inherited.filter((f) => !f.extra).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const spec of sorted) {
      const flag = flags.get(spec.name);
      if (flag) io.stderr.write(`${envNameOf(spec.name)}=${redactSecret(spec.name, flagValueText(spec, flag.value))}\n`);
    }
  }

  let endpoints = (flags.get('endpoints')?.value as string[] | undefined) ?? [];
  const discoverySrv = flagString(flags, 'discovery-srv');
  const insecureDiscovery = flagBool(flags, 'insecure-discovery');
  if (discoverySrv !== '') {
    const found = await discover(discoverySrv, flagString(flags, 'discovery-srv-name'), insecureDiscovery);
    if (found.length > 0) endpoints = found;
  }
  endpoints = endpoints.map((e) => e.trim());

  const tls: TlsConfig = {
    certFile: checkedFile(flags, 'cert'),
    keyFile: checkedFile(flags, 'key'),
    caFile: checkedFile(flags, 'cacert'),
    insecureTransport: flagBool(flags, 'insecure-transport'),
    insecureSkipVerify: flagBool(flags, 'insecure-skip-tls-verify'),
    serverName: discoverySrv !== '' && !insecureDiscovery ? discoverySrv : '',
  };

  const auth = await resolveCredentials(flagString(flags, 'user'), flagString(flags, 'password'), io);

  const format = flagString(flags, 'write-out');
  if (!(OUTPUT_FORMATS as readonly string[]).includes(format) && !extraFormats.includes(format)) {
    throw new CtlError(ExitCode.BadFeature, 'unsupported output format');
  }

  return {
    client: {
      endpoints,
      ...timeoutsOf(flags),
      tls,
      auth,
      debug,
    },
    display: { format: format as OutputFormat, hex: flagBool(flags, 'hex') },
  };
}

function checkedFile(flags: ReadonlyMap<string, ParsedFlag>, name: string): string {
  const value = flagString(flags, name);
  if (value === '' && flags.get(name)?.changed) throw new CtlError(ExitCode.BadArgs, `empty string is passed to --${name} option`);
  return value;
}

/** etcdctl's authCfgFromCmd: `user:pass`, `--user u --password p`, or a prompt for the password. */
export async function resolveCredentials(
  user: string,
  password: string,
  io: Io,
  prompt = 'Password: ',
): Promise<ClientConfig['auth']> {
  if (user === '') return undefined;
  let username = user;
  if (password === '') {
    const colon = user.indexOf(':');
    if (colon === -1) {
      password = await io.readPassword(prompt);
    } else {
      username = user.slice(0, colon);
      password = user.slice(colon + 1);
    }
  }
  // Credentials count only when both parts are non-empty; otherwise the client is unauthenticated.
  return username !== '' && password !== '' ? { username, password } : undefined;
}

/**
 * make-mirror's destination client, built as etcdctl builds it: from the command's own --dest-*
 * flags and the dial/keepalive/command timeouts as given on the command line (`given`, before any
 * ETCDCTL_* variable, which etcdctl applies later and only for the source client).
 */
export async function mirrorDestinationConfig(given: ReadonlyMap<string, ParsedFlag>, endpoint: string, io: Io): Promise<ClientConfig> {
  const auth = await resolveCredentials(flagString(given, 'dest-user'), flagString(given, 'dest-password'), io, 'Destination Password: ');
  return {
    endpoints: [endpoint],
    ...timeoutsOf(given),
    commandTimeoutExplicit: false,
    tls: {
      certFile: flagString(given, 'dest-cert'),
      keyFile: flagString(given, 'dest-key'),
      caFile: flagString(given, 'dest-cacert'),
      insecureTransport: flagBool(given, 'dest-insecure-transport'),
      insecureSkipVerify: false,
      serverName: '',
    },
    auth,
    debug: false,
  };
}
