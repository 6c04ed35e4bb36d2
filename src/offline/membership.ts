// Cluster membership as etcd 3.5 bootstraps it from --initial-cluster: URL validation
// (client/pkg/types NewURLs/NewURLsMap), member and cluster ids (membership.NewMember and genID),
// the bootstrap checks of config.ServerConfig.VerifyBootstrap, and the member JSON etcd stores.
import { createHash } from 'node:crypto';
import { goJsonString } from '../go/encode.js';
import { goQuote, goQuoteList } from '../go/quote.js';

/** A URL as Go's net/url keeps it, enough to validate and print peer URLs. */
export interface GoUrl {
  scheme: string;
  /** host[:port] */
  host: string;
  path: string;
  opaque: string;
  rawQuery: string;
  fragment: string;
  forceQuery: boolean;
  userinfo: string | undefined;
}

class UrlError extends Error {}

function goUrlString(u: GoUrl): string {
  let s = '';
  if (u.scheme !== '') s += `${u.scheme}:`;
  if (u.opaque !== '') s += u.opaque;
  else {
    if (u.scheme !== '' || u.host !== '' || u.userinfo !== undefined) {
      if (u.host !== '' || u.path !== '' || u.userinfo !== undefined) s += '//';
      if (u.userinfo !== undefined) s += `${u.userinfo}@`;
      s += u.host;
    }
    if (u.path !== '' && !u.path.startsWith('/') && u.host !== '') s += '/';
    s += u.path;
  }
  if (u.forceQuery || u.rawQuery !== '') s += `?${u.rawQuery}`;
  if (u.fragment !== '') s += `#${u.fragment}`;
  return s;
}

/**
 * net/url.Parse for the URL shapes etcd flags use. Errors read like Go's `parse "<url>": <why>`.
 * (Percent-decoding and IPv6 zone details are not reproduced.)
 */
