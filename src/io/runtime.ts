// What differs between the runtimes the CLI runs on: Node (the npm package, bin/etcdctl-ts.js) and
// the single-file executable (bun, scripts/build-exe.mjs). Everything else is one codebase: the
// executable runs the same bundle, and the differential suite runs against it (scripts/ci-exe.sh).
// Signals and the end of stdin behave alike on both (lock-elect and watch -i differential files);
// what differs is how a stream says it has written everything (flushed), and what TLS accepts as a
// server name differs between Node majors as well as bun (allowIpServerName).

const onBun = (process.versions as NodeJS.ProcessVersions & { bun?: string }).bun !== undefined;

/**
 * Resolves once everything written to `s` so far has left the process; rejects with the write's
 * error (EPIPE when the reader went away). Node calls an empty write's callback after the writes
 * queued before it; bun calls it at once, with a pipe's writes still queued, so there the stream
 * is ended (its callback comes when all is written; a failed write is the stream's 'error').
 */
export function flushed(s: NodeJS.WritableStream & { writableEnded?: boolean }): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!onBun) s.write('', (err?: Error | null) => (err ? reject(err) : resolve()));
    else if (s.writableEnded) resolve();
    else s.end(() => resolve());
  });
}

let tlsAdapted = false;

/**
 * grpc-js gives tls.connect the endpoint's host as the server name (SNI), an IP address for
 * `127.0.0.1:2379`. Go sends no server name for an IP; Node up to 24 ignores it with a warning
 * (DEP0123), while Node 26 and bun refuse the connection (ERR_INVALID_ARG_VALUE), so every TLS
 * command failed there. tls.connect is given no server name for an IP on every runtime: the
 * certificate is still checked against the host (grpc-js passes it), which is the same address.
 */
export function allowIpServerName(tls: { connect: (...args: never[]) => unknown }, isIP: (s: string) => number): void {
  if (tlsAdapted) return;
  tlsAdapted = true;
  const connect = tls.connect;
  tls.connect = function connectWithoutIpServerName(this: unknown, ...args: never[]) {
    for (const arg of args as unknown[]) {
      const options = arg as { servername?: unknown } | null;
      if (options && typeof options === 'object' && typeof options.servername === 'string' && isIP(options.servername) !== 0) {
        delete options.servername;
      }
    }
    return connect.apply(this, args);
  };
}

/** How this copy of etcdctl-ts was built; the entry point (bin/ or the executable's) says. */
export interface BuildInfo {
  kind: 'npm' | 'executable';
  /** etcdctl-ts's own version (package.json). */
  version: string;
  /** The executable's compiler and target, e.g. "bun 1.4.5" and "linux-x64". */
  compiler?: string;
  target?: string;
  /** The commit the executable was built from, when known. */
  commit?: string;
}

/** The JavaScript runtime this process runs on, e.g. "node v24.22.3" or "bun 1.4.5". */
export function runtimeName(versions: NodeJS.ProcessVersions = process.versions): string {
  const bun = (versions as NodeJS.ProcessVersions & { bun?: string }).bun;
  return bun !== undefined ? `bun ${bun}` : `node v${versions.node}`;
}

/**
 * The line `version` adds after etcdctl's two (on a terminal, or with --build), e.g.
 * "etcdctl-ts version: 0.1.0 (single-file executable, bun 1.4.5, linux-x64, commit 1a2b3c4)".
 */
export function buildLine(build: BuildInfo, runtime: string = runtimeName(), platform = `${process.platform}-${process.arch}`): string {
  const parts =
    build.kind === 'executable'
      ? ['single-file executable', build.compiler ?? runtime, build.target ?? platform]
      : ['npm package', runtime, platform];
  if (build.commit) parts.push(`commit ${build.commit}`);
  return `etcdctl-ts version: ${build.version} (${parts.join(', ')})`;
}
