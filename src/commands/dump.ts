// dump [prefix]: an etcdctl-ts addition. Writes the keys under a prefix as a keyspace file
// (commands/keyspace-file.ts), read in bounded pages at one revision, which the header records.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Invocation } from '../cli/invocation.js';
import { CtlError, ExitCode, asCtlError } from '../common/errors.js';
import type { KeyValue__Output } from '../generated/mvccpb/KeyValue.js';
import { type KeyspaceEntry, renderEntry, renderHeader } from './keyspace-file.js';
import { clusterPages, pageDeadline } from './keyspace-read.js';
import type { Session } from '../cli/invocation.js';
import { bytesOfToken } from '../common/byte-strings.js';
import { type Text, text } from '../output/outcome.js';

/**
 * Where dump writes with --output. A regular file (or a new one) is written under a temporary
 * name next to it and renamed over it when complete, so it never holds a partial dump; through a
 * symbolic link, the file it points to is replaced and the link kept. Anything else (a device
 * such as /dev/null, a FIFO) is written directly: renaming over it would replace it.
 */
class OutputFile {
  private readonly fd: number;
  private readonly tmp: string | undefined;
  private readonly final: string;

  constructor(target: string) {
    const fail = (err: unknown): never => {
      throw new CtlError(ExitCode.IO, `cannot create ${target}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    };
    let existing: fs.Stats | undefined;
    try {
      existing = fs.statSync(target);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') fail(err);
    }
    this.final = existing ? fs.realpathSync(target) : target;
    if (existing && !existing.isFile()) {
      this.tmp = undefined;
      try {
        this.fd = fs.openSync(this.final, 'w');
      } catch (err) {
        this.fd = fail(err);
      }
      return;
    }
    this.tmp = path.join(path.dirname(this.final), `.${path.basename(this.final)}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      this.fd = fs.openSync(this.tmp, 'wx', existing ? existing.mode & 0o7777 : 0o644);
    } catch (err) {
      this.fd = fail(err);
    }
  }
  write(text: string): void {
    fs.writeSync(this.fd, text);
  }
  commit(): void {
    if (this.tmp === undefined) return fs.closeSync(this.fd);
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
    fs.renameSync(this.tmp, this.final);
  }
  abandon(): void {
    fs.closeSync(this.fd);
    if (this.tmp !== undefined) fs.rmSync(this.tmp, { force: true });
  }
}

/** Remaining TTLs of the leases met so far (a lease gone meanwhile leaves its keys without one). */
async function leaseOf(inv: Invocation, session: Session, kv: KeyValue__Output, ttls: Map<string, number>): Promise<KeyspaceEntry['lease']> {
  if (kv.lease === '0') return undefined;
  let ttl = ttls.get(kv.lease);
  if (ttl === undefined) {
    const resp = await session.client.lease.timeToLive({ ID: kv.lease }, pageDeadline(session)()).catch((err) => {
      throw asCtlError(err);
    });
    ttl = Math.max(0, Number(resp.TTL));
    ttls.set(kv.lease, ttl);
  }
  return ttl > 0 ? { id: BigInt(kv.lease).toString(16), ttl } : undefined;
}

/** The keyspace file, a page of keys at a time: the header comes with the first page. */
async function* keyspacePages(inv: Invocation, session: Session, prefix: Buffer, rev: bigint, withLeases: boolean): AsyncGenerator<string> {
  const ttls = new Map<string, number>();
  let first = true;
  for await (const page of clusterPages(inv, session, prefix, rev.toString())) {
    let lines = first ? renderHeader({ prefix, revision: page.revision, count: page.count }) : '';
    first = false;
    for (const kv of page.kvs) {
      const entry: KeyspaceEntry = { key: kv.key, value: kv.value };
      if (withLeases) entry.lease = await leaseOf(inv, session, kv, ttls);
      lines += renderEntry(entry);
    }
    yield lines;
  }
}

async function runDump(inv: Invocation): Promise<AsyncIterable<Text> | void> {
  if (inv.args.length > 1) throw new CtlError(ExitCode.BadArgs, 'dump takes at most one argument (the prefix)');
  const rev = inv.int('rev');
  if (rev < 0n) throw new CtlError(ExitCode.BadArgs, '--rev must be 0 (current) or more');
  const prefix = bytesOfToken(inv.args[0] ?? '');
  const output = inv.string('output');
  const withLeases = inv.bool('with-leases');
  const session = await inv.connect();
  const pages = keyspacePages(inv, session, prefix, rev, withLeases);
  if (output === '' || output === '-') {
    return (async function* toStdout() {
      for await (const lines of pages) yield text(lines);
    })();
  }
  const out = new OutputFile(output);
  try {
    for await (const lines of pages) out.write(lines);
    out.commit();
  } catch (err) {
    out.abandon();
    if (err instanceof Error && 'code' in err && typeof err.code === 'string' && err.code.startsWith('E')) {
      throw new CtlError(ExitCode.IO, `cannot write ${output}: ${err.code}`);
    }
    throw err;
  }
}

/** The run functions, by command name (commands/specs/ says what each command is). */
export const DUMP_RUNS = { dump: runDump };
