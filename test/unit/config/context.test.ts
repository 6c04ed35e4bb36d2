// resolveContext: resolved once into a frozen Context, the parsed flags left as given.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { etcdctlProgram } from '../../../src/commands/program.js';
import { parseCommandLine } from '../../../src/cli/parse.js';
import { commandLineDeadline } from '../../../src/cli/invocation.js';
import { type ContextRequest, environmentSettings, resolveContext } from '../../../src/config/context.js';
import { CtlExitOnly, type Env, mirrorDestinationConfig } from '../../../src/config/resolve.js';
import { CtlError, ExitCode } from '../../../src/common/errors.js';
import type { Io } from '../../../src/io/types.js';

let dir: string;
let configFile: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-context-'));
  configFile = path.join(dir, 'config.json');
  fs.writeFileSync(
    configFile,
    JSON.stringify({ profiles: { p: { endpoints: ['p:1'], 'dial-timeout': '7s', 'command-timeout': '9s', hex: true, 'write-out': 'json' } } }),
  );
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function fakeIo(tty = false) {
  let stderr = '';
  const io: Io = {
    stdout: { write: () => undefined, isTTY: tty },
    stderr: { write: (chunk: string | Uint8Array) => void (stderr += String(chunk)), isTTY: tty },
    readStdin: async () => Buffer.alloc(0),
    stdinLines: async function* () {},
    stdinIsTTY: false,
    readPassword: async () => 'pw',
  };
  return { io, stderr: () => stderr };
}

function request(argv: string[], env: Env = {}): ContextRequest & { io: Io; stderr: () => string } {
  const parsed = parseCommandLine(etcdctlProgram(), argv);
  const { io, stderr } = fakeIo();
  return {
    flags: parsed.flags,
    inherited: parsed.command.inheritedFlags(),
    env: { ETCDCTL_TS_CONFIG: configFile, ...env },
    io,
    stderr,
    discover: async () => {
      throw new Error('discovery must not run');
    },
  };
}

/** The parsed flags as plain data, to see that resolving does not change them. */
const snapshot = (flags: ReadonlyMap<string, { value: unknown; changed: boolean }>) =>
  [...flags].map(([name, f]) => [name, Array.isArray(f.value) ? [...f.value] : f.value, f.changed]);

describe('resolveContext', () => {
  it('leaves the parsed flags as given; the effective values are a separate view', async () => {
    const req = request(['get', 'k', '--profile=p'], { ETCDCTL_ENDPOINTS: 'e:1', ETCDCTL_HEX: 'true' });
    const before = snapshot(req.flags);
    const context = await resolveContext(req);
    expect(snapshot(req.flags)).toEqual(before);
    expect(req.flags.get('endpoints')?.value).toEqual(['127.0.0.1:2379']);
    expect(req.flags.get('hex')).toMatchObject({ value: false, changed: false });
    expect(context.flags).not.toBe(req.flags);
    expect(context.flags.get('endpoints')).toMatchObject({ value: ['e:1'], changed: true });
    expect(context.flags.get('hex')).toMatchObject({ value: true, changed: true });
  });

  it('command line, else ETCDCTL_* variable, else profile, else default', async () => {
    const req = request(['get', 'k', '--profile=p', '--hex=false'], { ETCDCTL_DIAL_TIMEOUT: '3s' });
    const context = await resolveContext(req);
    expect(context.flags.get('hex')?.value).toBe(false); // command line over profile
    expect(context.flags.get('dial-timeout')?.value).toBe('3000000000'); // variable over profile
    expect(context.flags.get('command-timeout')?.value).toBe('9000000000'); // profile over default
    expect(context.flags.get('keepalive-time')?.value).toBe('2000000000'); // default
    expect(context.client.endpoints).toEqual(['p:1']);
    expect(context.display).toMatchObject({ format: 'json', hex: false, k8s: true, colour: 0 });
    expect(context.profile).toBe('p');
    expect(req.stderr()).toBe('');
  });

  it('derives the timeouts once, from the effective values, the same in the client config', async () => {
    const context = await resolveContext(request(['get', 'k', '--keepalive-timeout=1500ms'], { ETCDCTL_COMMAND_TIMEOUT: '250ms' }));
    expect(context.timeouts).toEqual({
      dialTimeoutMs: 2000,
      commandTimeoutMs: 250,
      commandTimeoutExplicit: true,
      keepaliveTimeMs: 2000,
      keepaliveTimeoutMs: 1500,
    });
    expect(context.client).toMatchObject(context.timeouts);
    const defaults = await resolveContext(request(['get', 'k']));
    expect(defaults.timeouts.commandTimeoutExplicit).toBe(false);
    expect(defaults.timeouts.commandTimeoutMs).toBe(5000);
  });

  it('is frozen', async () => {
    const context = await resolveContext(request(['get', 'k']));
    expect(Object.isFrozen(context)).toBe(true);
    expect(Object.isFrozen(context.client)).toBe(true);
    expect(Object.isFrozen(context.client.tls)).toBe(true);
    expect(Object.isFrozen(context.display)).toBe(true);
    expect(Object.isFrozen(context.timeouts)).toBe(true);
    expect(Object.isFrozen(context.environment)).toBe(true);
    expect(Object.isFrozen(context.environment.inherited)).toBe(true);
  });

  it('a variable shadowing a command-line flag is fatal before any other error (bad -w, unknown profile)', async () => {
    const req = request(['get', 'k', '--endpoints=x:1', '-w', 'nope', '--profile=missing'], { ETCDCTL_FOO: '1', ETCDCTL_ENDPOINTS: 'y:2' });
    const err = await resolveContext(req).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CtlExitOnly);
    expect(req.stderr()).toMatch(/"unrecognized environment variable".*\n.*"conflicting environment variable is shadowed/);
  });

  it('then the profile, then clientConfigFromCmd order: TLS flag checks before -w', async () => {
    const profile = await resolveContext(request(['get', 'k', '--profile=missing', '-w', 'nope'])).catch((e: unknown) => e);
    expect((profile as CtlError).message).toMatch(/^profile "missing" not found/);
    const tls = await resolveContext(request(['get', 'k', '--cert=', '-w', 'nope'])).catch((e: unknown) => e);
    expect(tls).toBeInstanceOf(CtlError);
    expect((tls as CtlError).exitCode).toBe(ExitCode.BadArgs);
    expect((tls as CtlError).message).toBe('empty string is passed to --cert option');
    const format = await resolveContext(request(['get', 'k', '-w', 'nope'])).catch((e: unknown) => e);
    expect((format as CtlError).exitCode).toBe(ExitCode.BadFeature);
  });
});

