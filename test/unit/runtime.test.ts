import { describe, expect, it } from 'vitest';
import { allowIpServerName, buildLine, runtimeName } from '../../src/io/runtime.js';
import { nodeIo } from '../../src/io/node-io.js';

describe('runtimeName', () => {
  it('names bun when the process runs on bun, else node', () => {
    expect(runtimeName({ ...process.versions, node: '24.3.0', bun: '1.4.5' } as NodeJS.ProcessVersions)).toBe('bun 1.4.5');
    expect(runtimeName({ ...process.versions, node: '24.3.0' })).toBe('node v24.3.0');
    expect(runtimeName()).toBe(`node ${process.version}`);
  });
});

describe('buildLine', () => {
  it('says npm package and the runtime it runs on', () => {
    expect(buildLine({ kind: 'npm', version: '0.1.0' }, 'node v26.12.1', 'linux-x64')).toBe('etcdctl-ts version: 0.1.0 (npm package, node v26.12.1, linux-x64)');
  });
  it('says single-file executable with its compiler, target and commit', () => {
    expect(buildLine({ kind: 'executable', version: '0.1.0', compiler: 'bun 1.4.5', target: 'linux-arm64', commit: 'abc1234' }, 'bun 1.4.5', 'linux-x64')).toBe(
      'etcdctl-ts version: 0.1.0 (single-file executable, bun 1.4.5, linux-arm64, commit abc1234)',
    );
  });
});

describe('nodeIo', () => {
  it('offers the build line only when the entry point says how it was built', () => {
    expect(nodeIo().buildLine).toBeUndefined();
    const io = nodeIo({ build: () => ({ kind: 'npm', version: '9.9.9' }) });
    expect(io.buildLine?.()).toBe(`etcdctl-ts version: 9.9.9 (npm package, node ${process.version}, ${process.platform}-${process.arch})`);
  });
});

describe('allowIpServerName', () => {
  it('drops an IP address given to tls.connect as the server name, and keeps a host name', async () => {
    const { isIP } = await import('node:net');
    const seen: unknown[] = [];
    const tls = { connect: (...args: never[]) => seen.push(structuredClone(args[0])) };
    allowIpServerName(tls, isIP);
    tls.connect({ host: '127.0.0.1', servername: '127.0.0.1' } as never);
    tls.connect({ host: '::1', servername: '::1' } as never);
    tls.connect({ host: 'etcd.local', servername: 'etcd.local' } as never);
    expect(seen).toEqual([{ host: '127.0.0.1' }, { host: '::1' }, { host: 'etcd.local', servername: 'etcd.local' }]);
  });
});
