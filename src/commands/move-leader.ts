// move-leader: asks the current leader to hand leadership to another member.
import type { Invocation } from '../cli/invocation.js';
import { parseGoUint64 } from '../flags/go-values.js';
import { CtlError, ExitCode, RpcError, asCtlError } from '../common/errors.js';
import type { EtcdClient } from '../client/services.js';
import { warnings } from './endpoint.js';
import type { Result } from '../output/types.js';

async function runMoveLeader(inv: Invocation): Promise<Result> {
  if (inv.args.length !== 1) throw new CtlError(ExitCode.BadArgs, 'move-leader command needs 1 argument');
  let target: bigint;
  try {
    target = parseGoUint64(inv.args[0]!, 16);
  } catch (err) {
    throw new CtlError(ExitCode.BadArgs, (err as Error).message);
  }
  const session = await inv.connect();
  const { connectClient } = await import('../client/endpoint-dial.js');
  const config = session.config.client;
  // One deadline for the whole search and the transfer, as etcdctl does.
  const deadline = session.client.connection.commandDeadline();

  // The request must reach the leader: ask each endpoint alone until one is the leader.
  let leader: { client: EtcdClient; id: string } | undefined;
  for (const endpoint of config.endpoints) {
    let client: EtcdClient;
    try {
      client = await connectClient({ ...config, endpoints: [endpoint] }, warnings(inv));
    } catch (err) {
      if (err instanceof RpcError) throw new CtlError(ExitCode.BadConnection, err.message);
      throw err;
    }
    try {
      const status = await client.maintenance.status(deadline);
      if (status.header?.member_id === status.leader) {
        leader = { client, id: status.leader };
        break;
      }
    } catch (err) {
      client.close();
      throw asCtlError(err);
    }
    client.close();
  }
  if (!leader) throw new CtlError(ExitCode.BadArgs, `no leader endpoint given at [${config.endpoints.join(' ')}]`);

  try {
    const resp = await leader.client.maintenance.moveLeader(target.toString(), deadline).catch((err) => {
      throw asCtlError(err);
    });
    return { kind: 'moveLeader', resp, leader: leader.id, target };
  } finally {
    leader.client.close();
  }
}

/** The run functions, by command name (commands/specs/ says what each command is). */
export const MOVE_LEADER_RUNS = { 'move-leader': runMoveLeader };
