// `etcdctl-ts k8s decode [file]`: one value as kube-apiserver stored it (read from the file, or
// stdin) printed as the Kubernetes object, YAML by default or JSON with -o json. For pipes from any
// tool (`etcdctl get --print-value-only /registry/pods/default/web | etcdctl-ts k8s decode`).
// Never connects.
import fs from 'node:fs';
import type { Invocation } from '../cli/invocation.js';
import { CtlError, ExitCode } from '../common/errors.js';
import { type Text, text } from '../output/outcome.js';

const FORMATS = ['yaml', 'json'];

async function runDecode(inv: Invocation): Promise<Text> {
  const format = inv.string('output');
  if (!FORMATS.includes(format)) throw new CtlError(ExitCode.BadArgs, `unknown output format ${JSON.stringify(format)} (yaml or json)`);
  if (inv.args.length > 1) throw new CtlError(ExitCode.BadArgs, 'k8s decode takes at most one file');
  const file = inv.args[0];
  let value: Buffer;
  try {
    value = file === undefined || file === '-' ? await inv.io.readStdin() : fs.readFileSync(file);
  } catch (err) {
    throw new CtlError(ExitCode.Error, (err as Error).message);
  }
  const { storedValue, K8sDecodeError } = await import('../k8s/value.js');
  let object;
  try {
    object = storedValue(value);
  } catch (err) {
    if (!(err instanceof K8sDecodeError)) throw err;
    // `get --print-value-only` ends the value with a newline: the value is what comes before it.
    const unterminated = value.at(-1) === 0x0a ? decodesWithout(storedValue, value) : undefined;
    if (unterminated === undefined) throw new CtlError(ExitCode.Error, `cannot decode Kubernetes object: ${err.message}`);
    object = unterminated;
  }
  if (object === undefined) throw new CtlError(ExitCode.Error, `not a Kubernetes object (${value.length} bytes, neither k8s protobuf, encrypted, nor JSON with apiVersion and kind)`);
  const { toJsonText } = await import('../k8s/json.js');
  if (format === 'json') return text(`${toJsonText(object)}\n`);
  const { toYaml } = await import('../output/decoded.js');
  return text(toYaml(object));
}

function decodesWithout<T>(decode: (value: Buffer) => T, value: Buffer): T | undefined {
  try {
    return decode(value.subarray(0, -1));
  } catch {
    return undefined;
  }
}

/** The run functions, by command name (commands/specs/ says what each command is). */
export const K8S_RUNS = { decode: runDecode };
