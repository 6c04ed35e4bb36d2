// Passwords never reach --debug output or warnings (etcdctl 3.5 prints them; see README differences).
import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecret } from '../../../src/config/resolve.js';

describe('redactSecret', () => {
  it('hides --password and the password part of --user', () => {
    expect(redactSecret('password', 's3cret')).toBe(REDACTED);
    expect(redactSecret('user', 'root:s3cret')).toBe(`root:${REDACTED}`);
    expect(redactSecret('user', 'root:a:b')).toBe(`root:${REDACTED}`);
  });
  it('leaves empty values, names without a password and other flags alone', () => {
    expect(redactSecret('password', '')).toBe('');
    expect(redactSecret('user', 'root')).toBe('root');
    expect(redactSecret('endpoints', '[a:1]')).toBe('[a:1]');
  });
});
