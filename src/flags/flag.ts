// pflag's flag model: what a flag is (FlagSpec), the value it holds, and how text becomes that
// value with Go's syntax and error texts. Below the command tree, so config/, kv/ and txn/ can
// read flags without importing the CLI.
import { parseGoDuration } from '../go/duration.js';
import { parseCsvRecord, parseGoBool, parseGoInt64, parseGoUint64 } from './go-values.js';

export type FlagKind = 'bool' | 'string' | 'int64' | 'uint64' | 'int' | 'duration' | 'stringSlice';

export interface FlagSpec {
  name: string;
  short?: string;
  kind: FlagKind;
  /** The default as pflag's DefValue text (what `--help` shows and what the flag holds when unset). */
  defaultText: string;
  help: string;
  /** Inherited by subcommands, like cobra's persistent flags. */
  persistent?: boolean;
  hidden?: boolean;
  /**
   * An etcdctl-ts addition (implies hidden): kept out of etcdctl's usage texts, never read from an
   * ETCDCTL_* variable nor listed by --debug, but offered by shell completion and `help extras`.
   */
  extra?: boolean;
}

export type FlagValue = boolean | string | bigint | string[];

export interface ParsedFlag {
  spec: FlagSpec;
  value: FlagValue;
  /** Given on the command line (pflag's Changed). */
  changed: boolean;
}

/** Parses a flag value of the given kind from text; throws with Go's message on bad input. */
export function parseFlagValue(spec: FlagSpec, text: string, previous?: FlagValue, previouslyChanged = false): FlagValue {
  switch (spec.kind) {
    case 'bool':
      return parseGoBool(text);
    case 'string':
      return text;
    case 'int64':
    case 'int':
      return parseGoInt64(text);
    case 'uint64':
      return parseGoUint64(text);
    case 'duration':
      return parseGoDuration(text).toString();
    case 'stringSlice': {
      const items = parseCsvRecord(text);
      // pflag: the first Set replaces the default, later ones append.
      return previouslyChanged && Array.isArray(previous) ? [...previous, ...items] : items;
    }
  }
}

/** The value a flag holds when it was not given. */
export function defaultFlagValue(spec: FlagSpec): FlagValue {
  switch (spec.kind) {
    case 'bool':
      return spec.defaultText === 'true';
    case 'stringSlice':
      return spec.defaultText === '[]' ? [] : parseCsvRecord(spec.defaultText.replace(/^\[|\]$/g, ''));
    case 'duration':
      return parseGoDuration(spec.defaultText).toString();
    case 'int64':
    case 'int':
    case 'uint64':
      return BigInt(spec.defaultText);
    case 'string':
      return spec.defaultText;
  }
}
