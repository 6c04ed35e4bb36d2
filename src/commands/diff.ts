// diff [file]: an etcdctl-ts addition. A unified diff from the cluster's keys under a keyspace
// file's prefix (read in pages at one revision) to the file: what `load --prune` would change.
// Exit status as diff(1): 0 equal, 1 different, 2 trouble.
import type { Invocation, Session } from '../cli/invocation.js';
import { CtlError, ExitCode, SilentExit } from '../common/errors.js';
import { displayKey, type KeyspaceFile, renderEntry } from './keyspace-file.js';
import { type Text, text } from '../output/outcome.js';
import { clusterPages, pairByKey, readKeyspaceFile } from './keyspace-read.js';

/** Lines of unchanged keys shown around each change, as diff -u. */
const CONTEXT = 3;

type Op = { t: ' ' | '-' | '+'; line: string; /** Old and new lines before this one. */ old: number; new: number };

/**
 * Builds unified-diff hunks from a stream of line operations in order. Hand-written rather than
 * a diff library: both sides are sorted by key, so the edit script is a linear merge, and only the
 * hunks (changes and their context) are held in memory, never the whole keyspace.
 */
class HunkWriter {
  private before: Op[] = [];
  private hunk: Op[] | undefined;
  private tail: Op[] = [];
  private old = 0;
  private new = 0;
  differs = false;

  constructor(private readonly emit: (hunk: Op[]) => void) {}

  add(t: Op['t'], line: string): void {
    const op: Op = { t, line, old: this.old, new: this.new };
    if (t !== '+') this.old++;
    if (t !== '-') this.new++;
    if (t === ' ') {
      if (!this.hunk) {
        this.before.push(op);
        if (this.before.length > CONTEXT) this.before.shift();
        return;
      }
      this.tail.push(op);
      if (this.tail.length > 2 * CONTEXT) {
        this.emit([...this.hunk, ...this.tail.slice(0, CONTEXT)]);
        this.before = this.tail.slice(-CONTEXT);
        this.hunk = undefined;
        this.tail = [];
      }
      return;
    }
    this.differs = true;
    if (this.hunk) this.hunk.push(...this.tail, op);
    else this.hunk = [...this.before, op];
    this.tail = [];
  }

  end(): void {
    if (this.hunk) this.emit([...this.hunk, ...this.tail.slice(0, CONTEXT)]);
    this.hunk = undefined;
  }
}

/** `@@ -a,b +c,d @@` as GNU diff writes it (",1" left out; a side with no lines starts before them). */
export function hunkHeader(ops: Op[]): string {
  const side = (start: number, count: number) => (count === 1 ? `${start + 1}` : `${count === 0 ? start : start + 1},${count}`);
  const oldCount = ops.filter((o) => o.t !== '+').length;
  const newCount = ops.filter((o) => o.t !== '-').length;
  return `@@ -${side(ops[0]!.old, oldCount)} +${side(ops[0]!.new, newCount)} @@`;
}

async function runDiff(inv: Invocation): Promise<AsyncIterable<Text>> {
  try {
    const { name, file } = await readKeyspaceFile(inv, ExitCode.BadConnection);
    const session = await inv.connect();
    return diffLines(inv, session, name, file);
  } catch (err) {
    throw asTrouble(err);
  }
}

/** The diff's lines, a hunk at a time as the merge finds them; ends with exit 1 when they differ. */
async function* diffLines(inv: Invocation, session: Session, name: string, file: KeyspaceFile): AsyncGenerator<Text> {
  try {
    const { paint } = await import('../cli/colour.js');
    const c = paint(session.config.display.colour);
    let revision = '0';
    let headerDone = false;
    let pending = '';
    const writer = new HunkWriter((hunk) => {
      if (!headerDone) {
        pending += c.bold(`--- etcd ${displayKey(file.header.prefix) || '(every key)'} at revision ${revision}\n+++ ${name}\n`);
        headerDone = true;
      }
      pending += `${c.cyan(hunkHeader(hunk))}\n`;
      for (const op of hunk) {
        const line = `${op.t}${op.line.slice(0, -1)}`;
        pending += `${op.t === '-' ? c.red(line) : op.t === '+' ? c.green(line) : line}\n`;
      }
    });
    for await (const { file: entry, live } of pairByKey(file.entries, clusterPages(inv, session, file.header.prefix), (rev) => (revision = rev))) {
      const liveLine = live && renderEntry({ key: live.key, value: live.value }, false);
      const fileLine = entry && renderEntry(entry, false);
      if (liveLine !== undefined && liveLine === fileLine) writer.add(' ', liveLine);
      else {
        if (liveLine !== undefined) writer.add('-', liveLine);
        if (fileLine !== undefined) writer.add('+', fileLine);
      }
      if (pending !== '') {
        yield text(pending);
        pending = '';
      }
    }
    writer.end();
    if (pending !== '') yield text(pending);
    if (writer.differs) throw new SilentExit(ExitCode.Error);
  } catch (err) {
    throw asTrouble(err);
  }
}

/** diff(1)'s status for trouble, whatever the cause. */
function asTrouble(err: unknown): unknown {
  if (err instanceof SilentExit) return err;
  return new CtlError(ExitCode.BadConnection, err instanceof Error ? err.message : String(err));
}

/** The run functions, by command name (commands/specs/ says what each command is). */
export const DIFF_RUNS = { diff: runDiff };
