// edit <key>: an etcdctl-ts addition. Opens $VISUAL/$EDITOR on a key's value and writes the result
// back with a txn that compares the key's mod revision (so a change made meanwhile is never
// overwritten) and keeps its lease.
import { spawn } from 'node:child_process';
import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { askYesNo } from '../cli/confirm.js';
import { type Invocation, commandLineDeadline } from '../cli/invocation.js';
import { CtlError, ExitCode, asCtlError } from '../common/errors.js';
import type { KeyValue__Output } from '../generated/mvccpb/KeyValue.js';
import { modRevisionIs } from '../txn/compare.js';
import { bytesOfToken } from '../common/byte-strings.js';
import { type Text, text } from '../output/outcome.js';

/** How a value is shown in the editor. */
export interface EditText {
  /** The text in the editor's file. */
  shown: string;
  /** The value is compact JSON shown pretty: a save that keeps the pretty layout is compacted again. */
  compactJson: boolean;
  /** The value is JSON: the edit must still parse. */
  json: boolean;
}

/** Kubernetes' protobuf envelope starts with these bytes (k8s.io/apimachinery runtime/serializer/protobuf). */
const K8S_MAGIC = Buffer.from('k8s\0');

const pretty = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

/** The text to edit, or a refusal for values that are not text. */
export function textForEditing(key: string, value: Buffer): EditText {
  if (value.subarray(0, K8S_MAGIC.length).equals(K8S_MAGIC)) {
    throw new CtlError(ExitCode.Error, `${key} holds a Kubernetes protobuf value, not text: edit it through the Kubernetes API (kubectl edit)`);
  }
  if (!isUtf8(value) || value.includes(0)) throw new CtlError(ExitCode.Error, `${key} holds binary data, not text: it cannot be edited as text (use put)`);
  const text = value.toString('utf8');
  const parsed = /^\s*[[{]/.test(text) ? parseJson(text) : undefined;
  if (!parsed?.ok) return { shown: text, compactJson: false, json: false };
  // Reformatted only when that loses nothing: JSON.parse rounds big numbers and drops repeated
  // members, so a value whose compact form differs from the text is shown as it is.
  const compact = JSON.stringify(parsed.value) === text;
  return { shown: compact ? pretty(parsed.value) : text, compactJson: compact, json: true };
}

export type EditOutcome = { kind: 'unchanged' } | { kind: 'write'; value: Buffer } | { kind: 'invalid-json'; error: string };

/** What to write after the editor saved `edited`. */
export function valueAfterEditing(original: EditText, saved: string): EditOutcome {
  // Editors end the last line with a newline (vi's fixeol): one the value did not have is not an edit.
  const edited = !original.shown.endsWith('\n') && saved.endsWith('\n') ? saved.slice(0, saved.endsWith('\r\n') ? -2 : -1) : saved;
  if (edited === original.shown) return { kind: 'unchanged' };
  if (!original.json) return { kind: 'write', value: Buffer.from(edited) };
  const parsed = parseJson(edited);
  if (!parsed.ok) return { kind: 'invalid-json', error: parsed.error };
  if (original.compactJson && pretty(parsed.value) === edited) return { kind: 'write', value: Buffer.from(JSON.stringify(parsed.value)) };
  return { kind: 'write', value: Buffer.from(edited) };
}

/** Runs the editor on `file` through sh (so "code --wait" works); resolves with a failure text or undefined. */
function runEditor(command: string, file: string, inv: Invocation): Promise<string | undefined> {
  const giveBack = inv.io.lendTerminal?.();
  return new Promise<string | undefined>((resolve) => {
    const child = spawn('/bin/sh', ['-c', `${command} "$1"`, 'sh', file], {
      stdio: [inv.io.stdinIsTTY ? 'inherit' : 'ignore', inv.io.stdout.fd ?? 'ignore', inv.io.stderr.fd ?? 'pipe'],
      env: inv.environment.inherited,
    });
    child.stderr?.on('data', (chunk: Buffer) => inv.io.stderr.write(chunk));
    child.on('error', (err) => resolve(err.message));
    child.on('close', (code, signal) => resolve(signal ? `the editor was ended by ${signal}` : code !== 0 ? `the editor (${command}) exited with status ${code}` : undefined));
  }).finally(() => giveBack?.());
}

async function readKey(inv: Invocation, key: string): Promise<KeyValue__Output> {
  const session = await inv.connect();
  const resp = await session.client.kv.range({ key: bytesOfToken(key) }, commandLineDeadline(inv)).catch((err) => {
    throw asCtlError(err);
  });
  const kv = resp.kvs[0];
  if (!kv) throw new CtlError(ExitCode.Error, `key ${JSON.stringify(key)} not found (create it with put)`);
  return kv;
}

async function runEdit(inv: Invocation): Promise<Text | void> {
  if (inv.args.length !== 1) throw new CtlError(ExitCode.BadArgs, 'edit command needs one argument as key');
  const key = inv.args[0]!;
  const onTerminal = inv.io.stdinIsTTY && inv.io.stderr.isTTY;
  const editor = inv.environment.editor(onTerminal);
  if (editor === undefined) throw new CtlError(ExitCode.Error, 'no editor: set $VISUAL or $EDITOR');
  const session = await inv.connect();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'etcdctl-ts-edit-'));
  let keep = false;
  try {
    for (let attempt = 1; ; attempt++) {
      const kv = await readKey(inv, key);
      const editing = textForEditing(JSON.stringify(key), kv.value);
      const base = path.basename(key).replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.*/, '') || 'value';
      const file = path.join(dir, `${attempt}-${base}${editing.json && !base.endsWith('.json') ? '.json' : ''}`);
      fs.writeFileSync(file, editing.shown, { mode: 0o600 });
      let outcome: EditOutcome;
      for (;;) {
        const failure = await runEditor(editor, file, inv);
        if (failure !== undefined) throw new CtlError(ExitCode.Error, `${failure}; nothing was written`);
        outcome = valueAfterEditing(editing, fs.readFileSync(file, 'utf8'));
        if (outcome.kind !== 'invalid-json') break;
        const again = onTerminal && (await askYesNo(inv, () => `The edited value is not valid JSON any more (${outcome.kind === 'invalid-json' ? outcome.error : ''}). Edit it again?`));
        if (!again) throw new CtlError(ExitCode.Error, `the edited value is not valid JSON (${outcome.error}); nothing was written`);
      }
      if (outcome.kind === 'unchanged') {
        inv.io.stderr.write('Edit cancelled, no changes made.\n');
        return;
      }
      const resp = await session.client.kv
        .txn({ compare: [modRevisionIs(kv.key, kv.mod_revision)], success: [{ request_put: { key: kv.key, value: outcome.value, lease: kv.lease } }], failure: [] }, commandLineDeadline(inv))
        .catch((err) => {
          throw asCtlError(err);
        });
      if (resp.succeeded) return text('OK\n');
      const message = `${JSON.stringify(key)} was changed by someone else while you were editing it (mod revision ${kv.mod_revision} when read)`;
      if (!onTerminal) throw new CtlError(ExitCode.Error, `${message}; nothing was written`);
      keep = true;
      inv.io.stderr.write(`${message}; your edit is kept in ${file}\n`);
      if (!(await askYesNo(inv, () => 'Edit the new value?'))) throw new CtlError(ExitCode.Error, `nothing was written (your edit is in ${file})`);
    }
  } finally {
    if (!keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The run functions, by command name (commands/specs/ says what each command is). */
export const EDIT_RUNS = { edit: runEdit };
