/**
 * The one content-matching engine of the embedded cloud (pure logic: no HTTP, no state):
 *  - EventBridge event patterns (PutRule EventPattern, TestEventPattern),
 *  - SNS subscription filter policies (a dialect: attribute or body scope, early engine, limits),
 *  - Lambda event-source-mapping FilterCriteria (a dialect: exact numbers by text).
 * All three are aws/event-ruler underneath; compile.ts follows its compiler, match.ts its matching.
 *
 * Events may be plain JavaScript values or come from parseEventJson, which keeps the text of numbers
 * (300.0 stays 300.0, big integers stay exact) — use it where the number text matters (Lambda).
 */
import { compileEventPattern as compileEventBridge } from './eventbridge';
import { compileLambdaFilter as compileLambda, type LambdaFilter } from './lambda';

export { PatternError } from './errors';
export { compileSnsFilterPolicy, MAX_POLICY_BYTES, MAX_POLICY_COMBINATIONS, MAX_POLICY_KEYS } from './sns';
export type { FilterPolicyScope, SnsFilter, SnsMessageForFilter } from './sns';
export { EVENT_PATTERN_MAX_LENGTH } from './eventbridge';
export { INVALID_FILTER } from './lambda';
export type { LambdaFilter } from './lambda';
export { JsonNumber, parseEventJson } from './json-value';
export { JsonSyntaxError } from './json-lexer';

export interface Pattern {
  matches(event: unknown): boolean;
}

/**
 * EventBridge event pattern (PutRule EventPattern, TestEventPattern). Throws PatternError with
 * EventBridge's message, "Event pattern is not valid. Reason: ..." plus Jackson's location line
 * (code InvalidEventPatternException), or the 4096-character ValidationException.
 */
export function compileEventPattern(text: string): Pattern {
  return compileEventBridge(text);
}

/**
 * Lambda ESM FilterCriteria pattern (one Filter's Pattern). Lambda dialect: numbers compare by value
 * only with the numeric operator; exact numbers compare by their text (300 != 300.0). Throws
 * PatternError "Invalid filter pattern definition." (code InvalidParameterValueException).
 */
export function compileLambdaFilter(text: string): Pattern & Pick<LambdaFilter, 'dataFormat'> {
  return compileLambda(text);
}
