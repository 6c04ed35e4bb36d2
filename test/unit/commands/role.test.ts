// role grant-permission / revoke-permission argument rules (etcdctl's permRange), checked against
// etcdctl 3.5.16 by test/integration/user-role.diff.test.ts; here the edge cases, table-driven.
import { describe, expect, it } from 'vitest';
import { parsePermissionType, permissionRange, revokedLine } from '../../../src/commands/role.js';
import { CtlError } from '../../../src/common/errors.js';

const hex = (b: Buffer) => b.toString('hex');

describe('permissionRange', () => {
  it.each([
    // args, prefix, fromKey, key, rangeEnd (hex)
    [['k'], false, false, '6b', ''],
    [['k', 'z'], false, false, '6b', '7a'],
    [['k', 'z', 'ignored'], false, false, '6b', '7a'],
    [['p/'], true, false, '702f', '7030'],
    [['a\u00ff'], true, false, '61c3bf', '61c3c0'],
    [['from'], false, true, '66726f6d', '00'],
    [[''], false, false, '00', ''],
    [['', 'end-ignored'], false, false, '00', ''],
    [[''], true, false, '00', '00'],
    [[''], false, true, '00', '00'],
  ] as const)('%j prefix=%s fromKey=%s', (args, prefix, fromKey, key, end) => {
    const r = permissionRange([...args], prefix, fromKey);
    expect([hex(r.key), hex(r.rangeEnd)]).toEqual([key, end]);
  });

  it.each([
    [['k'], true, true, '--from-key and --prefix flags are mutually exclusive'],
    [[''], true, true, '--from-key and --prefix flags are mutually exclusive'],
    [['k', 'e'], true, false, 'unexpected endkey argument with --prefix flag'],
    [['k', 'e'], false, true, 'unexpected endkey argument with --from-key flag'],
  ] as const)('%j prefix=%s fromKey=%s fails', (args, prefix, fromKey, message) => {
    expect(() => permissionRange([...args], prefix, fromKey)).toThrow(new CtlError(128, message));
  });
});

describe('parsePermissionType', () => {
  it('accepts read/write/readwrite in any case', () => {
    expect(['read', 'WRITE', 'ReadWrite'].map(parsePermissionType)).toEqual([0, 1, 2]);
  });
  it('rejects anything else with exit 128', () => {
    expect(() => parsePermissionType('rw')).toThrow(new CtlError(128, 'invalid permission type: rw'));
  });
});

describe('revokedLine', () => {
  it.each([
    ['k', '', 'Permission of key k is revoked from role r\n'],
    ['a', 'z', 'Permission of range [a, z) is revoked from role r\n'],
    ['', '\0', 'Permission of range [, <open ended> is revoked from role r\n'],
  ])('key %j end %j', (key, end, line) => {
    expect(revokedLine('r', key, Buffer.from(end)).toString()).toBe(line);
  });
});
