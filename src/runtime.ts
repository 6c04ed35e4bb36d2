// What differs between the runtimes the CLI runs on: Node (the npm package, bin/etcdctl-ts.js) and
// the single-file executable (bun, scripts/build-exe.mjs). Everything else is one codebase: the
// executable runs the same bundle. Measured differences in behaviour (signals, the end of stdin)
// are covered by the differential suite run against the executable (scripts/ci-exe.sh).

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
