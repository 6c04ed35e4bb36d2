import { describe, it, expect } from 'vitest';
import { parseCommandLine } from '../../../src/cli/parse.js';
import { etcdctlProgram } from '../../../src/commands/program.js';
import {
  CtlExitOnly,
  type Env,
  withEnvironment,
  envNameOf,
  resolveConfig,
  resolveCredentials,
} from '../../../src/config/resolve.js';
import { CtlError, ExitCode } from '../../../src/common/errors.js';
import type { Io, OutputStream } from '../../../src/io/types.js';

// Expectations were checked against etcdctl 3.5.16 (`--debug` dump, zap lines on stderr, exit codes).

class Buffered implements OutputStream {
  text = '';
  readonly isTTY = false;
  write(chunk: string | Uint8Array): void {
    this.text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  }
}

function fakeIo(password = 'secret') {
  const prompts: string[] = [];
  const stdout = new Buffered();
  const stderr = new Buffered();
  const io: Io = {
    stdout,
    stderr,
    readStdin: async () => Buffer.alloc(0),
    stdinLines: async function* () {},
    stdinIsTTY: false,
    readPassword: async (prompt: string) => {
      prompts.push(prompt);
      return password;
    },
  };
  return { io, stdout, stderr, prompts };
}

/** Parses argv with the real command tree; returns what withEnvironment/resolveConfig take. */
function parsed(argv: string[]) {
  const { command, flags } = parseCommandLine(etcdctlProgram(), argv);
  return { flags, inherited: command.inheritedFlags() };
}

const TS = /"ts":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z"/g;
const withoutTs = (text: string) => text.replace(TS, '"ts":"<ts>"');

const warnLine = (variable: string) =>
  `{"level":"warn","ts":"<ts>","caller":"flags/flag.go:93","msg":"unrecognized environment variable","environment-variable":${JSON.stringify(variable)}}\n`;
// etcdctl 3.5.16 also prints a "stacktrace" field (Go frames of the calling command) before the
// closing brace; this implementation leaves it out. Everything else is byte-identical.
const fatalLine = (variable: string) =>
  `{"level":"fatal","ts":"<ts>","caller":"flags/flag.go:85","msg":"conflicting environment variable is shadowed by corresponding command-line flag (either unset environment variable or disable flag))","environment-variable":${JSON.stringify(variable)}}\n`;

function applied(argv: string[], env: Env, allowedExtra?: string[]) {
  const { flags: given, inherited } = parsed(argv);
  const { io, stderr } = fakeIo();
  let error: unknown;
  let flags = given;
  try {
    flags = withEnvironment(given, inherited, env, io, allowedExtra);
  } catch (err) {
    error = err;
  }
  return {
    error,
    stderr: withoutTs(stderr.text),
    value: (name: string) => flags.get(name)?.value,
    changed: (name: string) => flags.get(name)?.changed,
  };
}

describe('envNameOf', () => {
  it.each([
    ['endpoints', 'ETCDCTL_ENDPOINTS'],
    ['write-out', 'ETCDCTL_WRITE_OUT'],
    ['insecure-skip-tls-verify', 'ETCDCTL_INSECURE_SKIP_TLS_VERIFY'],
    ['discovery-srv-name', 'ETCDCTL_DISCOVERY_SRV_NAME'],
  ])('%s → %s', (flag, env) => {
    expect(envNameOf(flag)).toBe(env);
  });
});

