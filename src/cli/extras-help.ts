// `etcdctl-ts help extras`: what etcdctl-ts adds to etcdctl 3.5, read from the command tree (extra
// commands and flags) so it stays current. etcdctl's own help texts never mention these.
import type { CtlCommand } from './command.js';
import type { FlagSpec } from '../flags/flag.js';
import { flagUsages, tabwrite } from './help.js';
import { EXTRA_OUTPUT_FORMATS } from '../output/format-names.js';
import { CONFIG_ENV, PROFILE_ENV } from '../config/profiles.js';
import { K8S_DECODE_ENV } from '../config/k8s.js';

function walk(cmd: CtlCommand, visit: (c: CtlCommand) => void): void {
  for (const child of cmd.children) {
    visit(child);
    walk(child, visit);
  }
}

export function extrasHelpText(root: CtlCommand): string {
  const commands: string[] = [];
  const flagBlocks: string[] = [];
  const shown = (flags: FlagSpec[]) => flags.map((f) => ({ ...f, hidden: false }));
  const formatCommands: string[] = [];
  const globalExtras = root.ownFlags.filter((f) => f.extra);
  if (globalExtras.length > 0) flagBlocks.push(`  every command:\n${flagUsages(shown(globalExtras))}`);
  walk(root, (c) => {
    if (c.extraFormats.length > 0) formatCommands.push(c.pathFromRoot().join(' '));
    if (c.extraCommand) {
      commands.push(`\t${c.pathFromRoot().join(' ')}\t${c.short}\n`);
      return;
    }
    const extras = c.ownFlags.filter((f) => f.extra);
    if (extras.length > 0) flagBlocks.push(`  ${c.pathFromRoot().join(' ')}:\n${flagUsages(shown(extras))}`);
  });
  const text =
    'NAME:\n\textras - what etcdctl-ts adds to etcdctl 3.5 (etcdctl\'s own commands, flags and output are unchanged)\n\n' +
    `COMMANDS:\n${commands.join('')}\tcompletion bash|zsh|fish\tshell completion of commands, flags and live values (keys, leases, members, users, roles)\n\n` +
    `FLAGS:\n${flagBlocks.join('')}\n` +
    `OUTPUT FORMATS:\n\t-w ${EXTRA_OUTPUT_FORMATS.join(', -w ')}\treadable data: keys and values as text (base64 when not UTF-8), 64-bit numbers as strings;\n\t\tKubernetes objects (kube-apiserver's values) as objects\n\tfor: ${formatCommands.sort().join(', ')}\n\n` +
    'ENVIRONMENT:\n' +
    `\t${PROFILE_ENV}\tthe profile to use (as --profile)\n` +
    `\t${K8S_DECODE_ENV}\tfalse: show Kubernetes values as stored bytes in -w yaml/json-decoded (as --k8s-decode=false)\n` +
    `\t${CONFIG_ENV}\tthe config file (default $XDG_CONFIG_HOME/etcdctl-ts/config.json or ~/.config/etcdctl-ts/config.json)\n` +
    '\tNO_COLOR, FORCE_COLOR\tturn colours off or force them (colours appear only on terminals, only in messages, prompts and ls)\n\n' +
    'BEHAVIOUR:\n' +
    '\ton a terminal, del of a range or prefix counts the keys and asks first (never on pipes, nor with --yes)\n' +
    '\ton a terminal, defrag --cluster and make-mirror show progress on stderr\n' +
    '\tget of a large range is read in pages at one revision and streamed, with etcdctl\'s output\n';
  return tabwrite(text);
}