describe('timeouts from the command line only', () => {
  it('commandLineDeadline ignores ETCDCTL_COMMAND_TIMEOUT, even after resolving', async () => {
    const req = request(['get', 'k'], { ETCDCTL_COMMAND_TIMEOUT: '1s' });
    await resolveContext(req);
    const now = vi.spyOn(Date, 'now').mockReturnValue(1_000_000);
    try {
      expect(commandLineDeadline({ flags: req.flags })).toBe(1_005_000);
      const given = request(['get', 'k', '--command-timeout=2s']);
      expect(commandLineDeadline({ flags: given.flags })).toBe(1_002_000);
    } finally {
      now.mockRestore();
    }
  });

  it("make-mirror's destination takes the command line's timeouts and its --dest-* flags", async () => {
    const req = request(['make-mirror', '--dial-timeout=4s', '--dest-user=u:p', '--dest-insecure-transport=false', 'd:1'], { ETCDCTL_COMMAND_TIMEOUT: '1s' });
    const config = await mirrorDestinationConfig(req.flags, 'd:1', req.io);
    expect(config).toMatchObject({
      endpoints: ['d:1'],
      dialTimeoutMs: 4000,
      commandTimeoutMs: 5000,
      commandTimeoutExplicit: false,
      auth: { username: 'u', password: 'p' },
      tls: { insecureTransport: false, certFile: '' },
    });
  });
});

describe('environmentSettings', () => {
  it('reads what commands need once', () => {
    const { io } = fakeIo(true);
    const env = {
      ETCDCTL_WATCH_KEY: 'k',
      ETCDCTL_WATCH_RANGE_END: 'l',
      EDITOR: 'nano',
      XDG_STATE_HOME: '/state',
      TEST_ETCDCTL_TS_SNAPSHOT_WRITE_DELAY_MS: '30',
      TERM: 'xterm-256color',
    };
    const settings = environmentSettings(env, io);
    expect(settings).toMatchObject({ watchKey: 'k', watchRangeEnd: 'l', historyFile: '/state/etcdctl-ts/history', snapshotWriteDelayMs: 30, colour: { stdout: 2, stderr: 2 } });
    expect(settings.editor(false)).toBe('nano');
    expect(settings.inherited).toEqual(env);
    expect(settings.inherited).not.toBe(env);
    const empty = environmentSettings({ HOME: '/h', NO_COLOR: '1' }, io);
    expect(empty).toMatchObject({ watchKey: '', watchRangeEnd: '', snapshotWriteDelayMs: 0, colour: { stdout: 0, stderr: 0 } });
    expect(empty.editor(true)).toBe('vi');
    expect(empty.editor(false)).toBeUndefined();
  });
});