describe('withEnvironment (pkg/flags SetPflagsFromEnv)', () => {
  it('sets flags that were not given on the command line, and marks them changed', () => {
    const r = applied(['get', 'k'], {
      ETCDCTL_ENDPOINTS: 'a:1, b:2',
      ETCDCTL_HEX: 'true',
      ETCDCTL_DIAL_TIMEOUT: '1m30s',
      ETCDCTL_COMMAND_TIMEOUT: '7s',
      ETCDCTL_WRITE_OUT: 'json',
      ETCDCTL_INSECURE_TRANSPORT: 'false',
      ETCDCTL_USER: 'root:pw',
      ETCDCTL_DISCOVERY_SRV: 'example.com',
    });
    expect(r.error).toBeUndefined();
    expect(r.stderr).toBe('');
    expect(r.value('endpoints')).toEqual(['a:1', ' b:2']);
    expect(r.value('hex')).toBe(true);
    expect(r.value('dial-timeout')).toBe('90000000000');
    expect(r.value('command-timeout')).toBe('7000000000');
    expect(r.changed('command-timeout')).toBe(true);
    expect(r.value('write-out')).toBe('json');
    expect(r.value('insecure-transport')).toBe(false);
    expect(r.value('user')).toBe('root:pw');
    expect(r.value('discovery-srv')).toBe('example.com');
  });

  it('leaves command-line values alone and ignores unrelated variables', () => {
    const r = applied(['get', 'k', '--hex'], { PATH: '/bin', ETCD_ENDPOINTS: 'x', ETCDCTLX: '1', etcdctl_hex: 'false' });
    expect(r.error).toBeUndefined();
    expect(r.stderr).toBe('');
    expect(r.value('hex')).toBe(true);
    expect(r.value('endpoints')).toEqual(['127.0.0.1:2379']);
  });

  it.each([
    ['a variable with a value', ['--endpoints=x:1', 'get', 'k'], { ETCDCTL_ENDPOINTS: 'y:2' }, 'ETCDCTL_ENDPOINTS'],
    ['an empty variable', ['get', 'k', '--endpoints=x:1'], { ETCDCTL_ENDPOINTS: '' }, 'ETCDCTL_ENDPOINTS'],
    ['a bool given as --hex=false', ['get', 'k', '--hex=false'], { ETCDCTL_HEX: 'false' }, 'ETCDCTL_HEX'],
    ['a shorthand', ['get', 'k', '-w', 'json'], { ETCDCTL_WRITE_OUT: 'json' }, 'ETCDCTL_WRITE_OUT'],
    ['--command-timeout', ['get', 'k', '--command-timeout=1ms'], { ETCDCTL_COMMAND_TIMEOUT: '1s' }, 'ETCDCTL_COMMAND_TIMEOUT'],
  ])('%s shadowing a command-line flag is fatal (exit 1)', (_name, argv, env, variable) => {
    const r = applied(argv, env);
    expect(r.error).toBeInstanceOf(CtlExitOnly);
    expect(r.error).toBeInstanceOf(CtlError);
    expect((r.error as CtlError).exitCode).toBe(ExitCode.Error);
    // main() prints nothing more for an empty message.
    expect((r.error as CtlError).message).toBe('');
    expect(r.stderr).toBe(fatalLine(variable));
  });

  it('warns for earlier unknown variables, then stops at the first conflict (environment order)', () => {
    const r = applied(['get', 'k', '--endpoints=x:1'], { ETCDCTL_FOO: '1', ETCDCTL_ENDPOINTS: 'y', ETCDCTL_BAR: '2' });
    expect(r.error).toBeInstanceOf(CtlExitOnly);
    expect(r.stderr).toBe(warnLine('ETCDCTL_FOO=1') + fatalLine('ETCDCTL_ENDPOINTS'));
  });

  it('warns about unknown ETCDCTL_* variables in environment order and goes on', () => {
    const r = applied(['get', 'k'], {
      ETCDCTL_FOO: 'bar',
      HOME: '/root',
      // Shorthands and command-local flags have no variables.
      ETCDCTL_W: 'json',
      ETCDCTL_PREFIX: 'true',
      ETCDCTL_: 'x',
      ETCDCTL_ENDPOINTS: 'e:1',
    });
    expect(r.error).toBeUndefined();
    expect(r.stderr).toBe(warnLine('ETCDCTL_FOO=bar') + warnLine('ETCDCTL_W=json') + warnLine('ETCDCTL_PREFIX=true') + warnLine('ETCDCTL_=x'));
    expect(r.value('prefix')).toBe(false);
    expect(r.value('write-out')).toBe('simple');
    expect(r.value('endpoints')).toEqual(['e:1']);
  });

  it('an empty variable sets nothing and is reported as unrecognized', () => {
    const r = applied(['get', 'k'], { ETCDCTL_HEX: '', ETCDCTL_DIAL_TIMEOUT: '' });
    expect(r.error).toBeUndefined();
    expect(r.value('hex')).toBe(false);
    expect(r.changed('hex')).toBe(false);
    expect(r.value('dial-timeout')).toBe('2000000000');
    expect(r.stderr).toBe(warnLine('ETCDCTL_HEX=') + warnLine('ETCDCTL_DIAL_TIMEOUT='));
  });

  it('a bad value is not reported; pflag has stored the zero value for bools and durations', () => {
    const r = applied(['get', 'k'], {
      ETCDCTL_DIAL_TIMEOUT: 'abc',
      ETCDCTL_KEEPALIVE_TIME: '99999999999h',
      ETCDCTL_INSECURE_TRANSPORT: 'maybe',
      ETCDCTL_INSECURE_DISCOVERY: 'x',
      ETCDCTL_HEX: 'maybe',
      ETCDCTL_ENDPOINTS: '"a',
    });
    expect(r.error).toBeUndefined();
    expect(r.stderr).toBe('');
    expect(r.value('dial-timeout')).toBe('0');
    expect(r.value('keepalive-time')).toBe('0');
    expect(r.value('insecure-transport')).toBe(false);
    expect(r.value('insecure-discovery')).toBe(false);
    expect(r.value('hex')).toBe(false);
    // A string slice that fails to parse keeps its value.
    expect(r.value('endpoints')).toEqual(['127.0.0.1:2379']);
    // A failed Set does not mark the flag changed.
    expect(r.changed('dial-timeout')).toBe(false);
  });

  it('ETCDCTL_WATCH_KEY / ETCDCTL_WATCH_RANGE_END are known only through allowedExtra', () => {
    const env = { ETCDCTL_WATCH_KEY: 'foo', ETCDCTL_WATCH_RANGE_END: 'fop' };
    expect(applied(['get', 'k'], env).stderr).toBe(warnLine('ETCDCTL_WATCH_KEY=foo') + warnLine('ETCDCTL_WATCH_RANGE_END=fop'));
    const watch = applied(['get', 'k'], env, ['ETCDCTL_WATCH_KEY', 'ETCDCTL_WATCH_RANGE_END']);
    expect(watch.error).toBeUndefined();
    expect(watch.stderr).toBe('');
    // Like any known variable, an empty one is still "unrecognized" (observed with `etcdctl watch k`).
    const empty = applied(['get', 'k'], { ETCDCTL_WATCH_RANGE_END: '', ETCDCTL_WATCH_KEY: '' }, ['ETCDCTL_WATCH_KEY', 'ETCDCTL_WATCH_RANGE_END']);
    expect(empty.stderr).toBe(warnLine('ETCDCTL_WATCH_RANGE_END=') + warnLine('ETCDCTL_WATCH_KEY='));
  });

  it('zap timestamps have microseconds and a Z', () => {
    const { flags, inherited } = parsed(['get', 'k']);
    const { io, stderr } = fakeIo();
    withEnvironment(flags, inherited, { ETCDCTL_FOO: 'bar' }, io);
    expect(stderr.text).toMatch(/^\{"level":"warn","ts":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z","caller":/);
  });
});

const noDiscovery = async (): Promise<string[]> => {
  throw new Error('discovery must not run');
};

async function resolved(argv: string[], env: Env = {}, password = 'secret') {
  const { flags: given, inherited } = parsed(argv);
  const fake = fakeIo(password);
  const flags = withEnvironment(given, inherited, env, fake.io);
  let error: unknown;
  let config;
  try {
    config = await resolveConfig(flags, inherited, fake.io, noDiscovery);
  } catch (err) {
    error = err;
  }
  return { config, error, stdout: fake.stdout.text, stderr: withoutTs(fake.stderr.text), prompts: fake.prompts };
}

describe('resolveConfig', () => {
  it('defaults', async () => {
    const r = await resolved(['get', 'k']);
    expect(r.error).toBeUndefined();
    expect(r.stderr).toBe('');
    expect(r.config).toEqual({
      client: {
        endpoints: ['127.0.0.1:2379'],
        dialTimeoutMs: 2000,
        commandTimeoutMs: 5000,
        commandTimeoutExplicit: false,
        keepaliveTimeMs: 2000,
        keepaliveTimeoutMs: 6000,
        tls: { certFile: '', keyFile: '', caFile: '', insecureTransport: true, insecureSkipVerify: false, serverName: '' },
        auth: undefined,
        debug: false,
      },
      display: { format: 'simple', hex: false },
    });
  });

  it('--debug dumps every global flag as ETCDCTL_<NAME>=<value>, sorted by flag name', async () => {
    // Same flags as `etcdctl --debug --endpoints=127.0.0.1:1,' b:2' --user=u:p --command-timeout=1ms -w json get k`.
    const r = await resolved(['--debug', "--endpoints=127.0.0.1:1, b:2", '--user=u:p', '--command-timeout=1ms', '-w', 'json', 'get', 'k']);
    expect(r.error).toBeUndefined();
    expect(r.stderr).toBe(
      [
        'ETCDCTL_CACERT=',
        'ETCDCTL_CERT=',
        'ETCDCTL_COMMAND_TIMEOUT=1ms',
        'ETCDCTL_DEBUG=true',
        'ETCDCTL_DIAL_TIMEOUT=2s',
        'ETCDCTL_DISCOVERY_SRV=',
        'ETCDCTL_DISCOVERY_SRV_NAME=',
        'ETCDCTL_ENDPOINTS=[127.0.0.1:1," b:2"]',
        'ETCDCTL_HEX=false',
        'ETCDCTL_INSECURE_DISCOVERY=true',
        'ETCDCTL_INSECURE_SKIP_TLS_VERIFY=false',
        'ETCDCTL_INSECURE_TRANSPORT=true',
        'ETCDCTL_KEEPALIVE_TIME=2s',
        'ETCDCTL_KEEPALIVE_TIMEOUT=6s',
        'ETCDCTL_KEY=',
        'ETCDCTL_PASSWORD=',
        'ETCDCTL_USER=u:[REDACTED]', // etcdctl prints the password; we never do (README differences)
        'ETCDCTL_WRITE_OUT=json',
        '',
      ].join('\n'),
    );
    expect(r.config?.client.debug).toBe(true);
    expect(r.config?.client.endpoints).toEqual(['127.0.0.1:1', 'b:2']);
  });

  it('--debug shows values that came from the environment, including zeroed bad ones', async () => {
    const r = await resolved(['--debug', 'get', 'k'], {
      ETCDCTL_DIAL_TIMEOUT: 'abc',
      ETCDCTL_INSECURE_TRANSPORT: 'maybe',
      ETCDCTL_KEEPALIVE_TIME: '1h30m',
      ETCDCTL_ENDPOINTS: 'a:1,"x,y",\\.,"q""r"',
      ETCDCTL_PASSWORD: 'pw',
    });
    const lines = r.stderr.split('\n');
    expect(lines).toContain('ETCDCTL_DIAL_TIMEOUT=0s');
    expect(lines).toContain('ETCDCTL_INSECURE_TRANSPORT=false');
    expect(lines).toContain('ETCDCTL_KEEPALIVE_TIME=1h30m0s');
    // pflag prints a string slice as a CSV record: quoted when needed.
    expect(lines).toContain('ETCDCTL_ENDPOINTS=[a:1,"x,y","\\.","q""r"]');
    expect(lines).toContain('ETCDCTL_PASSWORD=[REDACTED]'); // etcdctl: =pw (README differences)
  });

  it('prints nothing without --debug', async () => {
    expect((await resolved(['get', 'k', '--endpoints=a:1'])).stderr).toBe('');
  });

  it.each([
    [['--endpoints= a:1 ,b:2 ', 'get', 'k'], ['a:1', 'b:2']],
    [['--endpoints=\ta:1', 'get', 'k'], ['a:1']],
    [['--endpoints=', 'get', 'k'], []],
    [['--endpoints=a:1', '--endpoints', 'b:2', 'get', 'k'], ['a:1', 'b:2']],
  ])('endpoints %j are trimmed: %j', async (argv, endpoints) => {
    expect((await resolved(argv)).config?.client.endpoints).toEqual(endpoints);
  });

  it('timeouts and explicit --command-timeout', async () => {
    const r = await resolved(['get', 'k', '--dial-timeout=1.5s', '--command-timeout=250ms', '--keepalive-time=1m', '--keepalive-timeout=0']);
    expect(r.config?.client).toMatchObject({
      dialTimeoutMs: 1500,
      commandTimeoutMs: 250,
      commandTimeoutExplicit: true,
      keepaliveTimeMs: 60000,
      keepaliveTimeoutMs: 0,
    });
    expect((await resolved(['get', 'k'], { ETCDCTL_COMMAND_TIMEOUT: '3s' })).config?.client).toMatchObject({
      commandTimeoutMs: 3000,
      commandTimeoutExplicit: true,
    });
  });

  it('TLS settings', async () => {
    const r = await resolved(['get', 'k', '--cert=c.pem', '--key=k.pem', '--cacert=ca.pem', '--insecure-transport=false', '--insecure-skip-tls-verify']);
    expect(r.config?.client.tls).toEqual({
      certFile: 'c.pem',
      keyFile: 'k.pem',
      caFile: 'ca.pem',
      insecureTransport: false,
      insecureSkipVerify: true,
      serverName: '',
    });
  });

  it.each([
    [['get', 'k', '--cert='], 'empty string is passed to --cert option'],
    [['get', 'k', '--key='], 'empty string is passed to --key option'],
    [['get', 'k', '--cacert='], 'empty string is passed to --cacert option'],
    // etcdctl checks cert, then key, then cacert.
    [['get', 'k', '--cacert=', '--key=', '--cert='], 'empty string is passed to --cert option'],
    [['get', 'k', '--cacert=', '--key='], 'empty string is passed to --key option'],
    // Checked before credentials (no prompt) and before the output format.
    [['get', 'k', '--cert=', '--user=root', '-w', 'xml'], 'empty string is passed to --cert option'],
  ])('%j → exit 128 %j', async (argv, message) => {
    const r = await resolved(argv);
    expect(r.error).toBeInstanceOf(CtlError);
    expect((r.error as CtlError).exitCode).toBe(ExitCode.BadArgs);
    expect((r.error as CtlError).message).toBe(message);
    expect(r.prompts).toEqual([]);
  });

  it('an empty ETCDCTL_CERT is not an explicitly empty --cert', async () => {
    const r = await resolved(['get', 'k'], { ETCDCTL_CERT: '' });
    expect(r.error).toBeUndefined();
    expect(r.config?.client.tls.certFile).toBe('');
  });

  it.each([['xml'], [''], ['JSON'], ['=']])('-w %j → exit 4 "unsupported output format", after the password prompt', async (format) => {
    const r = await resolved(['get', 'k', '--user=root', `--write-out=${format}`]);
    expect(r.error).toBeInstanceOf(CtlError);
    expect((r.error as CtlError).exitCode).toBe(ExitCode.BadFeature);
    expect((r.error as CtlError).message).toBe('unsupported output format');
    expect(r.prompts).toEqual(['Password: ']);
  });

  it.each([['fields'], ['json'], ['protobuf'], ['simple'], ['table']])('-w %s is accepted', async (format) => {
    const r = await resolved(['get', 'k', '-w', format, '--hex']);
    expect(r.config?.display).toEqual({ format, hex: true });
  });

  it('DNS discovery replaces the endpoints when it finds some', async () => {
    const { flags, inherited } = parsed(['get', 'k', '-d', 'example.com', '--discovery-srv-name=prod', '--endpoints=fallback:1']);
    const { io } = fakeIo();
    const calls: unknown[] = [];
    const config = await resolveConfig(flags, inherited, io, async (...args) => {
      calls.push(args);
      return ['https://a.example.com.:2379'];
    });
    expect(calls).toEqual([['example.com', 'prod', true]]);
    expect(config.client.endpoints).toEqual(['https://a.example.com.:2379']);
    expect(config.client.tls.serverName).toBe('');
  });

  it('DNS discovery that finds nothing keeps --endpoints; --insecure-discovery=false sets the server name', async () => {
    const { flags, inherited } = parsed(['get', 'k', '--discovery-srv=example.com', '--insecure-discovery=false', '--endpoints= e:1']);
    const { io } = fakeIo();
    const calls: unknown[] = [];
    const config = await resolveConfig(flags, inherited, io, async (...args) => {
      calls.push(args);
      return [];
    });
    expect(calls).toEqual([['example.com', '', false]]);
    expect(config.client.endpoints).toEqual(['e:1']);
    expect(config.client.tls.serverName).toBe('example.com');
  });

  it('credentials from --user/--password', async () => {
    const r = await resolved(['get', 'k', '--user=root', '--password=pw']);
    expect(r.config?.client.auth).toEqual({ username: 'root', password: 'pw' });
    expect(r.prompts).toEqual([]);
  });
});

describe('resolveCredentials (authCfgFromCmd)', () => {
  it.each([
    ['no user: no credentials, --password ignored', '', 'pw', undefined, []],
    ['user:password', 'root:pw', '', { username: 'root', password: 'pw' }, []],
    ['split at the first colon', 'root:p:w', '', { username: 'root', password: 'p:w' }, []],
    ['--password takes the whole --user as the name', 'root:x', 'pw', { username: 'root:x', password: 'pw' }, []],
    ['--user without password + --password', 'root', 'pw', { username: 'root', password: 'pw' }, []],
    ['no password: prompt', 'root', '', { username: 'root', password: 'prompted' }, ['Password: ']],
    ['empty password after the colon: unauthenticated, no prompt', 'root:', '', undefined, []],
    ['empty name before the colon: unauthenticated', ':pw', '', undefined, []],
  ] as const)('%s', async (_name, user, password, expected, prompts) => {
    const fake = fakeIo('prompted');
    expect(await resolveCredentials(user, password, fake.io)).toEqual(expected);
    expect(fake.prompts).toEqual(prompts);
    expect(fake.stdout.text).toBe('');
  });

  it('an empty answer to the prompt means unauthenticated', async () => {
    const fake = fakeIo('');
    expect(await resolveCredentials('root', '', fake.io)).toBeUndefined();
    expect(fake.prompts).toEqual(['Password: ']);
  });
});
