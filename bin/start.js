// Runs the CLI from the bundle's exports and ends the process once stdout and stderr have drained
// (the io's flush, which knows how each runtime says so), so piped output is never cut and no
// leftover handle keeps a finished command alive. Shared by bin/etcdctl-ts.js (the npm package on
// Node) and scripts/exe-entry.cjs (the single-file executable).
'use strict';

// A closed pipe (`etcdctl-ts get --prefix / | head`) ends quietly, the way etcdctl (Go) does: killed
// by SIGPIPE, so the shell sees status 141. Node ignores SIGPIPE; adding and removing a listener
// puts the default action back before the signal is sent.
function onStreamError(err) {
  if (err.code !== 'EPIPE') throw err;
  const noop = () => {};
  process.on('SIGPIPE', noop);
  process.off('SIGPIPE', noop);
  process.kill(process.pid, 'SIGPIPE');
  process.exit(128 + 13);
}

/** Until the bundle's io exists (a bundle that failed to load): an empty write's callback, as on Node. */
const writtenOut = (s) => new Promise((resolve, reject) => s.write('', (err) => (err ? reject(err) : resolve())));

/**
 * Runs main(argv) with the process's io. `bundle` is { main, nodeIo } or a promise of it; `build`
 * describes this build for `version` (see src/io/runtime.ts); `beforeExit` runs once output is out.
 */
function start(bundle, { argv = process.argv.slice(2), build, beforeExit = () => {} } = {}) {
  let io;
  // A command that ends by a signal (an interrupted snapshot save) dies by it, as etcdctl does.
  let dieBy;
  const finish = (code) => {
    process.exitCode = code;
    const flush = io?.flush ? () => io.flush() : () => writtenOut(process.stdout).then(() => writtenOut(process.stderr));
    flush().then(() => {
      beforeExit();
      if (dieBy) {
        // The signal may be taken by another of the process's threads: give it a moment to act
        // rather than exiting first; the exit code is the fallback.
        process.removeAllListeners(dieBy);
        process.kill(process.pid, dieBy);
        setTimeout(() => process.exit(code), 500);
        return;
      }
      process.exit(code);
    }, onStreamError);
  };
  process.stdout.on('error', onStreamError);
  process.stderr.on('error', onStreamError);
  Promise.resolve(bundle)
    .then(({ main, nodeIo }) => main(argv, (io = nodeIo({ build })), process.env, { onSignalExit: (signal) => (dieBy = signal) }))
    .then(finish, (err) => {
      process.stderr.write(`Error: ${err instanceof Error ? err.message : String(err)}\n`);
      finish(1);
    });
}

module.exports = { start };