export function parseGoUrl(raw: string): GoUrl & { toString(): string } {
  const fail = (why: string): never => {
    throw new UrlError(`parse ${goQuote(raw)}: ${why}`);
  };
  if (/[\x00-\x1f\x7f]/.test(raw)) fail('net/url: invalid control character in URL');
  let rest = raw;
  let fragment = '';
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    fragment = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  let scheme = '';
  const schemeMatch = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(rest);
  if (schemeMatch) {
    scheme = schemeMatch[1]!.toLowerCase();
    rest = rest.slice(schemeMatch[0].length);
  } else if (rest.startsWith(':')) {
    fail('missing protocol scheme');
  }
  let rawQuery = '';
  let forceQuery = false;
  const q = rest.indexOf('?');
  if (q >= 0) {
    rawQuery = rest.slice(q + 1);
    forceQuery = rawQuery === '';
    rest = rest.slice(0, q);
  }
  const u: GoUrl = { scheme, host: '', path: '', opaque: '', rawQuery, fragment, forceQuery, userinfo: undefined };
  if (!rest.startsWith('/')) {
    if (scheme !== '') {
      u.opaque = rest;
      return withString(u);
    }
    const slash = rest.indexOf('/');
    const firstSegment = slash >= 0 ? rest.slice(0, slash) : rest;
    if (firstSegment.includes(':')) fail('first path segment in URL cannot contain colon');
  }
  if ((scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    const afterSlashes = rest.slice(2);
    const end = afterSlashes.indexOf('/');
    const authority = end >= 0 ? afterSlashes.slice(0, end) : afterSlashes;
    rest = end >= 0 ? afterSlashes.slice(end) : '';
    const at = authority.lastIndexOf('@');
    let host = authority;
    if (at >= 0) {
      u.userinfo = authority.slice(0, at);
      host = authority.slice(at + 1);
    }
    u.host = validateHost(host, fail);
  }
  u.path = rest;
  return withString(u);
}

function withString(u: GoUrl): GoUrl & { toString(): string } {
  return Object.assign(u, { toString: () => goUrlString(u) });
}

function validateHost(host: string, fail: (why: string) => never): string {
  if (host.startsWith('[')) {
    const close = host.lastIndexOf(']');
    if (close < 0) fail('missing \']\' in host');
    const port = host.slice(close + 1);
    if (port !== '' && !/^:\d*$/.test(port)) fail(`invalid port ${goQuote(port)} after host`);
    return host;
  }
  const colon = host.lastIndexOf(':');
  if (colon >= 0) {
    const port = host.slice(colon);
    if (!/^:\d*$/.test(port)) fail(`invalid port ${goQuote(port)} after host`);
  }
  return host;
}

/** net.SplitHostPort succeeds? */
function splitsHostPort(hostport: string): boolean {
  if (hostport.startsWith('[')) {
    const close = hostport.indexOf(']');
    if (close < 0) return false;
    const after = hostport.slice(close + 1);
    if (!after.startsWith(':')) return false;
    return !after.slice(1).includes(':') && !hostport.slice(1, close).includes('[') && !after.includes(']');
  }
  const colon = hostport.lastIndexOf(':');
  if (colon < 0) return false;
  if (hostport.slice(0, colon).includes(':')) return false;
  return !hostport.includes('[') && !hostport.includes(']');
}

/** types.NewURLs: trimmed, parsed, validated, sorted by their string form. */
export function newUrls(strs: string[]): string[] {
  if (strs.length === 0) throw new Error('no valid URLs given');
  const out: string[] = [];
  for (const s of strs) {
    const trimmed = s.trim();
    let u: ReturnType<typeof parseGoUrl>;
    try {
      u = parseGoUrl(trimmed);
    } catch (err) {
      throw new Error((err as Error).message);
    }
    switch (u.scheme) {
      case 'http':
      case 'https':
        if (!splitsHostPort(u.host)) throw new Error(`URL address does not have the form "host:port": ${trimmed}`);
        if (u.path !== '') throw new Error(`URL must not contain a path: ${trimmed}`);
        break;
      case 'unix':
      case 'unixs':
        break;
      default:
        throw new Error(`URL scheme must be http, https, unix, or unixs: ${trimmed}`);
    }
    out.push(u.toString());
  }
  return out.sort(goStringCompare);
}

/** Go's string comparison (bytewise on UTF-8). */
export function goStringCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** types.NewURLsMap: `name=url,name=url,…`, each name's URLs validated and sorted. */
export function newUrlsMap(s: string): Map<string, string[]> {
  const raw = new Map<string, string[]>();
  for (const item of s.split(',')) {
    if (item === '') continue;
    const eq = item.indexOf('=');
    const name = eq >= 0 ? item.slice(0, eq) : item;
    const value = eq >= 0 ? item.slice(eq + 1) : '';
    raw.set(name, [...(raw.get(name) ?? []), value]);
  }
  const out = new Map<string, string[]>();
  for (const [name, urls] of raw) out.set(name, newUrls(urls));
  return out;
}

/** URLsMap.String(): `name=url` pairs, sorted, comma-joined. */
export function urlsMapString(m: Map<string, string[]>): string {
  const pairs: string[] = [];
  for (const [name, urls] of m) for (const u of urls) pairs.push(`${name}=${u}`);
  return pairs.sort(goStringCompare).join(',');
}

export interface Member {
  id: bigint;
  name: string;
  peerURLs: string[];
}

/** membership.computeMemberId without a timestamp: sha1(sorted peer URLs + cluster token). */
export function computeMemberId(peerURLs: string[], token: string): bigint {
  const joined = [...peerURLs].sort(goStringCompare).join('');
  const digest = createHash('sha1').update(Buffer.from(joined + token, 'utf8')).digest();
  return digest.readBigUInt64BE(0);
}

/** RaftCluster.genID: sha1 of the sorted member ids (8 bytes big-endian each). */
export function computeClusterId(memberIds: bigint[]): bigint {
  const sorted = [...memberIds].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const buf = Buffer.alloc(8 * sorted.length);
  sorted.forEach((id, i) => buf.writeBigUInt64BE(id, 8 * i));
  return createHash('sha1').update(buf).digest().readBigUInt64BE(0);
}

export interface InitialCluster {
  id: bigint;
  /** Sorted by id, as RaftCluster.Members() returns them. */
  members: Member[];
}

/** membership.NewClusterFromURLsMap. */
export function clusterFromUrlsMap(token: string, urlsMap: Map<string, string[]>): InitialCluster {
  const byId = new Map<bigint, Member>();
  for (const [name, urls] of urlsMap) {
    const m: Member = { id: computeMemberId(urls, token), name, peerURLs: urls };
    if (byId.has(m.id)) throw new Error(`member exists with identical ID ${goMemberValue(m)}`);
    if (m.id === 0n) throw new Error('cannot use 0 as member id');
    byId.set(m.id, m);
  }
  const members = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { id: computeClusterId(members.map((m) => m.id)), members };
}

function goMemberValue(m: Member): string {
  return `&{ID:${m.id.toString(16)} RaftAttributes:{PeerURLs:[${m.peerURLs.join(' ')}] IsLearner:false} Attributes:{Name:${m.name} ClientURLs:[]}}`;
}

/** Receives the lines etcd logs while resolving URLs (caller, message, fields). */
export type MembershipLog = (caller: string, msg: string, fields: [string, string][]) => void;

/** Turns a host name into an address (the first IPv4 one, as Go's resolver prefers). */
export type HostResolver = (host: string) => Promise<string>;

async function defaultResolver(host: string): Promise<string> {
  const { lookup } = await import('node:dns/promises');
  const all = await lookup(host, { all: true });
  const pick = all.find((a) => a.family === 4) ?? all[0];
  if (!pick) throw new Error(`lookup ${host}: no such host`);
  return pick.address;
}

function hostOf(hostport: string): { host: string; port: string } {
  if (hostport.startsWith('[')) {
    const close = hostport.indexOf(']');
    return { host: hostport.slice(1, close), port: hostport.slice(close + 2) };
  }
  const colon = hostport.lastIndexOf(':');
  return { host: hostport.slice(0, colon), port: hostport.slice(colon + 1) };
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** netutil.resolveURL: the URL with its host replaced by the resolved address (localhost kept). */
async function resolveUrl(url: string, log: MembershipLog, resolver: HostResolver): Promise<string> {
  const u = parseGoUrl(url);
  if (u.scheme === 'unix' || u.scheme === 'unixs') return url;
  const { host, port } = hostOf(u.host);
  if (host === 'localhost') return url;
  let address: string;
  if (IPV4.test(host) || host.includes(':')) address = host;
  else {
    try {
      address = await resolver(host);
    } catch (err) {
      throw new Error(`failed to resolve ${goQuote(url)} (${(err as Error).message})`);
    }
  }
  const resolved = address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
  log('netutil/netutil.go:112', 'resolved URL Host', [
    ['url', url],
    ['host', u.host],
    ['resolved-addr', resolved],
  ]);
  u.host = resolved;
  return u.toString();
}

/** netutil.URLStringsEqual: equal as written, or after resolving host names; else why not. */
export async function urlStringsEqual(
  a: string[],
  b: string[],
  log: MembershipLog,
  resolver: HostResolver = defaultResolver,
): Promise<{ equal: boolean; why?: string }> {
  if (a.length !== b.length) return { equal: false, why: `len(${goQuoteList(a)}) != len(${goQuoteList(b)})` };
  const sa = [...a].sort(goStringCompare);
  const sb = [...b].sort(goStringCompare);
  if (sa.every((u, i) => u === sb[i])) return { equal: true };
  let ra: string[];
  let rb: string[];
  try {
    ra = [];
    for (const u of sa) ra.push(await resolveUrl(u, log, resolver));
    rb = [];
    for (const u of sb) rb.push(await resolveUrl(u, log, resolver));
  } catch (err) {
    return { equal: false, why: (err as Error).message };
  }
  ra.sort(goStringCompare);
  rb.sort(goStringCompare);
  for (let i = 0; i < ra.length; i++) {
    if (ra[i] !== rb[i]) return { equal: false, why: `resolved urls: ${goQuote(ra[i]!)} != ${goQuote(rb[i]!)}` };
  }
  return { equal: true };
}

/**
 * config.ServerConfig.VerifyBootstrap for a restore: the local name is in the initial cluster,
 * its URLs match --initial-advertise-peer-urls (directly or once host names are resolved), and
 * no URL is used twice.
 */
export async function verifyBootstrap(
  name: string,
  peerURLs: string[],
  urlsMap: Map<string, string[]>,
  log: MembershipLog,
  resolver?: HostResolver,
): Promise<void> {
  const local = urlsMap.get(name);
  if (local === undefined) throw new Error(`couldn't find local name ${goQuote(name)} in the initial cluster configuration`);
  const apurls = [...peerURLs].sort(goStringCompare);
  const match = await urlStringsEqual(apurls, local, log, resolver);
  if (!match.equal) {
    const why = match.why ?? '<nil>';
    const missingFromAdvertise = local.filter((u) => !apurls.includes(u));
    if (missingFromAdvertise.length > 0) {
      throw new Error(
        `--initial-cluster has ${missingFromAdvertise.map((u) => `${name}=${u}`).join(',')} but missing from --initial-advertise-peer-urls=${apurls.join(',')} (${why})`,
      );
    }
    const missingFromCluster = apurls.filter((u) => !local.includes(u));
    const single = urlsMapString(new Map([[name, peerURLs]]));
    if (missingFromCluster.length > 0) {
      throw new Error(`--initial-advertise-peer-urls has ${missingFromCluster.join(',')} but missing from --initial-cluster=${single}`);
    }
    throw new Error(`failed to resolve ${apurls.join(',')} to match --initial-cluster=${single} (${why})`);
  }
  const seen = new Set<string>();
  for (const urlsOfMember of urlsMap.values()) {
    for (const u of urlsOfMember) {
      if (seen.has(u)) throw new Error(`initial cluster ${urlsMapString(urlsMap)} has duplicate url`);
      seen.add(u);
    }
  }
  if (urlsMapString(urlsMap) === '') throw new Error('initial cluster unset and no discovery URL found');
}

/** json.Marshal(membership.Member) for a member that has not started (no client URLs). */
export function memberJson(m: Member): string {
  const urls = m.peerURLs.map((u) => goJsonString(u)).join(',');
  const name = m.name === '' ? '' : `,"name":${goJsonString(m.name)}`;
  return `{"id":${m.id},"peerURLs":[${urls}]${name}}`;
}

/** json.Marshal(membership.RaftAttributes) of a voting member. */
export function raftAttributesJson(m: Member): string {
  return `{"peerURLs":[${m.peerURLs.map((u) => goJsonString(u)).join(',')}]}`;
}
