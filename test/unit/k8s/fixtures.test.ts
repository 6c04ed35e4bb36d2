// kubernetes/api's round-trip test data (test/fixtures/k8s/README.md): every .pb decodes to the
// JSON value of the .json beside it, compared exactly (integers as bigints, no rounding).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { decodeK8sObject } from '../../../src/k8s/decode.js';
import { toJsonText } from '../../../src/k8s/json.js';
import { toYaml } from '../../../src/output/decoded.js';

const DIR = path.join(__dirname, '..', '..', 'fixtures', 'k8s');
const names = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.pb'))
  .map((f) => f.slice(0, -3))
  .sort();

/** JSON text → value with every integer a bigint, so that both sides compare exactly. */
const exact = (text: string): unknown => parse(text, { intAsBigInt: true, schema: 'json' });

/** `apps.v1.Deployment` → apps/v1 Deployment; the core group has no name (`core.v1.Pod` → v1). */
function typeOf(name: string): { apiVersion: string; kind: string } {
  const parts = name.split('.');
  const kind = parts.pop()!;
  const version = parts.pop()!;
  const group = parts.join('.');
  return { apiVersion: group === 'core' ? version : `${group}/${version}`, kind };
}

describe('kubernetes/api testdata/HEAD', () => {
  it('has all the fixtures', () => {
    expect(names.length).toBeGreaterThanOrEqual(197);
    for (const name of names) expect(fs.existsSync(path.join(DIR, `${name}.json`)), name).toBe(true);
  });

  it.each(names)('%s', (name) => {
    const pb = fs.readFileSync(path.join(DIR, `${name}.pb`));
    const json = fs.readFileSync(path.join(DIR, `${name}.json`), 'utf8');
    const decoded = decodeK8sObject(pb, typeOf(name));
    expect(exact(toJsonText(decoded))).toEqual(exact(json));
  });
});

describe('the same objects through -w yaml', () => {
  it.each(names)('%s reads back from its YAML as the same value', (name) => {
    const decoded = decodeK8sObject(fs.readFileSync(path.join(DIR, `${name}.pb`)), typeOf(name));
    const json = fs.readFileSync(path.join(DIR, `${name}.json`), 'utf8');
    expect(parse(toYaml(decoded), { intAsBigInt: true })).toEqual(exact(json));
  });
});
