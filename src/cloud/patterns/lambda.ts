/**
 * The Lambda event-source-mapping dialect (one Filter's Pattern in FilterCriteria). Lambda "supports
 * the same set of syntax and rules as Amazon EventBridge" [doc], with these differences:
 *  - an exact number in a pattern matches the same number text only: 300, 300.0 and 3.0e2 differ [doc]
 *    (the numeric operator still compares values);
 *  - every refusal is InvalidParameterValueException "Invalid filter pattern definition." [rec].
 * The poller decides what to do with records whose data is not in the pattern's format [doc]; see
 * LambdaFilter.dataFormat.
 */
import { compileBranches } from './eventbridge';
import { PatternError } from './errors';
import { RuleMatcher } from './match';
import { LAMBDA } from './types';

export const INVALID_FILTER = 'Invalid filter pattern definition.';

export class LambdaFilter extends RuleMatcher {
  /**
   * How this filter reads a data property (`body` for SQS, `data` for Kinesis, `dynamodb`): 'json'
   * when it filters on fields inside it, 'plain' when it filters the property's value itself, 'none'
   * when it does not look at it. Lambda drops an SQS message whose body format differs from the
   * filter's (plain string body vs 'json', JSON body vs 'plain') [doc].
   */
  dataFormat(key: string): 'json' | 'plain' | 'none' {
    let plain = false;
    for (const branch of this.branches) {
      for (const path of branch.keys()) {
        if (path.startsWith(`${key}.`)) return 'json';
        if (path === key) plain = true;
      }
    }
    return plain ? 'plain' : 'none';
  }
}

/** Lambda ESM FilterCriteria pattern (one Filter's Pattern). */
export function compileLambdaFilter(text: string): LambdaFilter {
  const result = compileBranches(text, LAMBDA);
  if ('reason' in result) throw new PatternError(INVALID_FILTER, { code: 'InvalidParameterValueException' });
  return new LambdaFilter(result.branches, LAMBDA);
}
