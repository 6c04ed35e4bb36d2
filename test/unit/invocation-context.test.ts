// main's Invocation: resolve() returns the Context; flag reads see the effective values once it is
// resolved, the parsed flags never change, and the command-line deadline ignores the environment.
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/main.js';
import { CtlCommand } from '../../src/cli/command.js';
import { etcdctlProgram } from '../../src/commands/program.js';
import { type Invocation, commandLineDeadline } from '../../src/cli/invocation.js';
import type { Io } from '../../src/io/types.js';

function fakeIo() {
  const out = { stdout: '', stderr: '' };
  const io: Io = {
    stdout: { write: (c: string | Uint8Array) => void (out.stdout += String(c)), isTTY: false },
    stderr: { write: (c: string | Uint8Array) => void (out.stderr += String(c)), isTTY: false },
    readStdin: async () => Buffer.alloc(0),
    stdinLines: async function* () {},
    stdinIsTTY: false,
    readPassword: async () => 'pw',
  };
  return { io, out };
}

/** Runs `probe <argv>` under main with a command that records what it sees. */
async function probe(argv: string[], env: Record<string, string>, body: (inv: Invocation) => Promise<void>) {
  const root = etcdctlProgram();
  root.add(CtlCommand.fromSpec({ name: 'probe', use: 'probe', short: 'test only', run: body }));
  const { io, out } = fakeIo();
  const code = await main(['probe', ...argv], io, env, { root });
  return { code, ...out };
}

describe('Invocation and the resolved Context', () => {
  it('flag reads see ETCDCTL_* values after resolve(); inv.flags stays as given', async () => {
    const seen: Record<string, unknown> = {};
    const r = await probe(['--dial-timeout=3s'], { ETCDCTL_HEX: 'true', ETCDCTL_COMMAND_TIMEOUT: '1s', ETCDCTL_ENDPOINTS: 'e:1' }, async (inv) => {
      const now = vi.spyOn(Date, 'now').mockReturnValue(1_000_000);
      try {
        seen.hexBefore = inv.bool('hex');
        const context = await inv.resolve();
        seen.same = context === (await inv.resolve());
        seen.hexAfter = inv.bool('hex');
        seen.endpoints = inv.strings('endpoints');
        seen.changed = inv.changed('command-timeout');
        seen.given = inv.flags.get('hex')?.value;
        seen.givenEndpoints = inv.flags.get('endpoints')?.value;
        seen.timeouts = context.timeouts;
        // The timer etcdctl starts before the environment is applied: 5s default, not 1s.
        seen.deadline = commandLineDeadline(inv);
        seen.watchKey = inv.environment.watchKey;
      } finally {
        now.mockRestore();
      }
    });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(seen).toEqual({
      hexBefore: false,
      same: true,
      hexAfter: true,
      endpoints: ['e:1'],
      changed: true,
      given: false,
      givenEndpoints: ['127.0.0.1:2379'],
      timeouts: { dialTimeoutMs: 3000, commandTimeoutMs: 1000, commandTimeoutExplicit: true, keepaliveTimeMs: 2000, keepaliveTimeoutMs: 6000 },
      deadline: 1_005_000,
      watchKey: '',
    });
  });

  it('the shadowing error is fatal through main (exit 1, the zap line only)', async () => {
    const r = await probe(['--hex'], { ETCDCTL_HEX: 'true' }, async (inv) => {
      await inv.resolve();
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^\{"level":"fatal".*"environment-variable":"ETCDCTL_HEX"\}\n$/);
  });
});
