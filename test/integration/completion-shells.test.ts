// Shell completion in the real shells against a real etcd: bash's completion function called as
// bash calls it, fish's `complete -C`, and real TAB presses in zsh and bash (tmux).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../support/cluster.js';
import { REPO_ROOT } from '../support/etcd-bin.js';
import { testClient } from '../support/fill.js';
import { TtySession, cliBinDir } from '../support/tty-session.js';

let cluster: Cluster;
let bin: string;
let env: Record<string, string>;
const scripts = path.join(REPO_ROOT, 'completions');

beforeAll(async () => {
  cluster = await startCluster({ size: 1 });
  const client = testClient(cluster.endpoints[0]!);
  for (const k of ['/app/config/db', '/app/config/cache', '/app/name', '/registry/pods/a', '/registry/svc/x', 'a:b:c', 'key with space']) {
    await client.kv.put({ key: Buffer.from(k), value: Buffer.from('v') });
  }
  await client.lease.grant({ TTL: '600', ID: '0' });
  await client.auth.roleAdd('reader');
  await client.auth.roleAdd('writer');
  client.close();
  bin = cliBinDir(REPO_ROOT);
  env = { PATH: `${bin}:${process.env.PATH}`, HOME: process.env.HOME ?? '/root', ETCDCTL_ENDPOINTS: cluster.endpoints.join(','), LANG: 'C.UTF-8' };
});
afterAll(async () => {
  await cluster?.stop();
  if (bin) fs.rmSync(bin, { recursive: true, force: true });
});

/**
 * Calls the bash completion function the way bash does: COMP_WORDS split at COMP_WORDBREAKS
 * characters (as given), COMP_LINE/COMP_POINT at the end of the line. Returns COMPREPLY and the
 * compopt options it set.
 */
function bashComplete(line: string, words: string[]): { replies: string[]; options: string[] } {
  const script = `
source ${JSON.stringify(path.join(scripts, 'etcdctl-ts.bash'))}
COMP_LINE=$1; shift
COMP_POINT=\${#COMP_LINE}
COMP_WORDS=("$@")
COMP_CWORD=$((\${#COMP_WORDS[@]} - 1))
compopt() { printf 'OPT %s\\n' "$*"; }
_etcdctl_ts
for r in "\${COMPREPLY[@]}"; do printf 'R %s\\n' "$r"; done`;
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', script, 'bash', line, ...words], { env, encoding: 'utf8', timeout: 20_000 });
  expect(r.stderr).toBe('');
  const lines = r.stdout.split('\n');
  return {
    replies: lines.filter((l) => l.startsWith('R ')).map((l) => l.slice(2)),
    options: lines.filter((l) => l.startsWith('OPT ')).map((l) => l.slice(4)),
  };
}

describe('bash completion function', () => {
  it('completes commands, subcommands and flags', () => {
    expect(bashComplete('etcdctl-ts mem', ['etcdctl-ts', 'mem']).replies).toEqual(['member']);
    expect(bashComplete('etcdctl-ts member ', ['etcdctl-ts', 'member', '']).replies).toEqual(['add', 'list', 'promote', 'remove', 'update']);
    expect(bashComplete('etcdctl-ts get --pr', ['etcdctl-ts', 'get', '--pr']).replies).toEqual(['--profile', '--prefix', '--print-value-only']);
  });

  it('completes flag values, also after "=" (which bash splits off)', () => {
    expect(bashComplete('etcdctl-ts get -w ', ['etcdctl-ts', 'get', '-w', '']).replies).toEqual(['fields', 'json', 'protobuf', 'simple', 'table', 'yaml', 'json-decoded']);
    expect(bashComplete('etcdctl-ts get --write-out=js', ['etcdctl-ts', 'get', '--write-out', '=', 'js']).replies).toEqual(['json', 'json-decoded']);
    expect(bashComplete('etcdctl-ts get --write-out=', ['etcdctl-ts', 'get', '--write-out', '=']).replies).toContain('yaml');
  });

  it('completes live keys path by path, without a space after a directory', () => {
    expect(bashComplete('etcdctl-ts get ', ['etcdctl-ts', 'get', '']).replies).toEqual(['/', 'a:b:c', 'key\\ with\\ space']);
    expect(bashComplete('etcdctl-ts get /app/', ['etcdctl-ts', 'get', '/app/']).replies).toEqual(['/app/config/', '/app/name']);
    const one = bashComplete('etcdctl-ts get /reg', ['etcdctl-ts', 'get', '/reg']);
    expect(one).toEqual({ replies: ['/registry/'], options: ['-o nospace'] });
    // bash splits at ":" too: only the part after the last ":" is replaced.
    expect(bashComplete('etcdctl-ts del a:b', ['etcdctl-ts', 'del', 'a', ':', 'b']).replies).toEqual(['b:c']);
  });

  it('completes leases and roles, with the global flags of the line', () => {
    const leases = bashComplete('etcdctl-ts lease revoke ', ['etcdctl-ts', 'lease', 'revoke', '']).replies;
    expect(leases).toHaveLength(1);
    expect(leases[0]).toMatch(/^[0-9a-f]{16}$/);
    expect(bashComplete('etcdctl-ts role get ', ['etcdctl-ts', 'role', 'get', '']).replies).toEqual(['reader', 'writer']);
    // An unreachable endpoint on the line: no candidates, quickly and silently.
    expect(bashComplete('etcdctl-ts --endpoints 127.0.0.1:1 get /', ['etcdctl-ts', '--endpoints', '127.0.0.1:1', 'get', '/']).replies).toEqual([]);
  });

  it('falls back to file names where etcdctl takes files', () => {
    expect(bashComplete('etcdctl-ts snapshot save ', ['etcdctl-ts', 'snapshot', 'save', ''])).toEqual({ replies: [], options: ['-o default'] });
  });
});

