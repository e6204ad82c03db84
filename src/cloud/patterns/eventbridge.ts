/**
 * The EventBridge dialect: PutRule EventPattern and TestEventPattern. Errors are
 * InvalidEventPatternException "Event pattern is not valid. Reason: <event-ruler text>" followed by
 * Jackson's location line(s) [rec: test_events_patterns.snapshot.json].
 */
import { compileRule, RuleError } from './compile';
import { PatternError } from './errors';
import { JsonSyntaxError } from './json-lexer';
import { RuleMatcher } from './match';
import { EVENTBRIDGE, type Branch, type Dialect } from './types';
import { MAX_WILDCARD_COMPLEXITY, wildcardComplexity, type Glob } from './wildcard';

/** EventPattern is a string of at most 4096 characters [model]. */
export const EVENT_PATTERN_MAX_LENGTH = 4096;

export const TOO_COMPLEX =
  'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character';

/** The largest wildcard complexity over the fields of a rule (wildcards of one field add up). */
export function ruleComplexity(branches: Branch[]): number {
  const byField = new Map<string, Map<string, Glob>>();
  for (const branch of branches) {
    for (const [path, patterns] of branch) {
      for (const p of patterns) {
        const globs = p.kind === 'wildcard' ? [p.glob] : p.kind === 'anything-but-wildcard' ? p.globs : [];
        if (globs.length === 0) continue;
        const field = byField.get(path) ?? new Map<string, Glob>();
        // Equal patterns count once (branches forked by $or share them).
        for (const g of globs) field.set(`${p.kind}:${JSON.stringify(g)}`, g);
        byField.set(path, field);
      }
    }
  }
  let max = 0;
  for (const globs of byField.values()) max = Math.max(max, wildcardComplexity([...globs.values()]));
  return max;
}

/** Compiles with the event-ruler compiler; returns the branches or the bare reason text. */
export function compileBranches(text: string, dialect: Dialect): { branches: Branch[] } | { reason: string } {
  let branches: Branch[];
  try {
    branches = compileRule(text, dialect);
  } catch (e) {
    if (e instanceof JsonSyntaxError || e instanceof RuleError) return { reason: e.message };
    throw e;
  }
  if (dialect.wildcardComplexity && ruleComplexity(branches) > MAX_WILDCARD_COMPLEXITY) return { reason: TOO_COMPLEX };
  return { branches };
}

/** EventBridge event pattern (PutRule EventPattern, TestEventPattern). */
export function compileEventPattern(text: string): RuleMatcher {
  if ([...text].length > EVENT_PATTERN_MAX_LENGTH) {
    throw new PatternError(
      `1 validation error detected: Value '${text}' at 'eventPattern' failed to satisfy constraint: ` +
        `Member must have length less than or equal to ${EVENT_PATTERN_MAX_LENGTH}`,
      { code: 'ValidationException' },
    );
  }
  const result = compileBranches(text, EVENTBRIDGE);
  if ('reason' in result) {
    throw new PatternError(`Event pattern is not valid. Reason: ${result.reason}`, { code: 'InvalidEventPatternException' });
  }
  return new RuleMatcher(result.branches, EVENTBRIDGE);
}
