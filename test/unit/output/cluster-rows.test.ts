// Renderers of the cluster commands' results, checked against output captured from etcdctl 3.5.16.
import { describe, expect, it } from 'vitest';
import { alarmMemberText, memberListHexJson } from '../../../src/output/cluster-rows.js';
import { goJsonString } from '../../../src/go/encode.js';
import { render } from '../../../src/output/render.js';
import type { Result } from '../../../src/output/types.js';

const header = { cluster_id: '11104962331706985520', member_id: '7783904368399243678', revision: '0', raft_term: '5' };
const m0 = { ID: '7783904368399243678', name: 'm0', peerURLs: ['http://127.0.0.1:41301'], clientURLs: ['http://127.0.0.1:41300'], isLearner: false };
const unstarted = { ID: '13145669340577187368', name: '', peerURLs: ['http://127.0.0.1:41399'], clientURLs: [], isLearner: true };
const text = (format: Parameters<typeof render>[0], result: Result, hex = false) => Buffer.from(render(format, result, { hex })).toString();

describe('member list', () => {
  const result: Result = { kind: 'memberList', resp: { header, members: [m0, unstarted] } };

  it('simple', () => {
    expect(text('simple', result)).toBe(
      '6c05fbc83c0c599e, started, m0, http://127.0.0.1:41301, http://127.0.0.1:41300, false\n' +
        'b66ecc9dd3d8c628, unstarted, , http://127.0.0.1:41399, , true\n',
    );
  });

  it('json --hex: hex strings, the clientURLS key, null for an empty list, no isLearner', () => {
    expect(memberListHexJson(result.resp, goJsonString)).toBe(
      '{"header":{"cluster_id":"9a1cc067717d0c30","member_id":"6c05fbc83c0c599e","raft_term":5},"members":[' +
        '{"ID":"6c05fbc83c0c599e","name":"m0","peerURLs":["http://127.0.0.1:41301"],"clientURLS":["http://127.0.0.1:41300"]},' +
        '{"ID":"b66ecc9dd3d8c628","name":"","peerURLs":["http://127.0.0.1:41399"],"clientURLS":null}]}',
    );
    expect(memberListHexJson({ header, members: [] }, goJsonString)).toBe(
      '{"header":{"cluster_id":"9a1cc067717d0c30","member_id":"6c05fbc83c0c599e","raft_term":5}}',
    );
  });

  it('table', () => {
    expect(text('table', result)).toBe(
      [
        '+------------------+-----------+------+------------------------+------------------------+------------+',
        '|        ID        |  STATUS   | NAME |       PEER ADDRS       |      CLIENT ADDRS      | IS LEARNER |',
        '+------------------+-----------+------+------------------------+------------------------+------------+',
        '| 6c05fbc83c0c599e |   started |   m0 | http://127.0.0.1:41301 | http://127.0.0.1:41300 |      false |',
        '| b66ecc9dd3d8c628 | unstarted |      | http://127.0.0.1:41399 |                        |       true |',
        '+------------------+-----------+------+------------------------+------------------------+------------+',
        '',
      ].join('\n'),
    );
  });
});

describe('member add/remove/update/promote', () => {
  it('pads IDs to 16 with spaces and prints the ETCD_* lines in simple', () => {
    const resp = {
      header: { ...header, cluster_id: String(0x48276a8f75b6a87n) },
      member: { ...unstarted, ID: String(0x31e1510f01947eden), isLearner: false },
      members: [m0, { ...unstarted, ID: String(0x31e1510f01947eden), isLearner: false }],
    };
    expect(text('simple', { kind: 'memberAdd', resp, name: 'm4', peerUrls: 'http://127.0.0.1:41399' })).toBe(
      'Member 31e1510f01947ede added to cluster  48276a8f75b6a87\n\n' +
        'ETCD_NAME="m4"\n' +
        'ETCD_INITIAL_CLUSTER="m0=http://127.0.0.1:41301,m4=http://127.0.0.1:41399"\n' +
        'ETCD_INITIAL_ADVERTISE_PEER_URLS="http://127.0.0.1:41399"\n' +
        'ETCD_INITIAL_CLUSTER_STATE="existing"\n',
    );
    expect(text('simple', { kind: 'memberRemove', resp: { header, members: [] }, id: 0xabcn })).toBe(
      'Member              abc removed from cluster 9a1cc067717d0c30\n',
    );
  });

  it('promote -w json prints the response (the etcdctl 3.5.x fix; 3.5.16 panics)', () => {
    expect(text('json', { kind: 'memberPromote', resp: { header, members: [m0] }, id: 1n })).toBe(
      '{"header":{"cluster_id":11104962331706985520,"member_id":7783904368399243678,"raft_term":5},"members":[{"ID":7783904368399243678,"name":"m0","peerURLs":["http://127.0.0.1:41301"],"clientURLs":["http://127.0.0.1:41300"]}]}\n',
    );
    expect(() => text('fields', { kind: 'memberPromote', resp: { header, members: [] }, id: 1n })).toThrow('fields not supported as output format');
  });
});

