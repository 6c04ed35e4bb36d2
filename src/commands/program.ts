// etcdctl-ts's command tree: cli/program.ts's tree built from every command's spec.
import type { CtlCommand } from '../cli/command.js';
import { createProgram } from '../cli/program.js';
import { COMMAND_SPECS } from './specs/index.js';

export function etcdctlProgram(): CtlCommand {
  return createProgram(COMMAND_SPECS);
}
