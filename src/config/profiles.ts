// Named cluster profiles: etcdctl-ts's one addition to configuration. A profile is a set of global
// flag values read from a JSON file and chosen explicitly with --profile NAME or
// ETCDCTL_TS_PROFILE=NAME. Without either nothing is read, so etcdctl's behaviour is unchanged.
//
// $XDG_CONFIG_HOME/etcdctl-ts/config.json (or ~/.config/etcdctl-ts/config.json; ETCDCTL_TS_CONFIG
// names another file):
//   { "profiles": { "prod": { "endpoints": ["https://10.0.0.1:2379"], "cacert": "certs/ca.pem",
//                             "cert": "certs/me.pem", "key": "certs/me-key.pem", "user": "alice" } } }
//
// A profile never overrides what the command line or an ETCDCTL_* variable set, and settings that
// only make sense together are taken as a group: when any of a group was set explicitly, the
// profile's values for that whole group are ignored (an explicit --endpoints is not combined with
// the profile's --discovery-srv, an explicit --user not with the profile's password).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type FlagSpec, type ParsedFlag, parseFlagValue } from '../flags/flag.js';
import { CtlError, ExitCode } from '../common/errors.js';
import type { Env } from './resolve.js';

export const PROFILE_ENV = 'ETCDCTL_TS_PROFILE';
export const CONFIG_ENV = 'ETCDCTL_TS_CONFIG';

/** The hidden global flag that selects a profile. */
export const PROFILE_FLAG: FlagSpec = {
  name: 'profile',
  kind: 'string',
  defaultText: '',
  help: `use the named cluster profile from the etcdctl-ts config file (also ${PROFILE_ENV})`,
  persistent: true,
  extra: true,
};

/** Settings taken or ignored together. */
const GROUPS: string[][] = [
  ['endpoints', 'discovery-srv', 'discovery-srv-name', 'insecure-discovery'],
  ['user', 'password'],
  ['cert', 'key'],
];

/** Settings that name files: relative paths are relative to the config file, `~/` is the home. */
const FILE_SETTINGS = new Set(['cacert', 'cert', 'key']);

/** Global flags a profile may not set. */
const NOT_IN_PROFILES = new Set(['help', 'profile']);

export function configPath(env: Env): string {
  const explicit = env[CONFIG_ENV];
  if (explicit) return explicit;
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(env.HOME || os.homedir(), '.config');
  return path.join(base, 'etcdctl-ts', 'config.json');
}

type Settings = Record<string, unknown>;

interface ConfigFile {
  profiles: Record<string, Settings>;
}

function readConfig(file: string): ConfigFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CtlError(ExitCode.BadArgs, `cannot read config file ${file}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new CtlError(ExitCode.BadArgs, `config file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  const profiles = (parsed as { profiles?: unknown } | null)?.profiles;
  if (typeof profiles !== 'object' || profiles === null || Array.isArray(profiles)) {
    throw new CtlError(ExitCode.BadArgs, `config file ${file} has no "profiles" object`);
  }
  return { profiles: profiles as Record<string, Settings> };
}

/** The profile names of the config file, [] when there is none (for shell completion). */
export function profileNames(env: Env): string[] {
  try {
    return Object.keys(readConfig(configPath(env)).profiles).sort();
  } catch {
    return [];
  }
}

/** The profile chosen by --profile or ETCDCTL_TS_PROFILE, if any. */
export function chosenProfile(flags: ReadonlyMap<string, ParsedFlag>, env: Env): string | undefined {
  const flag = flags.get(PROFILE_FLAG.name);
  if (flag?.changed) return String(flag.value);
  const fromEnv = env[PROFILE_ENV];
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}

function settingText(name: string, value: unknown, file: string, env: Env): string {
  const bad = () => new CtlError(ExitCode.BadArgs, `config file ${file}: bad value for "${name}"`);
  if (Array.isArray(value)) {
    if (!value.every((v) => typeof v === 'string')) throw bad();
    return value.join(',');
  }
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (typeof value !== 'string') throw bad();
  if (!FILE_SETTINGS.has(name) || value === '') return value;
  if (value === '~' || value.startsWith('~/')) return path.join(env.HOME || os.homedir(), value.slice(1));
  return path.resolve(path.dirname(file), value);
}

/**
 * The flags with those that neither the command line nor the environment set filled from the
 * chosen profile, as a new map (`given` is not changed). Takes withEnvironment's result (which
 * marks what variables set as changed).
 */
export function withProfile(given: ReadonlyMap<string, ParsedFlag>, inherited: FlagSpec[], env: Env): Map<string, ParsedFlag> {
  const flags = new Map(given);
  const name = chosenProfile(flags, env);
  if (name === undefined) return flags;
  const file = configPath(env);
  const settings = readConfig(file).profiles[name];
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    throw new CtlError(ExitCode.BadArgs, `profile ${JSON.stringify(name)} not found in ${file}`);
  }
  const specs = new Map(inherited.filter((f) => !f.extra && !NOT_IN_PROFILES.has(f.name)).map((f) => [f.name, f]));
  for (const key of Object.keys(settings)) {
    if (!specs.has(key)) throw new CtlError(ExitCode.BadArgs, `config file ${file}: profile ${JSON.stringify(name)} has unknown setting "${key}"`);
  }
  const explicit = (n: string) => flags.get(n)?.changed === true;
  const skipped = new Set(GROUPS.filter((group) => group.some(explicit)).flat());
  for (const [key, value] of Object.entries(settings)) {
    const spec = specs.get(key)!;
    if (explicit(key) || skipped.has(key)) continue;
    const text = settingText(key, value, file, env);
    try {
      flags.set(key, { spec, value: parseFlagValue(spec, text), changed: true });
    } catch (err) {
      throw new CtlError(ExitCode.BadArgs, `config file ${file}: profile ${JSON.stringify(name)}: invalid "${key}": ${(err as Error).message}`);
    }
  }
  return flags;
}