describe('alarms', () => {
  it('formats an alarm as protobuf compact text, zero fields left out', () => {
    expect(alarmMemberText({ memberID: '10608898954038455804', alarm: 1 })).toBe('memberID:10608898954038455804 alarm:NOSPACE ');
    expect(alarmMemberText({ memberID: '1', alarm: 2 })).toBe('memberID:1 alarm:CORRUPT ');
    expect(alarmMemberText({ memberID: '0', alarm: 0 })).toBe('');
    expect(alarmMemberText({ memberID: '1', alarm: 7 as never })).toBe('memberID:1 alarm:7 ');
  });

  it('fields and json', () => {
    const result: Result = { kind: 'alarm', resp: { header, alarms: [{ memberID: '5', alarm: 1 }] } };
    expect(text('fields', result)).toBe(
      '"ClusterID" : 11104962331706985520\n"MemberID" : 7783904368399243678\n"Revision" : 0\n"RaftTerm" : 5\n"MemberID" : 5\n"AlarmType" : NOSPACE\n\n',
    );
    expect(text('json', { kind: 'alarm', resp: { header: null, alarms: [] } })).toBe('{}\n');
  });
});

describe('endpoint results', () => {
  it('health: fields keep the trailing space of empty values; json omits an empty error', () => {
    const list = [
      { endpoint: '127.0.0.1:2379', health: true, took: '3.49ms', error: '' },
      { endpoint: 'x:1', health: false, took: '', error: 'context deadline exceeded' },
    ];
    expect(text('fields', { kind: 'endpointHealth', list })).toBe(
      '"Endpoint" : "127.0.0.1:2379"\n"Health" : true\n"Took" : 3.49ms\n"Error" : \n\n' +
        '"Endpoint" : "x:1"\n"Health" : false\n"Took" : \n"Error" : context deadline exceeded\n\n',
    );
    expect(text('json', { kind: 'endpointHealth', list })).toBe(
      '[{"endpoint":"127.0.0.1:2379","health":true,"took":"3.49ms"},{"endpoint":"x:1","health":false,"took":"","error":"context deadline exceeded"}]\n',
    );
    expect(text('json', { kind: 'endpointHealth', list: [] })).toBe('[]\n');
    expect(() => text('protobuf', { kind: 'endpointHealth', list })).toThrow('protobuf not supported as output format');
  });

  it('status: simple line ends in ", " without errors; fields print errors as a Go slice', () => {
    const resp = {
      header,
      version: '3.5.16',
      dbSize: '24576',
      leader: header.member_id,
      raftIndex: '23',
      raftTerm: '5',
      raftAppliedIndex: '23',
      errors: [],
      dbSizeInUse: '16384',
      isLearner: false,
    };
    expect(text('simple', { kind: 'endpointStatus', list: [{ endpoint: 'e:1', resp }] })).toBe(
      'e:1, 6c05fbc83c0c599e, 3.5.16, 25 kB, true, false, 5, 23, 23, \n',
    );
    const withErrors = { ...resp, errors: ['memberID:1 alarm:NOSPACE ', 'b'] };
    expect(text('simple', { kind: 'endpointStatus', list: [{ endpoint: 'e:1', resp: withErrors }] })).toMatch(
      /, 23, 23, memberID:1 alarm:NOSPACE , b\n$/,
    );
    expect(text('fields', { kind: 'endpointStatus', list: [{ endpoint: 'e:1', resp: withErrors }] })).toContain(
      '"Errors" : [memberID:1 alarm:NOSPACE  b]\n"Endpoint" : "e:1"\n\n',
    );
  });
});
