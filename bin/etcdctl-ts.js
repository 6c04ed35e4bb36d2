#!/usr/bin/env node
// Entry point: run, then end the process once stdout and stderr have drained, so piped
// output is never cut and no leftover handle keeps a finished command alive.
import { main } from '../dist/main.js';
import { nodeIo } from '../dist/node-io.js';

const finish = (code) => {
  process.exitCode = code;
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
};

process.stdout.on('error', (err) => {
  // A closed pipe (`etcdctl-ts get --prefix / | head`) ends quietly.
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

main(process.argv.slice(2), nodeIo(), process.env).then(finish, (err) => {
  process.stderr.write(`Error: ${err instanceof Error ? err.message : String(err)}\n`);
  finish(1);
});
