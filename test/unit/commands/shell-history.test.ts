// The shell never writes a line that carries a password to its history.
import { describe, expect, it } from 'vitest';
import { carriesSecret } from '../../../src/commands/shell.js';

describe('carriesSecret', () => {
  it.each([
    'get k --password=x',
    'get k --password x',
    '--user root:pw get k',
    'get k --user=root:pw',
    'make-mirror --dest-user a:b 127.0.0.1:2379',
    'make-mirror --dest-password p 127.0.0.1:2379',
    'user add bob:secret',
    'user --endpoints=x add bob:secret',
    'user add bob --new-user-password=secret',
    'get k --PASSWORD=x',
  ])('%s is kept out', (line) => expect(carriesSecret(line)).toBe(true));

  it.each(['get k', 'user add bob', 'get --user root k', 'put key a:b', 'user passwd bob', 'get /password/x'])('%s is kept', (line) =>
    expect(carriesSecret(line)).toBe(false),
  );
});
