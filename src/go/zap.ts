// THE zap log-line writer: the two zap encodings etcd 3.5's tools print on stderr, the production
// JSON encoder (etcdctl's loggers: `{"level":"info","ts":…,"caller":…,"msg":…,…}`) and the console
// encoder etcdutl uses (`<RFC3339 time>\tinfo\t<caller>\t<msg>\t{"k": v, …}`), both with local
// time. Go's zap adds a "stacktrace" to error and fatal lines naming etcdctl's own Go source files:
// left out here (README, intentional differences).

export type ZapValue = string | number | bigint | boolean | string[];
export type ZapFields = [string, ZapValue][];

/** zap's JSON string escaping (no HTML escaping, unlike encoding/json). */
export function zapString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\' || ch === '"') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20) out += `\\u00${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

function value(v: ZapValue, spaced: boolean): string {
  if (Array.isArray(v)) return `[${v.map(zapString).join(spaced ? ', ' : ',')}]`;
  if (typeof v === 'string') return zapString(v);
  return String(v);
}

function fieldsText(fields: ZapFields, spaced: boolean): string {
  const sep = spaced ? ': ' : ':';
  return fields.map(([k, v]) => `${zapString(k)}${sep}${value(v, spaced)}`).join(spaced ? ', ' : ',');
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function zoneSuffix(date: Date, colon: boolean): string {
  const offset = -date.getTimezoneOffset();
  if (offset === 0) return 'Z';
  const sign = offset > 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return `${sign}${pad(Math.floor(abs / 60))}${colon ? ':' : ''}${pad(abs % 60)}`;
}

function localDateTime(date: Date): string {
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

/** Now, with microseconds (Date alone has milliseconds). */
function nowWithMicros(): { date: Date; micros: number } {
  const ms = performance.timeOrigin + performance.now();
  return { date: new Date(Math.floor(ms)), micros: Math.floor(ms * 1000) % 1_000_000 };
}

/** Go layout 2006-01-02T15:04:05.000000Z0700 (etcd's JSON loggers). */
export function zapJsonTime(date?: Date): string {
  const now = date ? { date, micros: date.getMilliseconds() * 1000 } : nowWithMicros();
  return `${localDateTime(now.date)}.${pad(now.micros, 6)}${zoneSuffix(now.date, false)}`;
}

/** Go's time.RFC3339 (etcdutl's console logger). */
export function rfc3339Time(date: Date = new Date()): string {
  return `${localDateTime(date)}${zoneSuffix(date, true)}`;
}

export type ZapLevel = 'debug' | 'info' | 'warn' | 'error' | 'panic' | 'fatal';

export interface ZapEntry {
  level: ZapLevel;
  caller: string;
  msg: string;
  fields?: ZapFields;
  /** Named logger (e.g. "client"), printed after ts. */
  logger?: string;
}

export function zapJsonLine(e: ZapEntry, date?: Date): string {
  const logger = e.logger ? `,"logger":${zapString(e.logger)}` : '';
  const fields = e.fields && e.fields.length > 0 ? `,${fieldsText(e.fields, false)}` : '';
  return `{"level":"${e.level}","ts":"${zapJsonTime(date)}"${logger},"caller":${zapString(e.caller)},"msg":${zapString(e.msg)}${fields}}\n`;
}

export function zapConsoleLine(e: ZapEntry, date: Date = new Date()): string {
  const logger = e.logger ? `\t${e.logger}` : '';
  const fields = e.fields && e.fields.length > 0 ? `\t{${fieldsText(e.fields, true)}}` : '';
  return `${rfc3339Time(date)}\t${e.level}${logger}\t${e.caller}\t${e.msg}${fields}\n`;
}

/** A JSON line from its parts, fields in the order given (etcdctl's flag warnings, client lines). */
export function zapLine(level: ZapLevel, caller: string, msg: string, fields: Record<string, ZapValue>, logger?: string): string {
  return zapJsonLine({ level, caller, msg, fields: Object.entries(fields), ...(logger ? { logger } : {}) });
}
