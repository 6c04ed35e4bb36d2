// version: prints etcdctl's version and API version; never connects. etcdctl-ts adds a third line
// saying how it was built (npm package or single-file executable, runtime, platform) where it
// cannot break a script: on a terminal, or when asked with --build.
import { CtlCommand } from '../cli/command.js';
import { API_VERSION, ETCDCTL_VERSION } from '../cli/help.js';

export function versionCommand(): CtlCommand {
  return CtlCommand.fromSpec({
    name: 'version',
    use: 'version',
    short: 'Prints the version of etcdctl',
    flags: [{ name: 'build', kind: 'bool', defaultText: 'false', help: 'also print how etcdctl-ts was built and what it runs on', extra: true }],
    run: async (inv) => {
      const { stdout } = inv.io;
      const build = (inv.bool('build') || stdout.isTTY) && inv.io.buildLine ? `${inv.io.buildLine()}\n` : '';
      stdout.write(`etcdctl version: ${ETCDCTL_VERSION}\nAPI version: ${API_VERSION}\n${build}`);
    },
  });
}
