// Pieces of the user/role/auth output (shapes observed from etcdctl 3.5.16; the full outputs are
// compared side by side in test/integration/user-role.diff.test.ts).
import { describe, expect, it } from 'vitest';
import { fieldsPermissions, fieldsRoleNames, simpleAuthStatus, simpleRoleGet, simpleUserGet } from '../../../src/output/auth-render.js';

const perm = (permType: 0 | 1 | 2, key: string | Buffer, end: string | Buffer = '') => ({
  permType,
  key: Buffer.isBuffer(key) ? key : Buffer.from(key),
  range_end: Buffer.isBuffer(end) ? end : Buffer.from(end),
});

describe('role get, simple', () => {
  it('lists read permissions, then write permissions; readwrite in both', () => {
    const out = simpleRoleGet('r1', [
      perm(0, '\0'),
      perm(2, 'a', 'z'),
      perm(1, 'from', '\0'),
      perm(0, 'k1'),
      perm(0, 'p/', 'p0'),
      perm(0, '\0', '\0'),
    ]);
    expect(out.toString('latin1')).toBe(
      'Role r1\nKV Read:\n\t\0\n\t[a, z)\n\tk1\n\t[p/, p0) (prefix p/)\n\t[\0, <open ended>\nKV Write:\n\t[a, z)\n\t[from, <open ended>\n',
    );
  });

  it('recognises prefix ranges byte-wise, including trailing 0xff bytes', () => {
    const out = simpleRoleGet('r', [perm(0, Buffer.from([0x61, 0xff]), Buffer.from([0x62])), perm(0, Buffer.from([0xff]), '\0')]);
    expect(out.toString('latin1')).toBe('Role r\nKV Read:\n\t[a\xff, b) (prefix a\xff)\n\t[\xff, <open ended> (prefix \xff)\nKV Write:\n');
  });

  it('an empty role', () => {
    expect(simpleRoleGet('r', []).toString()).toBe('Role r\nKV Read:\nKV Write:\n');
  });
});

describe('other simple and fields pieces', () => {
  it('user get', () => {
    expect(simpleUserGet('u', [])).toBe('User: u\nRoles:\n');
    expect(simpleUserGet('u', ['a', 'b'])).toBe('User: u\nRoles: a b\n');
  });
  it('auth status', () => {
    expect(simpleAuthStatus({ header: null, enabled: true, authRevision: '7' })).toBe('Authentication Status: true\nAuthRevision: 7\n');
  });
  it('fields: two spaces after the PermType colon, %q keys', () => {
    expect(fieldsPermissions([perm(2, 'a\tb', '\0')])).toBe('"PermType" :  READWRITE\n"Key" : "a\\tb"\n"RangeEnd" : "\\x00"\n');
    expect(fieldsRoleNames([])).toBe('"Roles" :\n');
    expect(fieldsRoleNames(['r1', 'root'])).toBe('"Roles" : "r1" "root"\n');
  });
});
