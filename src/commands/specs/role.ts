import type { CommandSpec } from '../../cli/command.js';
import type { FlagSpec } from '../../flags/flag.js';
import { EXTRA_OUTPUT_FORMATS } from '../../output/format-names.js';

function rangeFlags(verb: 'grant' | 'revoke'): FlagSpec[] {
  return [
    { name: 'prefix', kind: 'bool', defaultText: 'false', help: `${verb} a prefix permission` },
    {
      name: 'from-key',
      kind: 'bool',
      defaultText: 'false',
      help: `${verb} a permission of keys that are greater than or equal to the given key using byte compare`,
    },
  ];
}

export const ROLE_SPEC: CommandSpec = {
  name: 'role',
  use: 'role <subcommand>',
  short: 'Role related commands',
  subcommands: [
    { name: 'add', use: 'add <role name>', short: 'Adds a new role', load: async () => (await import('../role.js')).ROLE_RUNS.add },
    { name: 'delete', use: 'delete <role name>', short: 'Deletes a role', load: async () => (await import('../role.js')).ROLE_RUNS.delete },
    {
      name: 'get',
      use: 'get <role name>',
      short: 'Gets detailed information of a role',
      extraFormats: EXTRA_OUTPUT_FORMATS,
      load: async () => (await import('../role.js')).ROLE_RUNS.get,
    },
    { name: 'list', use: 'list', short: 'Lists all roles', extraFormats: EXTRA_OUTPUT_FORMATS, load: async () => (await import('../role.js')).ROLE_RUNS.list },
    {
      name: 'grant-permission',
      use: 'grant-permission [options] <role name> <permission type> <key> [endkey]',
      short: 'Grants a key to a role',
      flags: rangeFlags('grant'),
      load: async () => (await import('../role.js')).ROLE_RUNS['grant-permission'],
    },
    {
      name: 'revoke-permission',
      use: 'revoke-permission <role name> <key> [endkey]',
      short: 'Revokes a key from a role',
      flags: rangeFlags('revoke'),
      load: async () => (await import('../role.js')).ROLE_RUNS['revoke-permission'],
    },
  ],
};
