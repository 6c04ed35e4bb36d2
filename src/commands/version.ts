// version: prints etcdctl's version and API version; never connects. etcdctl-ts adds a third line
// saying how it was built (npm package or single-file executable, runtime, platform) where it
// cannot break a script: on a terminal, or when asked with --build.
import type { Invocation } from '../cli/invocation.js';
import { type Text, text } from '../output/outcome.js';
import { API_VERSION, ETCDCTL_VERSION } from '../cli/help.js';

async function runVersion(inv: Invocation): Promise<Text> {
  const build = (inv.bool('build') || inv.io.stdout.isTTY) && inv.io.buildLine ? `${inv.io.buildLine()}\n` : '';
  return text(`etcdctl version: ${ETCDCTL_VERSION}\nAPI version: ${API_VERSION}\n${build}`);
}

/** The run functions, by command name (commands/specs/ says what each command is). */
export const VERSION_RUNS = { version: runVersion };
