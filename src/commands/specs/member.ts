import type { CommandSpec } from '../../cli/command.js';
import { EXTRA_OUTPUT_FORMATS } from '../../output/format-names.js';

export const MEMBER_SPEC: CommandSpec = {
  name: 'member',
  use: 'member <subcommand>',
  short: 'Membership related commands',
  subcommands: [
    {
      name: 'add',
      use: 'add <memberName> [options]',
      short: 'Adds a member into the cluster',
      flags: [
        { name: 'peer-urls', kind: 'string', defaultText: '', help: 'comma separated peer URLs for the new member.' },
        { name: 'learner', kind: 'bool', defaultText: 'false', help: 'indicates if the new member is raft learner' },
      ],
      extraFormats: EXTRA_OUTPUT_FORMATS,
      load: async () => (await import('../member.js')).MEMBER_RUNS.add,
    },
    {
      name: 'remove',
      use: 'remove <memberID>',
      short: 'Removes a member from the cluster',
      extraFormats: EXTRA_OUTPUT_FORMATS,
      load: async () => (await import('../member.js')).MEMBER_RUNS.remove,
    },
    {
      name: 'update',
      use: 'update <memberID> [options]',
      short: 'Updates a member in the cluster',
      flags: [{ name: 'peer-urls', kind: 'string', defaultText: '', help: 'comma separated peer URLs for the updated member.' }],
      extraFormats: EXTRA_OUTPUT_FORMATS,
      load: async () => (await import('../member.js')).MEMBER_RUNS.update,
    },
    {
      name: 'list',
      use: 'list',
      short: 'Lists all members in the cluster',
      long: `When --write-out is set to simple, this command prints out comma-separated member lists for each endpoint.
The items in the lists are ID, Status, Name, Peer Addrs, Client Addrs, Is Learner.
`,
      extraFormats: EXTRA_OUTPUT_FORMATS,
      load: async () => (await import('../member.js')).MEMBER_RUNS.list,
    },
    {
      name: 'promote',
      use: 'promote <memberID>',
      short: 'Promotes a non-voting member in the cluster',
      long: `Promotes a non-voting learner member to a voting one in the cluster.
`,
      extraFormats: EXTRA_OUTPUT_FORMATS,
      load: async () => (await import('../member.js')).MEMBER_RUNS.promote,
    },
  ],
};
