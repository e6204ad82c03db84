/**
 * The compiled form of a rule, shared by the compiler (compile.ts) and the matcher (match.ts).
 * A rule is a list of branches ($or expands into several); a branch maps a dot-joined field path
 * ("detail.state") to the value patterns any of which may match that field.
 */
import type { IpRange } from './ip';
import type { NumberModel, NumericRange } from './numbers';
import type { Glob } from './wildcard';

export type ValuePattern =
  | { kind: 'exact-string'; value: string }
  /** A JSON number in the rule: `key` is its comparable form when it has one. */
  | { kind: 'exact-number'; text: string; key: number | undefined }
  | { kind: 'exact-literal'; value: boolean | null }
  /** An IP address literal or a cidr block, matched against IP strings in the event. */
  | { kind: 'ip'; range: IpRange }
  | { kind: 'prefix'; value: string; ignoreCase: boolean }
  | { kind: 'suffix'; value: string; ignoreCase: boolean }
  | { kind: 'equals-ignore-case'; value: string }
  | { kind: 'wildcard'; glob: Glob }
  | { kind: 'numeric'; range: NumericRange }
  | { kind: 'exists'; exists: boolean }
  /** anything-but over plain values: strings, or numbers (by comparable key). */
  | { kind: 'anything-but'; strings: Set<string>; keys: Set<number> | undefined }
  | { kind: 'anything-but-prefix'; values: string[] }
  | { kind: 'anything-but-suffix'; values: string[] }
  | { kind: 'anything-but-ignore-case'; values: string[] }
  | { kind: 'anything-but-wildcard'; globs: Glob[] };

export type Branch = Map<string, ValuePattern[]>;

/** Dialect switches: where the three services' engines differ. */
export interface Dialect {
  /** Comparable form of numbers. */
  numbers: NumberModel;
  /** Lambda compares exact numbers by their text (300 != 300.0) [doc]. */
  exactNumbersByText: boolean;
  /** SNS: `{"exists": true}` needs a value that is neither null nor "" [doc]. */
  existsNeedsValue: boolean;
  /**
   * SNS runs an early event-ruler: anything-but takes only `prefix`, prefix/suffix take only
   * strings, no wildcard validation, "Null prefix not allowed" [rec][obs].
   */
  legacyRuler: boolean;
  /** Check wildcard complexity (EventBridge; Lambda shares the engine). */
  wildcardComplexity: boolean;
}

export const EVENTBRIDGE: Dialect = {
  numbers: 'double',
  exactNumbersByText: false,
  existsNeedsValue: false,
  legacyRuler: false,
  wildcardComplexity: true,
};

export const LAMBDA: Dialect = { ...EVENTBRIDGE, exactNumbersByText: true };

export const SNS: Dialect = {
  numbers: 'sns',
  exactNumbersByText: false,
  existsNeedsValue: true,
  legacyRuler: true,
  wildcardComplexity: false,
};
