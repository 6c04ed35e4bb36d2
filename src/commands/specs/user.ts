import type { CommandSpec } from '../../cli/command.js';
import { EXTRA_OUTPUT_FORMATS } from '../../output/format-names.js';

export const USER_SPEC: CommandSpec = {
  name: 'user',
  use: 'user <subcommand>',
  short: 'User related commands',
  subcommands: [
    {
      name: 'add',
      use: 'add <user name or user:password> [options]',
      short: 'Adds a new user',
      flags: [
        { name: 'interactive', kind: 'bool', defaultText: 'true', help: 'Read password from stdin instead of interactive terminal' },
        { name: 'new-user-password', kind: 'string', defaultText: '', help: 'Supply password from the command line flag' },
        { name: 'no-password', kind: 'bool', defaultText: 'false', help: 'Create a user without password (CN based auth only)' },
      ],
      load: async () => (await import('../user.js')).USER_RUNS.add,
    },
    { name: 'delete', use: 'delete <user name>', short: 'Deletes a user', load: async () => (await import('../user.js')).USER_RUNS.delete },
    {
      name: 'get',
      use: 'get <user name> [options]',
      short: 'Gets detailed information of a user',
      flags: [{ name: 'detail', kind: 'bool', defaultText: 'false', help: 'Show permissions of roles granted to the user' }],
      extraFormats: EXTRA_OUTPUT_FORMATS,
      load: async () => (await import('../user.js')).USER_RUNS.get,
    },
    { name: 'list', use: 'list', short: 'Lists all users', extraFormats: EXTRA_OUTPUT_FORMATS, load: async () => (await import('../user.js')).USER_RUNS.list },
    {
      name: 'passwd',
      use: 'passwd <user name> [options]',
      short: 'Changes password of user',
      flags: [{ name: 'interactive', kind: 'bool', defaultText: 'true', help: 'If true, read password from stdin instead of interactive terminal' }],
      load: async () => (await import('../user.js')).USER_RUNS.passwd,
    },
    {
      name: 'grant-role',
      use: 'grant-role <user name> <role name>',
      short: 'Grants a role to a user',
      load: async () => (await import('../user.js')).USER_RUNS['grant-role'],
    },
    {
      name: 'revoke-role',
      use: 'revoke-role <user name> <role name>',
      short: 'Revokes a role from a user',
      load: async () => (await import('../user.js')).USER_RUNS['revoke-role'],
    },
  ],
};
