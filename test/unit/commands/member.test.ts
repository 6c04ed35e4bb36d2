// Argument rules of the member commands (parse IDs, names, peer URLs) with etcdctl's messages.
import { describe, expect, it } from 'vitest';
import { memberAddName, parseMemberId, peerUrlsError } from '../../../src/commands/member.js';
import { CtlError, ExitCode } from '../../../src/common/errors.js';

function failure(fn: () => unknown): { code: number; message: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof CtlError) return { code: err.exitCode, message: err.message };
    throw err;
  }
  throw new Error('expected a CtlError');
}

describe('parseMemberId', () => {
  it.each([
    ['8e9e05c52164694d', 0x8e9e05c52164694dn],
    ['FFFFFFFFFFFFFFFF', 0xffffffffffffffffn],
    ['0', 0n],
    ['00ab', 0xabn],
  ])('%s', (text, id) => expect(parseMemberId(text)).toBe(id));

  it.each([
    ['xyz', 'bad member ID arg (strconv.ParseUint: parsing "xyz": invalid syntax), expecting ID in Hex'],
    ['', 'bad member ID arg (strconv.ParseUint: parsing "": invalid syntax), expecting ID in Hex'],
    ['-1', 'bad member ID arg (strconv.ParseUint: parsing "-1": invalid syntax), expecting ID in Hex'],
    ['0x12', 'bad member ID arg (strconv.ParseUint: parsing "0x12": invalid syntax), expecting ID in Hex'],
    ['10000000000000000', 'bad member ID arg (strconv.ParseUint: parsing "10000000000000000": value out of range), expecting ID in Hex'],
  ])('rejects %j', (text, message) => {
    expect(failure(() => parseMemberId(text))).toEqual({ code: ExitCode.BadArgs, message });
  });
});

describe('memberAddName', () => {
  it('returns the single name', () => expect(memberAddName(['m4'], 'http://127.0.0.1:2380')).toBe('m4'));
  it.each([
    [[], 'http://x:1', 'member name not provided'],
    [['a', 'b'], 'http://x:1', 'too many arguments'],
    [['a', 'http://127.0.0.1:1', 'HTTPS://y:2'], '', 'too many arguments, did you mean --peer-urls=http://127.0.0.1:1, did you mean --peer-urls=HTTPS://y:2'],
    [['a'], '', 'member peer urls not provided'],
  ])('%j (peer urls %j)', (args, peerUrls, message) => {
    expect(failure(() => memberAddName(args, peerUrls))).toEqual({ code: ExitCode.BadArgs, message });
  });
});

describe('peerUrlsError (types.NewURLs)', () => {
  it.each([
    [['http://127.0.0.1:2380']],
    [['https://[::1]:2380', 'http://a:1']],
    [['unix:///tmp/sock', 'unixs://x']],
    [[' http://127.0.0.1:2380 ']],
    [['http://user@host:1?q=1']],
  ])('accepts %j', (urls) => expect(peerUrlsError(urls)).toBeUndefined());

  it.each([
    [[], 'no valid URLs given'],
    [['foo'], 'URL scheme must be http, https, unix, or unixs: foo'],
    [['ftp://a:1'], 'URL scheme must be http, https, unix, or unixs: ftp://a:1'],
    [['http://127.0.0.1'], 'URL address does not have the form "host:port": http://127.0.0.1'],
    [['http://a:1', ''], 'URL scheme must be http, https, unix, or unixs: '],
    [['http://127.0.0.1:1/x'], 'URL must not contain a path: http://127.0.0.1:1/x'],
    [[':12'], 'parse ":12": missing protocol scheme'],
    [['127.0.0.1:1'], 'parse "127.0.0.1:1": first path segment in URL cannot contain colon'],
    [['http://a b:1'], 'parse "http://a b:1": invalid character " " in host name'],
  ])('rejects %j', (urls, message) => expect(peerUrlsError(urls)).toBe(message));
});
