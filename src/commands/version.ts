// version: prints etcdctl's version and API version; never connects.
import { CtlCommand } from '../cli/command.js';
import { API_VERSION, ETCDCTL_VERSION } from '../cli/help.js';

export function versionCommand(): CtlCommand {
  return CtlCommand.fromSpec({
    name: 'version',
    use: 'version',
    short: 'Prints the version of etcdctl',
    run: async (inv) => {
      inv.io.stdout.write(`etcdctl version: ${ETCDCTL_VERSION}\nAPI version: ${API_VERSION}\n`);
    },
  });
}
