// Which commands accept etcdctl-ts's extra -w values (yaml, json-decoded). Kept free of imports so
// that start-up and completion can ask without loading the formats themselves
// (formats/decoded-formats.ts).

/**
 * The commands that accept the extra formats (paths from the root). Only commands whose every
 * result kind has a builder in formats/decoded-formats.ts belongs here; any other gets etcdctl's "unsupported output format".
 */
export const EXTRA_FORMAT_COMMANDS: ReadonlySet<string> = new Set([
  'get',
  'put',
  'del',
  'txn',
  'watch',
  'ls',
  'snapshot get',
  'snapshot ls',
  'member list',
  'member add',
  'member remove',
  'member update',
  'member promote',
  'endpoint status',
  'endpoint hashkv',
  'alarm list',
  'alarm disarm',
  'lease grant',
  'lease revoke',
  'lease timetolive',
  'lease list',
  'user get',
  'user list',
  'role get',
  'role list',
  'auth status',
]);
