// The command lines of bench/profile.mjs and bench/startup.mjs: `[own options] -- <etcdctl-ts arguments>`.

/** The etcdctl-ts arguments (after `--`, or all without one) and the script's own `--name value` options. */
export function benchArgs(argv = process.argv.slice(2)) {
  const dash = argv.indexOf('--');
  const own = dash === -1 ? [] : argv.slice(0, dash);
  const option = (name, fallback) => {
    const i = own.indexOf(name);
    return i === -1 ? fallback : own[i + 1];
  };
  return { command: dash === -1 ? argv : argv.slice(dash + 1), option };
}
