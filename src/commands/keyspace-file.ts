// The keyspace file of dump, load and diff: JSON lines, one header line then one line per key,
// in the server's key order.
//
//   {"format":"etcdctl-ts/keyspace","version":1,"prefix":"/app/","revision":"1234","count":2}
//   {"key":"/app/a","value":"text"}
//   {"key":"/app/bin","value_b64":"3q2+7w==","lease":"694d7f1b2a3c4d5e","ttl":57}
//
// Keys, values and the prefix are JSON strings when their bytes are valid UTF-8, and base64 in a
// `_b64` field otherwise, so every byte survives. `lease`/`ttl` appear only with dump --with-leases:
// the key's lease ID when dumped (it only groups keys: load grants new leases) and the seconds it
// had left. `count` is the number of key lines, so a cut-off file is detected.
import { isUtf8 } from 'node:buffer';

export const KEYSPACE_FORMAT = 'etcdctl-ts/keyspace';
export const KEYSPACE_VERSION = 1;

export interface KeyspaceHeader {
  prefix: Buffer;
  revision: string;
  count: number;
}

export interface KeyspaceEntry {
  key: Buffer;
  value: Buffer;
  /** The lease ID (hex) the key had when dumped, with its remaining TTL in seconds. */
  lease?: { id: string; ttl: number };
}

export interface KeyspaceFile {
  header: KeyspaceHeader;
  /** In ascending byte order of their keys. */
  entries: KeyspaceEntry[];
}

/** A file that cannot be loaded; `line` is 1-based. */
export class KeyspaceFileError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'KeyspaceFileError';
  }
}

/** The field pair of some bytes: `{name: text}` or `{name_b64: base64}`. */
function bytesField(name: string, bytes: Buffer): string {
  return isUtf8(bytes) ? `${JSON.stringify(name)}:${JSON.stringify(bytes.toString('utf8'))}` : `"${name}_b64":"${bytes.toString('base64')}"`;
}

export function renderHeader(header: KeyspaceHeader): string {
  return `{"format":"${KEYSPACE_FORMAT}","version":${KEYSPACE_VERSION},${bytesField('prefix', header.prefix)},"revision":"${header.revision}","count":${header.count}}\n`;
}

