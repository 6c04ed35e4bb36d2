import type { CommandSpec } from '../../cli/command.js';
import { EXTRA_OUTPUT_FORMATS } from '../../output/format-names.js';

export const LEASE_SPEC: CommandSpec = {
  name: 'lease',
  use: 'lease <subcommand>',
  short: 'Lease related commands',
  subcommands: [
    { name: 'grant', use: 'grant <ttl>', short: 'Creates leases', extraFormats: EXTRA_OUTPUT_FORMATS, load: async () => (await import('../lease.js')).LEASE_RUNS.grant },
    { name: 'revoke', use: 'revoke <leaseID>', short: 'Revokes leases', extraFormats: EXTRA_OUTPUT_FORMATS, load: async () => (await import('../lease.js')).LEASE_RUNS.revoke },
    {
      name: 'timetolive',
      use: 'timetolive <leaseID> [options]',
      short: 'Get lease information',
      flags: [{ name: 'keys', kind: 'bool', defaultText: 'false', help: 'Get keys attached to this lease' }],
      extraFormats: EXTRA_OUTPUT_FORMATS,
      load: async () => (await import('../lease.js')).LEASE_RUNS.timetolive,
    },
    { name: 'list', use: 'list', short: 'List all active leases', extraFormats: EXTRA_OUTPUT_FORMATS, load: async () => (await import('../lease.js')).LEASE_RUNS.list },
    {
      name: 'keep-alive',
      use: 'keep-alive [options] <leaseID>',
      short: 'Keeps leases alive (renew)',
      // sic: etcdctl 3.5's help text (a search-and-replace of "exits").
      flags: [{ name: 'once', kind: 'bool', defaultText: 'false', help: 'Resets the keep-alive time to its original value and cobrautl.Exits immediately' }],
      load: async () => (await import('../lease.js')).LEASE_RUNS['keep-alive'],
    },
  ],
};
