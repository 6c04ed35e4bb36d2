// alarm list / alarm disarm.
import { type Invocation, commandLineDeadline, connectAndCall } from '../cli/invocation.js';
import type { Result } from '../output/types.js';
import { CtlError, ExitCode, GoPanicError } from '../common/errors.js';
import type { AlarmResponse__Output } from '../generated/etcdserverpb/AlarmResponse.js';

async function runAlarmList(inv: Invocation): Promise<Result> {
  if (inv.args.length !== 0) throw new CtlError(ExitCode.BadArgs, 'alarm list command accepts no arguments');
  return connectAndCall(inv, async ({ maintenance }, deadline) => ({ kind: 'alarm', resp: await maintenance.alarmList(deadline) }));
}

/**
 * Like clientv3's AlarmDisarm with no member and no alarm type: list the alarms, then disarm
 * each one; the result gathers what the server reported disarmed, and has no header.
 */
async function runAlarmDisarm(inv: Invocation): Promise<Result> {
  if (inv.args.length !== 0) throw new CtlError(ExitCode.BadArgs, 'alarm disarm command accepts no arguments');
  const deadline = commandLineDeadline(inv);
  const session = await inv.connect();
  const { maintenance } = session.client;
  const resp: AlarmResponse__Output = { header: null, alarms: [] };
  const active = await maintenance.alarmList(deadline);
  for (const alarm of active.alarms) {
    const disarmed = await maintenance.alarmDisarm(alarm.memberID, alarm.alarm, deadline);
    resp.alarms.push(...disarmed.alarms);
  }
  if (session.config.display.format === 'fields') {
    // etcdctl's fields printer dereferences the missing header: a Go nil-pointer panic.
    throw new GoPanicError('runtime error: invalid memory address or nil pointer dereference');
  }
  return { kind: 'alarm', resp };
}

/** The run functions, by command name (commands/specs/ says what each command is). */
export const ALARM_RUNS = { disarm: runAlarmDisarm, list: runAlarmList };
