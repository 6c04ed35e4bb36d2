// member add/remove/update/list/promote: membership changes and listing.
import { type Invocation, commandLineDeadline, connectAndCall } from '../cli/invocation.js';
import { parseGoUint64 } from '../flags/go-values.js';
import { CtlError, ExitCode } from '../common/errors.js';
import { goQuote } from '../go/quote.js';
import type { Result } from '../output/types.js';
import type { EtcdClient } from '../client/services.js';

/** A member ID argument: unsigned hex without 0x, with etcdctl's error text. */
export function parseMemberId(text: string): bigint {
  try {
    return parseGoUint64(text, 16);
  } catch (err) {
    throw new CtlError(ExitCode.BadArgs, `bad member ID arg (${(err as Error).message}), expecting ID in Hex`);
  }
}

/** remove/update/promote take exactly one member ID. */
function memberIdArg(args: string[]): bigint {
  if (args.length !== 1) throw new CtlError(ExitCode.BadArgs, 'member ID is not provided');
  return parseMemberId(args[0]!);
}

/** `member add` argument rules, in etcdctl's order. Returns the new member's name. */
export function memberAddName(args: string[], peerUrls: string): string {
  if (args.length < 1) throw new CtlError(ExitCode.BadArgs, 'member name not provided');
  if (args.length > 1) {
    let message = 'too many arguments';
    for (const arg of args) {
      if (arg.toLowerCase().startsWith('http')) message += `, did you mean --peer-urls=${arg}`;
    }
    throw new CtlError(ExitCode.BadArgs, message);
  }
  if (peerUrls === '') throw new CtlError(ExitCode.BadArgs, 'member peer urls not provided');
  return args[0]!;
}

/**
 * clientv3's fail-fast check of peer URLs (types.NewURLs), done before the RPC; its errors exit 1.
 * Returns the error text, or undefined when every URL is acceptable.
 */
export function peerUrlsError(urls: string[]): string | undefined {
  if (urls.length === 0) return 'no valid URLs given';
  for (const raw of urls) {
    const url = raw.trim();
    const parsed = parseUrlLoosely(url);
    if ('error' in parsed) return parsed.error;
    switch (parsed.scheme) {
      case 'http':
      case 'https':
        if (!hasHostPort(parsed.host)) return `URL address does not have the form "host:port": ${url}`;
        if (parsed.path !== '') return `URL must not contain a path: ${url}`;
        break;
      case 'unix':
      case 'unixs':
        break;
      default:
        return `URL scheme must be http, https, unix, or unixs: ${url}`;
    }
  }
  return undefined;
}

interface LooseUrl {
  scheme: string;
  host: string;
  path: string;
}

/** The parts of Go's url.Parse that the peer URL check looks at, with its commonest errors. */
function parseUrlLoosely(url: string): LooseUrl | { error: string } {
  const quoted = goQuote(url);
  if (/[\x00-\x1f\x7f]/.test(url)) return { error: `parse ${quoted}: net/url: invalid control character in URL` };
  let rest = url.replace(/#.*$/s, '');
  let scheme = '';
  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(rest);
  if (schemeMatch) {
    scheme = schemeMatch[1]!.toLowerCase();
    rest = rest.slice(schemeMatch[0].length);
  } else if (rest.startsWith(':')) {
    return { error: `parse ${quoted}: missing protocol scheme` };
  } else if (!rest.startsWith('/') && rest.split('/')[0]!.includes(':')) {
    return { error: `parse ${quoted}: first path segment in URL cannot contain colon` };
  }
  rest = rest.replace(/\?.*$/s, '');
  if (!rest.startsWith('//')) return { scheme, host: '', path: rest };
  rest = rest.slice(2);
  const slash = rest.indexOf('/');
  const authority = slash === -1 ? rest : rest.slice(0, slash);
  const path = slash === -1 ? '' : rest.slice(slash);
  const host = authority.replace(/^.*@/s, '');
  if (/[ ]/.test(host)) return { error: `parse ${quoted}: invalid character " " in host name` };
  return { scheme, host, path };
}

/** net.SplitHostPort succeeds: `host:port` or `[v6]:port`, exactly one unbracketed colon. */
function hasHostPort(host: string): boolean {
  if (host.startsWith('[')) return /^\[[^\]]*\]:[^:]*$/.test(host);
  return /^[^:[\]]*:[^:[\]]*$/.test(host);
}

/**
 * member add/update: etcdctl checks the peer URLs only after the client is up (a bad URL with an
 * unreachable cluster reports the connection), then calls.
 */
async function connectWithPeerUrls(
  inv: Invocation,
  peerUrls: string,
  call: (client: EtcdClient, urls: string[], deadline: number) => Promise<Result>,
): Promise<Result> {
  const urls = peerUrls.split(',');
  return connectAndCall(inv, (client, deadline) => {
    const urlError = peerUrlsError(urls);
    if (urlError !== undefined) throw new CtlError(ExitCode.Error, urlError);
    return call(client, urls, deadline);
  });
}

async function runMemberAdd(inv: Invocation): Promise<Result> {
  const peerUrls = inv.string('peer-urls');
  const name = memberAddName(inv.args, peerUrls);
  return connectWithPeerUrls(inv, peerUrls, async ({ cluster }, urls, deadline) => ({
    kind: 'memberAdd',
    resp: await cluster.memberAdd(urls, inv.bool('learner'), deadline),
    name,
    peerUrls,
  }));
}

async function runMemberRemove(inv: Invocation): Promise<Result> {
  const id = memberIdArg(inv.args);
  return connectAndCall(inv, async ({ cluster }, deadline) => ({ kind: 'memberRemove', resp: await cluster.memberRemove(id.toString(), deadline), id }));
}

async function runMemberUpdate(inv: Invocation): Promise<Result> {
  const id = memberIdArg(inv.args);
  const peerUrls = inv.string('peer-urls');
  if (peerUrls === '') throw new CtlError(ExitCode.BadArgs, 'member peer urls not provided');
  return connectWithPeerUrls(inv, peerUrls, async ({ cluster }, urls, deadline) => ({
    kind: 'memberUpdate',
    resp: await cluster.memberUpdate(id.toString(), urls, deadline),
    id,
  }));
}

async function runMemberList(inv: Invocation): Promise<Result> {
  return connectAndCall(inv, async ({ cluster }, deadline) => ({ kind: 'memberList', resp: await cluster.memberList(deadline) }));
}

async function runMemberPromote(inv: Invocation): Promise<Result> {
  const id = memberIdArg(inv.args);
  return connectAndCall(inv, async ({ cluster }, deadline) => ({ kind: 'memberPromote', resp: await cluster.memberPromote(id.toString(), deadline), id }));
}

/** The run functions, by command name (commands/specs/ says what each command is). */
export const MEMBER_RUNS = { add: runMemberAdd, remove: runMemberRemove, update: runMemberUpdate, list: runMemberList, promote: runMemberPromote };