describe('fish', () => {
  const fishComplete = (line: string) => {
    const r = spawnSync('fish', ['--no-config', '-c', `source ${path.join(scripts, 'etcdctl-ts.fish')}; complete -C ${JSON.stringify(line)}`], { env, encoding: 'utf8', timeout: 20_000 });
    expect(r.error).toBeUndefined();
    return r.stdout.split('\n').filter((l) => l !== '');
  };

  it('completes commands with descriptions, flags, values and live keys', () => {
    expect(fishComplete('etcdctl-ts mem')).toEqual(['member\tMembership related commands']);
    expect(fishComplete('etcdctl-ts get --write-out=y')).toEqual(['--write-out=yaml']);
    expect(fishComplete('etcdctl-ts get /app/')).toEqual(['/app/config/', '/app/name']);
    expect(fishComplete('etcdctl-ts get --cons')).toEqual(['--consistency\tLinearizable(l) or Serializable(s)']);
  });
});

describe('real TAB presses', () => {
  /** Types `line`, presses TAB, then types a marker: the screen shows exactly what TAB inserted. */
  async function tab(tty: TtySession, line: string, expected: string): Promise<void> {
    tty.type(line);
    tty.press('Tab');
    const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    // Completion runs the CLI: the marker is typed once the completion is on the screen.
    await tty.waitFor(new RegExp(`${escape(expected)}\\s*$`, 'm'));
    tty.type('Q');
    const escaped = escape(`${expected}Q`);
    await tty.waitFor(new RegExp(`${escaped}\\s*$`, 'm'));
    tty.press('C-u');
  }

  it('zsh', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-zsh-'));
    fs.writeFileSync(path.join(home, '.zshrc'), `PS1='%# '\nautoload -U compinit && compinit -u -d ${home}/.zcompdump\nsource ${path.join(scripts, '_etcdctl-ts')}\n`);
    const tty = new TtySession(['zsh', '-i'], { ...env, ZDOTDIR: home });
    try {
      await tty.waitFor(/[%#] $/m);
      await tab(tty, 'etcdctl-ts mem', 'etcdctl-ts member ');
      await tab(tty, 'etcdctl-ts member l', 'etcdctl-ts member list ');
      await tab(tty, 'etcdctl-ts get --write-out=ya', 'etcdctl-ts get --write-out=yaml ');
      await tab(tty, 'etcdctl-ts get /reg', 'etcdctl-ts get /registry/');
      await tab(tty, 'etcdctl-ts role get w', 'etcdctl-ts role get writer ');
      tty.type('etcdctl-ts get /app/');
      tty.press('Tab');
      // Ambiguous: zsh lists the candidates under the line.
      await tty.waitFor(/\/app\/config\/\s+\/app\/name|\/app\/config\/\n\/app\/name/);
    } finally {
      tty.close();
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it('bash', async () => {
    const rc = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-bash-')), 'rc');
    fs.writeFileSync(rc, `PS1='$ '\nsource ${path.join(scripts, 'etcdctl-ts.bash')}\n`);
    const tty = new TtySession(['bash', '--noprofile', '--rcfile', rc, '-i'], env);
    try {
      await tty.waitFor(/\$ $/m);
      await tab(tty, 'etcdctl-ts get --write-out=ya', 'etcdctl-ts get --write-out=yaml ');
      await tab(tty, 'etcdctl-ts get /app/co', 'etcdctl-ts get /app/config/');
      await tab(tty, 'etcdctl-ts get a:', 'etcdctl-ts get a:b:c ');
      tty.type('etcdctl-ts get /app/config/');
      tty.press('Tab', 'Tab');
      await tty.waitFor(/\/app\/config\/cache\s+\/app\/config\/db/);
    } finally {
      tty.close();
      fs.rmSync(path.dirname(rc), { recursive: true, force: true });
    }
  });
});
