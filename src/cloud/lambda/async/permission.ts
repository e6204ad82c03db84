/**
 * The resource-policy check Lambda makes when an AWS service (SNS, EventBridge, S3) invokes a
 * function: a statement must allow the service principal `lambda:InvokeFunction` (or `lambda:*`,
 * `*`), and its conditions (ArnLike / ArnEquals AWS:SourceArn, StringEquals AWS:SourceAccount) must
 * hold for the calling resource.
 */
import type { LambdaFunction, PolicyStatement } from '../model';

export interface ServiceCaller {
  principal: string;
  sourceArn?: string;
  sourceAccount: string;
}

/** IAM ArnLike: `*` matches any run of characters, `?` any one, per ARN segment as a whole string. */
function arnLike(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.split(/([*?])/).map((p) => (p === '*' ? '.*' : p === '?' ? '.' : p.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`);
  return re.test(value);
}

function principalMatches(principal: unknown, service: string): boolean {
  if (principal === '*') return true;
  if (principal && typeof principal === 'object') {
    const svc = (principal as { Service?: string | string[]; AWS?: string | string[] }).Service;
    const list = Array.isArray(svc) ? svc : svc ? [svc] : [];
    if (list.includes(service)) return true;
    const aws = (principal as { AWS?: string | string[] }).AWS;
    return aws === '*' || (Array.isArray(aws) && aws.includes('*'));
  }
  return false;
}

function conditionsHold(condition: PolicyStatement['Condition'], caller: ServiceCaller): boolean {
  if (!condition) return true;
  for (const [operator, entries] of Object.entries(condition)) {
    for (const [key, expected] of Object.entries(entries)) {
      const k = key.toLowerCase();
      const actual = k === 'aws:sourcearn' ? caller.sourceArn : k === 'aws:sourceaccount' ? caller.sourceAccount : undefined;
      if (actual === undefined) {
        // A key the caller does not supply (e.g. lambda:FunctionUrlAuthType) cannot hold.
        return false;
      }
      const values = Array.isArray(expected) ? (expected as string[]) : [expected];
      const ok = values.some((v) =>
        operator === 'ArnLike' || operator === 'StringLike' ? arnLike(v, actual) : operator === 'ArnEquals' || operator === 'StringEquals' ? v === actual : false,
      );
      if (!ok) return false;
    }
  }
  return true;
}

/** Whether these statements let the service invoke the function. */
export function allowsServiceInvoke(statements: PolicyStatement[] | undefined, caller: ServiceCaller): boolean {
  return (statements ?? []).some(
    (st) =>
      st.Effect === 'Allow' &&
      ['lambda:InvokeFunction', 'lambda:*', '*'].includes(st.Action) &&
      principalMatches(st.Principal, caller.principal) &&
      conditionsHold(st.Condition, caller),
  );
}

/**
 * Whether a function's resource policy lets the service invoke it, through the qualifier it is
 * named by (the unqualified policy for none or $LATEST).
 */
export function functionAllowsService(fn: Pick<LambdaFunction, 'policies'>, qualifier: string | undefined, caller: ServiceCaller): boolean {
  return allowsServiceInvoke(fn.policies.get(qualifier && qualifier !== '$LATEST' ? qualifier : ''), caller);
}

/** Lambda's AccessDeniedException text for a service its policy does not allow. */
export function notAuthorizedToInvoke(principal: string, functionArn: string): string {
  return `User: ${principal} is not authorized to perform: lambda:InvokeFunction on resource: ${functionArn} because no resource-based policy allows the lambda:InvokeFunction action`;
}
