// What dump, load and diff share: the file read whole (a path or stdin), the keys under a prefix
// read from the cluster in bounded pages at one revision, and a merge of both by key.
import fs from 'node:fs/promises';
import type { Invocation, Session } from '../cli/invocation.js';
import { CtlError, ExitCode, type ExitCodeValue, asCtlError } from '../common/errors.js';
import type { KeyValue__Output } from '../generated/mvccpb/KeyValue.js';
import { type KeyspaceEntry, type KeyspaceFile, KeyspaceFileError, parseKeyspaceFile } from './keyspace-file.js';
import { prefixRange } from '../kv/key-range.js';
import { readRange } from '../kv/range-reader.js';
import { bytesOfToken } from '../common/byte-strings.js';

const PAGE_KEYS = 5000;
/** Reads and checks the file named by the command's only argument (stdin without one or with `-`). */
export async function readKeyspaceFile(inv: Invocation, badFileCode: ExitCodeValue): Promise<{ name: string; file: KeyspaceFile }> {
  if (inv.args.length > 1) throw new CtlError(ExitCode.BadArgs, `${inv.command.name()} takes at most one argument (the file; stdin without one)`);
  const path = inv.args[0];
  const name = path === undefined || path === '-' ? '<stdin>' : path;
  let data: Buffer;
  try {
    data = name === '<stdin>' ? await inv.io.readStdin() : await fs.readFile(bytesOfToken(path!));
  } catch (err) {
    throw new CtlError(ExitCode.IO, `cannot read ${name}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    return { name, file: parseKeyspaceFile(data) };
  } catch (err) {
    if (err instanceof KeyspaceFileError) throw new CtlError(badFileCode, `${name}: ${err.message}`);
    throw err;
  }
}

/** The deadline of each request: --command-timeout from when it is sent. */
export function pageDeadline(session: Session): () => number {
  return () => Date.now() + session.config.timeouts.commandTimeoutMs;
}

/** The cluster's keys under `prefix`, page by page, all at one revision (the first page's, or `revision`). */
export async function* clusterPages(
  inv: Invocation,
  session: Session,
  prefix: Buffer,
  revision = '0',
): AsyncGenerator<{ revision: string; count: number; kvs: KeyValue__Output[] }> {
  const deadline = pageDeadline(session);
  let rev = revision;
  try {
    for await (const page of readRange(session.client.kv, { ...prefixRange(prefix), revision }, { pageKeys: PAGE_KEYS, firstDeadline: deadline(), nextDeadline: deadline })) {
      if (rev === '0') rev = page.header?.revision ?? '0';
      yield { revision: rev, count: Number(page.count), kvs: page.kvs };
    }
  } catch (err) {
    throw asCtlError(err);
  }
}

/** A key present in the file, the cluster, or both (in key order). */
export interface Paired {
  file?: KeyspaceEntry;
  live?: KeyValue__Output;
}

/** Merges the file's sorted entries with the cluster's pages by key; `onRevision` gets the read's revision. */
export async function* pairByKey(entries: KeyspaceEntry[], pages: AsyncIterable<{ revision: string; kvs: KeyValue__Output[] }>, onRevision: (rev: string) => void): AsyncGenerator<Paired> {
  let i = 0;
  for await (const page of pages) {
    onRevision(page.revision);
    for (const live of page.kvs) {
      while (i < entries.length && Buffer.compare(entries[i]!.key, live.key) < 0) yield { file: entries[i++] };
      if (i < entries.length && entries[i]!.key.equals(live.key)) yield { file: entries[i++], live };
      else yield { live };
    }
  }
  while (i < entries.length) yield { file: entries[i++] };
}
