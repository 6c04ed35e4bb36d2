// Masks for the cluster commands' nondeterministic data (member, endpoint, alarm, defrag tests):
// db sizes and raft indexes that move between two runs, the completion order of endpoint health,
// the member that happened to answer a multi-endpoint request, and IDs of freshly added members.
import type { Mask } from './diff.js';

/**
 * `endpoint status`: db size, db size in use, raft index and raft applied index, in every
 * format (apply after maskTableLayout for tables).
 */
export const maskStatusSizesAndIndexes: Mask = {
  name: 'maskStatusSizesAndIndexes',
  rules: [
    // simple: endpoint, ID, version, db size, is leader, is learner, raft term, raft index, raft applied index, errors
    {
      pattern: /^([^,\n]+, [0-9a-f]+, [^,\n]+, )\d+(?:\.\d)? [kMGTPE]?B(, \w+, \w+, \d+, )\d+, \d+, /gm,
      replacement: '$1<SIZE>$2<INDEX>, <INDEX>, ',
    },
    // table rows (after maskTableLayout normalised the padding)
    {
      pattern: /^(\| [^|\n]+ \| [0-9a-f]+ \| [^|\n]+ \| )\d+(?:\.\d)? [kMGTPE]?B( \| \w+ \| \w+ \| \d+ \| )\d+ \| \d+ \|/gm,
      replacement: '$1<SIZE>$2<INDEX> | <INDEX> |',
    },
    { pattern: /"(dbSize|dbSizeInUse|raftIndex|raftAppliedIndex)":\d+/g, replacement: '"$1":<N>' },
    { pattern: /"(DBSize|RaftIndex|RaftAppliedIndex)" : \d+/g, replacement: '"$1" : <N>' },
  ],
};

/** The line set of `endpoint health` in any order: sorts the lines of each stream. */
export const maskLineOrder: Mask = {
  name: 'maskLineOrder',
  rules: [
    {
      pattern: /^[\s\S]+$/g,
      replacement: (text: string) => {
        const trailing = text.endsWith('\n');
        const lines = (trailing ? text.slice(0, -1) : text).split('\n');
        return lines.sort().join('\n') + (trailing ? '\n' : '');
      },
    },
  ],
};

/** `endpoint health -w json`: the array's objects in any order. */
export const maskJsonHealthOrder: Mask = {
  name: 'maskJsonHealthOrder',
  rules: [
    {
      pattern: /^\[(\{"endpoint"[^\n]*)\]$/gm,
      replacement: (_m: string, inner: string) => `[${inner.split(/(?<=\}),(?=\{"endpoint")/).sort().join(',')}]`,
    },
  ],
};

/** `endpoint health -w fields`: the blank-line separated blocks in any order. */
export const maskFieldsBlockOrder: Mask = {
  name: 'maskFieldsBlockOrder',
  streams: ['stdout'],
  rules: [
    {
      pattern: /^[\s\S]+$/g,
      replacement: (text: string) =>
        text
          .split('\n\n')
          .filter((b) => b !== '')
          .sort()
          .map((b) => `${b}\n\n`)
          .join(''),
    },
  ],
};

/** `endpoint health -w table`: the data rows in any order (apply after maskTableLayout). */
export const maskTableRowOrder: Mask = {
  name: 'maskTableRowOrder',
  streams: ['stdout'],
  rules: [
    {
      pattern: /^[\s\S]+$/g,
      replacement: (text: string) => {
        const lines = text.split('\n');
        const rowIndexes = lines.flatMap((l, i) => (l.startsWith('|') ? [i] : [])).slice(1);
        const sorted = rowIndexes.map((i) => lines[i]!).sort();
        rowIndexes.forEach((lineIndex, k) => (lines[lineIndex] = sorted[k]!));
        return lines.join('\n');
      },
    },
  ],
};

/** The responding member of a multi-endpoint request: header member_id in json, json --hex and fields. */
export const maskHeaderMemberId: Mask = {
  name: 'maskHeaderMemberId',
  rules: [
    { pattern: /"member_id":(?:\d+|"[0-9a-f]+")/g, replacement: '"member_id":<MEMBER>' },
    { pattern: /^"MemberID" : \d+$/gm, replacement: '"MemberID" : <MEMBER>' },
  ],
};

/** Replaces every occurrence of the given member IDs (hex and decimal forms) by <NEW>. */
export function maskMemberIds(ids: readonly bigint[]): Mask {
  const forms = ids.flatMap((id) => [id.toString(16), id.toString(10)]).sort((a, b) => b.length - a.length);
  if (forms.length === 0) return { name: 'maskMemberIds', rules: [] };
  return {
    name: 'maskMemberIds',
    rules: [
      // `Member %16x added…`: the padding depends on the ID's length.
      { pattern: new RegExp(`Member +(?:${forms.join('|')})\\b`, 'g'), replacement: 'Member <NEW>' },
      { pattern: new RegExp(`\\b(?:${forms.join('|')})\\b`, 'g'), replacement: '<NEW>' },
    ],
  };
}

/**
 * Member order after a new member got a random ID: sorts the items of ETCD_INITIAL_CLUSTER and
 * the members of json member responses (apply after maskMemberIds).
 */
export const maskMemberOrder: Mask = {
  name: 'maskMemberOrder',
  streams: ['stdout'],
  rules: [
    { pattern: /^ETCD_INITIAL_CLUSTER="([^"\n]*)"$/gm, replacement: (_m: string, list: string) => `ETCD_INITIAL_CLUSTER="${list.split(',').sort().join(',')}"` },
    {
      pattern: /"members":\[((?:\{[^{}]*\},?)*)\]/g,
      replacement: (_m: string, list: string) => `"members":[${(list.match(/\{[^{}]*\}/g) ?? []).sort().join(',')}]`,
    },
    // simple/table member list lines start with the member ID
    {
      pattern: /((?:^(?:[0-9a-f]+|<NEW>), [^\n]*\n)+)/gm,
      replacement: (rows: string) => rows.split('\n').filter((r) => r !== '').sort().map((r) => `${r}\n`).join(''),
    },
  ],
};