/** One key line; `withLease` false leaves the lease out (diff compares keys and values only). */
export function renderEntry(entry: KeyspaceEntry, withLease = true): string {
  const lease = withLease && entry.lease ? `,"lease":"${entry.lease.id}","ttl":${entry.lease.ttl}` : '';
  return `{${bytesField('key', entry.key)},${bytesField('value', entry.value)}${lease}}\n`;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const HEADER_FIELDS = new Set(['format', 'version', 'prefix', 'prefix_b64', 'revision', 'count']);
const ENTRY_FIELDS = new Set(['key', 'key_b64', 'value', 'value_b64', 'lease', 'ttl']);

/** Reads `name` or `name_b64` of a line object as bytes. */
function bytesOf(obj: Record<string, unknown>, name: string, line: number, required: boolean): Buffer | undefined {
  const text = obj[name];
  const b64 = obj[`${name}_b64`];
  if (text !== undefined && b64 !== undefined) throw new KeyspaceFileError(line, `both "${name}" and "${name}_b64" given`);
  if (text !== undefined) {
    if (typeof text !== 'string') throw new KeyspaceFileError(line, `"${name}" must be a string`);
    // A lone surrogate has no UTF-8 bytes: it would be stored as U+FFFD.
    if (/\p{Cs}/u.test(text)) throw new KeyspaceFileError(line, `"${name}" holds a lone UTF-16 surrogate (use "${name}_b64" for bytes that are not UTF-8)`);
    return Buffer.from(text, 'utf8');
  }
  if (b64 !== undefined) {
    if (typeof b64 !== 'string' || !BASE64.test(b64)) throw new KeyspaceFileError(line, `"${name}_b64" is not standard padded base64`);
    return Buffer.from(b64, 'base64');
  }
  if (required) throw new KeyspaceFileError(line, `"${name}" or "${name}_b64" is missing`);
  return undefined;
}

function objectOf(text: string, line: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new KeyspaceFileError(line, `not JSON (${(err as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new KeyspaceFileError(line, 'not a JSON object');
  return value as Record<string, unknown>;
}

function checkFields(obj: Record<string, unknown>, allowed: Set<string>, line: number): void {
  for (const field of Object.keys(obj)) if (!allowed.has(field)) throw new KeyspaceFileError(line, `unknown field ${JSON.stringify(field)}`);
}

function parseHeader(obj: Record<string, unknown>): KeyspaceHeader {
  if (obj.format !== KEYSPACE_FORMAT) throw new KeyspaceFileError(1, `not a keyspace file (the first line must have "format":"${KEYSPACE_FORMAT}")`);
  if (obj.version !== KEYSPACE_VERSION) {
    throw new KeyspaceFileError(1, `version ${JSON.stringify(obj.version)} is not supported (this etcdctl-ts reads version ${KEYSPACE_VERSION})`);
  }
  checkFields(obj, HEADER_FIELDS, 1);
  const prefix = bytesOf(obj, 'prefix', 1, true)!;
  if (typeof obj.revision !== 'string' || !/^\d{1,19}$/.test(obj.revision)) throw new KeyspaceFileError(1, '"revision" must be a decimal string');
  if (typeof obj.count !== 'number' || !Number.isSafeInteger(obj.count) || obj.count < 0) throw new KeyspaceFileError(1, '"count" must be a whole number');
  return { prefix, revision: obj.revision, count: obj.count };
}

function parseEntry(obj: Record<string, unknown>, line: number, prefix: Buffer): KeyspaceEntry {
  checkFields(obj, ENTRY_FIELDS, line);
  const key = bytesOf(obj, 'key', line, true)!;
  if (key.length === 0) throw new KeyspaceFileError(line, 'the key is empty');
  if (!key.subarray(0, prefix.length).equals(prefix)) throw new KeyspaceFileError(line, 'the key does not start with the file\'s prefix');
  const value = bytesOf(obj, 'value', line, true)!;
  const entry: KeyspaceEntry = { key, value };
  if (obj.lease !== undefined || obj.ttl !== undefined) {
    if (typeof obj.lease !== 'string' || !/^[0-9a-f]{1,16}$/.test(obj.lease)) throw new KeyspaceFileError(line, '"lease" must be a lease ID in hex');
    if (typeof obj.ttl !== 'number' || !Number.isSafeInteger(obj.ttl) || obj.ttl < 1 || obj.ttl > 9_000_000_000) {
      throw new KeyspaceFileError(line, '"ttl" must be a whole number of seconds, at least 1');
    }
    entry.lease = { id: obj.lease, ttl: obj.ttl };
  }
  return entry;
}

/**
 * Parses and checks a whole file: every line, no key twice, every key under the prefix, as many
 * keys as the header counts. Empty lines are skipped; a trailing CR is dropped.
 */
export function parseKeyspaceFile(data: Buffer): KeyspaceFile {
  let header: KeyspaceHeader | undefined;
  const entries: KeyspaceEntry[] = [];
  const firstLine = new Map<string, number>();
  let lineNo = 0;
  for (let start = 0; start < data.length; ) {
    let end = data.indexOf(0x0a, start);
    if (end === -1) end = data.length;
    lineNo++;
    let raw = data.subarray(start, end);
    start = end + 1;
    if (raw.length > 0 && raw[raw.length - 1] === 0x0d) raw = raw.subarray(0, raw.length - 1);
    if (raw.length === 0) continue;
    if (!isUtf8(raw)) throw new KeyspaceFileError(lineNo, 'the line is not UTF-8 text (binary keys and values belong in "_b64" fields)');
    const obj = objectOf(raw.toString('utf8'), lineNo);
    if (header === undefined) {
      if (lineNo !== 1) throw new KeyspaceFileError(lineNo, 'the header must be the first line');
      header = parseHeader(obj);
      continue;
    }
    const entry = parseEntry(obj, lineNo, header.prefix);
    const id = entry.key.toString('latin1');
    const seen = firstLine.get(id);
    if (seen !== undefined) throw new KeyspaceFileError(lineNo, `the key is already given on line ${seen}`);
    firstLine.set(id, lineNo);
    entries.push(entry);
  }
  if (header === undefined) throw new KeyspaceFileError(1, 'the file is empty (a keyspace file starts with its header line)');
  if (entries.length !== header.count) {
    throw new KeyspaceFileError(lineNo, `the header counts ${header.count} keys but the file has ${entries.length}${entries.length < header.count ? ' (cut off?)' : ''}`);
  }
  entries.sort((a, b) => Buffer.compare(a.key, b.key));
  return { header, entries };
}

/** A key for messages: as text when it is printable UTF-8, JSON-quoted when not printable, else base64. */
export function displayKey(key: Buffer): string {
  if (!isUtf8(key)) return `base64:${key.toString('base64')}`;
  const text = key.toString('utf8');
  // eslint-disable-next-line no-control-regex
  return /^[^\u0000-\u0020\u007f-\u00a0"]+$/.test(text) ? text : JSON.stringify(text);
}
