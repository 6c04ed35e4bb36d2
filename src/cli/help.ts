// etcdctl's usage text: its own template (pkg/cobrautl/help.go) laid out by Go's text/tabwriter
// with tab padding, reproduced so `--help` output matches byte for byte.
import type { CtlCommand } from './command.js';
import type { FlagSpec } from '../flags/flag.js';
import { goQuote } from '../go/quote.js';

export const ETCDCTL_VERSION = '3.5.16';
export const API_VERSION = '3.5';

/** Go's text/tabwriter with minwidth 0, tabwidth 8, padding 1, padchar '\t', no flags. */
export function tabwrite(text: string): string {
  const lines = text.split('\n').map((line) => line.split('\t'));
  const widths: number[] = [];
  const out: string[] = [];
  const cellWidth = (cell: string) => [...cell].length;

  const writeLines = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const cells = lines[i]!;
      let line = '';
      cells.forEach((cell, j) => {
        line += cell;
        if (j < cells.length - 1) {
          const column = Math.ceil((widths[j] ?? 0) / 8) * 8;
          line += '\t'.repeat(Math.ceil((column - cellWidth(cell)) / 8));
        }
      });
      out.push(line);
    }
  };

  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    let start = line0;
    for (let i = line0; i < line1; i++) {
      if (column >= lines[i]!.length - 1) continue;
      // A column block starts here: flush the lines before it, then size the block.
      writeLines(start, i);
      start = i;
      let width = 0;
      let end = i;
      for (; end < line1; end++) {
        const cells = lines[end]!;
        if (column >= cells.length - 1) break;
        width = Math.max(width, cellWidth(cells[column]!) + 1);
      }
      widths.push(width);
      format(start, end);
      widths.pop();
      start = end;
      i = end - 1;
    }
    writeLines(start, line1);
  };

  format(0, lines.length);
  return out.join('\n');
}

/** etcdctl's flag lines: `  -w, --write-out="simple"\t<help>` sorted by name. */
export function flagUsages(flags: FlagSpec[]): string {
  return [...flags]
    .filter((f) => !f.hidden)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((f) => {
      const names = f.short ? `  -${f.short}, --${f.name}` : `      --${f.name}`;
      const value = f.kind === 'string' ? goQuote(f.defaultText) : f.defaultText;
      const assignment = f.kind === 'bool' ? `[=${value}]` : `=${value}`;
      return `${names}${assignment}\t${f.help}\n`;
    })
    .join('');
}

function runnableDescendants(cmd: CtlCommand, prefix: string[] = []): { path: string; short: string }[] {
  const out: { path: string; short: string }[] = [];
  for (const child of cmd.children) {
    if (child.hiddenCommand) continue;
    const path = [...prefix, child.name()];
    if (child.runnable) out.push({ path: path.join(' '), short: child.short });
    out.push(...runnableDescendants(child, path));
  }
  return out;
}

/** The full usage text of a command, as `etcdctl <cmd> --help` prints it to stdout. */
export function usageText(cmd: CtlCommand, opts: { helpFlag?: boolean } = {}): string {
  const isRoot = !cmd.parentCommand;
  const hasSubcommands = cmd.children.length > 0;
  const name = isRoot ? cmd.name() : cmd.pathFromRoot().join(' ');
  const useLine = (isRoot ? cmd.use : `${cmd.parentCommand!.commandPath()} ${cmd.use}`) + (cmd.disableFlagsInUseLine ? '' : ' [flags]');
  let t = `NAME:\n\t${name} - ${cmd.short}\n\nUSAGE:\n\t${useLine}\n`;
  if (isRoot) t += `\nVERSION:\n\t${ETCDCTL_VERSION}\n`;
  if (hasSubcommands) {
    t += `\nAPI VERSION:\n\t${API_VERSION}\n`;
    const entries = runnableDescendants(cmd).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    t += `\n\nCOMMANDS:\n${entries.map((e) => `\t${e.path}\t${e.short}\n`).join('')}`;
  }
  if (cmd.long) {
    const lines = cmd.long.replace(/^\n+|\n+$/g, '').split('\n');
    t += `\nDESCRIPTION:\n${lines.map((l) => `\t${l}\n`).join('')}`;
  }
  // etcdctl-ts's own commands also list etcdctl-ts's own (extra) flags; etcdctl's never do.
  const shown = (flags: FlagSpec[]) => (cmd.extraCommand ? flags.map((f) => (f.extra ? { ...f, hidden: false } : f)) : flags);
  // cobra adds -h/--help to a command only when it runs or shows its help (not `help <unknown>`).
  const local = shown(opts.helpFlag === false ? cmd.ownFlags : [...cmd.ownFlags, cmd.helpFlag()]);
  t += `\nOPTIONS:\n${flagUsages(local)}`;
  const inherited = shown(cmd.inheritedFlags());
  if (inherited.length > 0) t += `\nGLOBAL OPTIONS:\n${flagUsages(inherited)}`;
  t += '\n';
  return tabwrite(t);
}
