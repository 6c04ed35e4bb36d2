// clientv3's reading of an endpoint: the unix prefixes as written, other URLs through Go's
// url.Parse (which lowercases the scheme).
import { describe, expect, it } from 'vitest';
import { parseEndpoint } from '../../../src/client/connection.js';

describe('parseEndpoint', () => {
  it.each([
    ['127.0.0.1:2379', '127.0.0.1:2379', undefined],
    ['http://127.0.0.1:2379', '127.0.0.1:2379', false],
    ['HTTP://127.0.0.1:2379', '127.0.0.1:2379', false],
    ['Https://127.0.0.1:2379/x', '127.0.0.1:2379', true],
    ['unix://sock', 'unix:sock', false],
    ['unixs:///tmp/sock', 'unix:/tmp/sock', true],
    // clientv3's unix check is case-sensitive, and a URL with another scheme is dialled as written.
    ['UNIX://sock', 'UNIX://sock', undefined],
    ['ftp://127.0.0.1:2379', 'ftp://127.0.0.1:2379', undefined],
  ])('%s', (endpoint, target, secure) => {
    expect(parseEndpoint(endpoint)).toEqual({ original: endpoint, target, secure });
  });
});
