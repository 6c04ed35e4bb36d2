// etcdctl's `table` format: only the cluster/endpoint/snapshot listings support it.
import type { Formatter } from '../types.js';
import { endpointHashKVRows, endpointHealthRows, endpointStatusRows, memberListRows, type Rows } from '../cluster-rows.js';
import { renderTable } from '../table.js';

const table = ({ header, rows }: Rows) => renderTable(header, rows);

export const tableFormat: Formatter = {
  memberList: ({ resp }) => table(memberListRows(resp)),
  endpointHealth: ({ list }) => table(endpointHealthRows(list)),
  endpointStatus: ({ list }) => table(endpointStatusRows(list)),
  endpointHashKV: ({ list }) => table(endpointHashKVRows(list)),
};
