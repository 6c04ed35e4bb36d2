// Every command of etcdctl-ts as data, in registration order: cobra's "Did you mean"
// suggestions list commands in this order (help lists them sorted). cli/program.ts builds the
// tree from this list; each command's code is imported only when it runs (its spec's load).
import type { CommandSpec } from '../../cli/command.js';
import { ALARM_SPEC } from './alarm.js';
import { AUTH_SPEC } from './auth.js';
import { BATCH_SPEC, SHELL_SPEC } from './batch.js';
import { CHECK_SPEC } from './check.js';
import { COMPACTION_SPEC } from './compaction.js';
import { COMPLETION_SPEC } from './completion.js';
import { DEFRAG_SPEC } from './defrag.js';
import { ELECT_SPEC } from './elect.js';
import { ENDPOINT_SPEC } from './endpoint.js';
import { K8S_SPEC } from './k8s.js';
import { DIFF_SPEC, DUMP_SPEC, EDIT_SPEC, LOAD_SPEC } from './keyspace.js';
import { KV_SPECS } from './kv.js';
import { LEASE_SPEC } from './lease.js';
import { LOCK_SPEC } from './lock.js';
import { LS_SPEC } from './ls.js';
import { MAKE_MIRROR_SPEC } from './make-mirror.js';
import { MEMBER_SPEC } from './member.js';
import { MOVE_LEADER_SPEC } from './move-leader.js';
import { ROLE_SPEC } from './role.js';
import { SNAPSHOT_SPEC } from './snapshot.js';
import { TXN_SPEC } from './txn.js';
import { USER_SPEC } from './user.js';
import { VERSION_SPEC } from './version.js';
import { WATCH_SPEC } from './watch.js';

export const COMMAND_SPECS: readonly CommandSpec[] = [
  ...KV_SPECS,
  TXN_SPEC,
  COMPACTION_SPEC,
  ALARM_SPEC,
  DEFRAG_SPEC,
  ENDPOINT_SPEC,
  MOVE_LEADER_SPEC,
  WATCH_SPEC,
  VERSION_SPEC,
  LEASE_SPEC,
  MEMBER_SPEC,
  SNAPSHOT_SPEC,
  MAKE_MIRROR_SPEC,
  LOCK_SPEC,
  ELECT_SPEC,
  // etcdctl registers auth, user and role after every other group above (check comes after them).
  AUTH_SPEC,
  USER_SPEC,
  ROLE_SPEC,
  CHECK_SPEC,
  // etcdctl-ts's own commands: hidden from etcdctl's help texts and suggestions, but completed.
  LS_SPEC,
  BATCH_SPEC,
  K8S_SPEC,
  DUMP_SPEC,
  LOAD_SPEC,
  DIFF_SPEC,
  EDIT_SPEC,
  SHELL_SPEC,
  // The etcdctl 3.5.16 build registers cobra's completion command right before help (which the
  // program adds itself).
  COMPLETION_SPEC,
];
