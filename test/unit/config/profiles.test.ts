// Profiles fill only what flags and ETCDCTL_* variables left unset, group by group.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { etcdctlProgram } from '../../../src/commands/program.js';
import { parseCommandLine } from '../../../src/cli/parse.js';
import { withEnvironment } from '../../../src/config/resolve.js';
import { chosenProfile, configPath, profileNames, withProfile } from '../../../src/config/profiles.js';
import { CtlError } from '../../../src/common/errors.js';
import type { Io } from '../../../src/io/types.js';

let dir: string;
let file: string;
const warnings: string[] = [];
const io = { stderr: { write: (s: string) => warnings.push(s), isTTY: false } } as unknown as Io;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-profiles-'));
  file = path.join(dir, 'config.json');
  fs.writeFileSync(
    file,
    JSON.stringify({
      profiles: {
        prod: { endpoints: ['https://10.0.0.1:2379', 'https://10.0.0.2:2379'], cacert: 'certs/ca.pem', cert: '/abs/me.pem', key: 'me-key.pem', user: 'alice', 'dial-timeout': '7s' },
        broken: { color: 'red' },
      },
    }),
  );
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function resolve(argv: string[], env: Record<string, string> = {}) {
  const parsed = parseCommandLine(etcdctlProgram(), argv);
  const inherited = parsed.command.inheritedFlags();
  const fullEnv = { ETCDCTL_TS_CONFIG: file, ...env };
  const flags = withProfile(withEnvironment(parsed.flags, inherited, fullEnv, io), inherited, fullEnv);
  return (name: string) => flags.get(name)?.value;
}

describe('profiles', () => {
  it('finds the config file (XDG, then ~/.config, or ETCDCTL_TS_CONFIG)', () => {
    expect(configPath({ XDG_CONFIG_HOME: '/x', HOME: '/h' })).toBe('/x/etcdctl-ts/config.json');
    expect(configPath({ HOME: '/h' })).toBe('/h/.config/etcdctl-ts/config.json');
    expect(configPath({ XDG_CONFIG_HOME: 'relative', HOME: '/h' })).toBe('/h/.config/etcdctl-ts/config.json');
    expect(profileNames({ ETCDCTL_TS_CONFIG: file })).toEqual(['broken', 'prod']);
  });

  it('changes nothing when no profile is chosen', () => {
    const get = resolve(['get', 'k']);
    expect(get('endpoints')).toEqual(['127.0.0.1:2379']);
    expect(get('user')).toBe('');
  });

  it('fills unset flags from --profile or ETCDCTL_TS_PROFILE, files relative to the config', () => {
    for (const get of [resolve(['get', 'k', '--profile', 'prod']), resolve(['get', 'k'], { ETCDCTL_TS_PROFILE: 'prod' })]) {
      expect(get('endpoints')).toEqual(['https://10.0.0.1:2379', 'https://10.0.0.2:2379']);
      expect(get('cacert')).toBe(path.join(dir, 'certs/ca.pem'));
      expect(get('cert')).toBe('/abs/me.pem');
      expect(get('key')).toBe(path.join(dir, 'me-key.pem'));
      expect(get('user')).toBe('alice');
      expect(get('dial-timeout')).toBe('7000000000');
    }
    expect(chosenProfile(new Map(), { ETCDCTL_TS_PROFILE: '' })).toBeUndefined();
  });

  it('never overrides a flag or an ETCDCTL_* variable, and takes grouped settings together', () => {
    const get = resolve(['get', 'k', '--profile', 'prod', '--endpoints', 'h:1', '--password', 'pw'], { ETCDCTL_CERT: '/env/cert.pem' });
    expect(get('endpoints')).toEqual(['h:1']);
    // --password was given: the profile's user is not combined with it.
    expect(get('user')).toBe('');
    // ETCDCTL_CERT was set: the profile's key is not used with it either.
    expect(get('cert')).toBe('/env/cert.pem');
    expect(get('key')).toBe('');
    expect(get('cacert')).toBe(path.join(dir, 'certs/ca.pem'));
  });

  it('reports unknown profiles and settings', () => {
    expect(() => resolve(['get', 'k', '--profile', 'nope'])).toThrow(CtlError);
    expect(() => resolve(['get', 'k', '--profile', 'nope'])).toThrow(`profile "nope" not found in ${file}`);
    expect(() => resolve(['get', 'k', '--profile', 'broken'])).toThrow('unknown setting "color"');
  });

  it('ETCDCTL_TS_* variables are never "unrecognized", --profile has no ETCDCTL_PROFILE', () => {
    warnings.length = 0;
    resolve(['get', 'k'], { ETCDCTL_TS_PROFILE: 'prod', ETCDCTL_TS_WHATEVER: 'x' });
    expect(warnings).toEqual([]);
    resolve(['get', 'k'], { ETCDCTL_PROFILE: 'prod' });
    expect(warnings.join('')).toContain('unrecognized environment variable');
  });
});
