// Entry point of the single-file executable (scripts/build-exe.mjs compiles it with the bundle into
// one file): the same bundle and the same run as bin/etcdctl-ts.js, minus the code cache files
// (the executable carries its own). BUILD is replaced at build time with how it was built.
'use strict';
const BUILD = { kind: 'executable' };
require('../bin/start.js').start(require('../dist/bundle/etcdctl-ts.cjs'), { build: () => BUILD });
