// Typed wrappers over etcd's Auth service (users, roles, auth switch). No printing, no flag knowledge.
// As in clientv3, only the read-only calls are sent again after they may have reached a server.
import type { Connection } from './connection.js';
import type { AuthEnableResponse__Output } from '../generated/etcdserverpb/AuthEnableResponse.js';
import type { AuthDisableResponse__Output } from '../generated/etcdserverpb/AuthDisableResponse.js';
import type { AuthStatusResponse__Output } from '../generated/etcdserverpb/AuthStatusResponse.js';
import type { AuthUserAddResponse__Output } from '../generated/etcdserverpb/AuthUserAddResponse.js';
import type { AuthUserDeleteResponse__Output } from '../generated/etcdserverpb/AuthUserDeleteResponse.js';
import type { AuthUserGetResponse__Output } from '../generated/etcdserverpb/AuthUserGetResponse.js';
import type { AuthUserListResponse__Output } from '../generated/etcdserverpb/AuthUserListResponse.js';
import type { AuthUserChangePasswordResponse__Output } from '../generated/etcdserverpb/AuthUserChangePasswordResponse.js';
import type { AuthUserGrantRoleResponse__Output } from '../generated/etcdserverpb/AuthUserGrantRoleResponse.js';
import type { AuthUserRevokeRoleResponse__Output } from '../generated/etcdserverpb/AuthUserRevokeRoleResponse.js';
import type { AuthRoleAddResponse__Output } from '../generated/etcdserverpb/AuthRoleAddResponse.js';
import type { AuthRoleDeleteResponse__Output } from '../generated/etcdserverpb/AuthRoleDeleteResponse.js';
import type { AuthRoleGetResponse__Output } from '../generated/etcdserverpb/AuthRoleGetResponse.js';
import type { AuthRoleListResponse__Output } from '../generated/etcdserverpb/AuthRoleListResponse.js';
import type { AuthRoleGrantPermissionResponse__Output } from '../generated/etcdserverpb/AuthRoleGrantPermissionResponse.js';
import type { AuthRoleRevokePermissionResponse__Output } from '../generated/etcdserverpb/AuthRoleRevokePermissionResponse.js';

const AUTH = 'etcdserverpb.Auth';

/** authpb.Permission.Type values. */
export const PermissionType = { READ: 0, WRITE: 1, READWRITE: 2 } as const;
export type PermissionTypeValue = (typeof PermissionType)[keyof typeof PermissionType];

export class AuthService {
  constructor(private readonly conn: Connection) {}

  authEnable(deadline?: number): Promise<AuthEnableResponse__Output> {
    return this.conn.unary(AUTH, 'AuthEnable', {}, { deadline, idempotent: false });
  }
  authDisable(deadline?: number): Promise<AuthDisableResponse__Output> {
    return this.conn.unary(AUTH, 'AuthDisable', {}, { deadline, idempotent: false });
  }
  authStatus(deadline?: number): Promise<AuthStatusResponse__Output> {
    return this.conn.unary(AUTH, 'AuthStatus', {}, { deadline, idempotent: true });
  }

  /** `password` is ignored by the server when `noPassword` is set. */
  userAdd(name: string, password: string, noPassword: boolean, deadline?: number): Promise<AuthUserAddResponse__Output> {
    return this.conn.unary(AUTH, 'UserAdd', { name, password, options: { no_password: noPassword } }, { deadline, idempotent: false });
  }
  userDelete(name: string, deadline?: number): Promise<AuthUserDeleteResponse__Output> {
    return this.conn.unary(AUTH, 'UserDelete', { name }, { deadline, idempotent: false });
  }
  userGet(name: string, deadline?: number): Promise<AuthUserGetResponse__Output> {
    return this.conn.unary(AUTH, 'UserGet', { name }, { deadline, idempotent: true });
  }
  userList(deadline?: number): Promise<AuthUserListResponse__Output> {
    return this.conn.unary(AUTH, 'UserList', {}, { deadline, idempotent: true });
  }
  userChangePassword(name: string, password: string, deadline?: number): Promise<AuthUserChangePasswordResponse__Output> {
    return this.conn.unary(AUTH, 'UserChangePassword', { name, password }, { deadline, idempotent: false });
  }
  userGrantRole(user: string, role: string, deadline?: number): Promise<AuthUserGrantRoleResponse__Output> {
    return this.conn.unary(AUTH, 'UserGrantRole', { user, role }, { deadline, idempotent: false });
  }
  userRevokeRole(name: string, role: string, deadline?: number): Promise<AuthUserRevokeRoleResponse__Output> {
    return this.conn.unary(AUTH, 'UserRevokeRole', { name, role }, { deadline, idempotent: false });
  }

  roleAdd(name: string, deadline?: number): Promise<AuthRoleAddResponse__Output> {
    return this.conn.unary(AUTH, 'RoleAdd', { name }, { deadline, idempotent: false });
  }
  roleDelete(role: string, deadline?: number): Promise<AuthRoleDeleteResponse__Output> {
    return this.conn.unary(AUTH, 'RoleDelete', { role }, { deadline, idempotent: false });
  }
  roleGet(role: string, deadline?: number): Promise<AuthRoleGetResponse__Output> {
    return this.conn.unary(AUTH, 'RoleGet', { role }, { deadline, idempotent: true });
  }
  roleList(deadline?: number): Promise<AuthRoleListResponse__Output> {
    return this.conn.unary(AUTH, 'RoleList', {}, { deadline, idempotent: true });
  }
  /** An empty `rangeEnd` grants a single key; `\x00` means "to the end of the keyspace". */
  roleGrantPermission(
    name: string,
    perm: { key: Buffer; rangeEnd: Buffer; permType: PermissionTypeValue },
    deadline?: number,
  ): Promise<AuthRoleGrantPermissionResponse__Output> {
    const request = { name, perm: { permType: perm.permType, key: perm.key, range_end: perm.rangeEnd } };
    return this.conn.unary(AUTH, 'RoleGrantPermission', request, { deadline, idempotent: false });
  }
  roleRevokePermission(role: string, key: Buffer, rangeEnd: Buffer, deadline?: number): Promise<AuthRoleRevokePermissionResponse__Output> {
    return this.conn.unary(AUTH, 'RoleRevokePermission', { role, key, range_end: rangeEnd }, { deadline, idempotent: false });
  }
}
