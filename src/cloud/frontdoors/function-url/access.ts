/**
 * Who may call a Function URL [doc urls-auth.html]:
 * - AuthType NONE: the resource policy of the URL's function (or alias) must allow the public
 *   `lambda:InvokeFunctionUrl` (AddPermission --function-url-auth-type NONE writes it with the
 *   condition lambda:FunctionUrlAuthType = NONE) AND, since October 2025, `lambda:InvokeFunction`
 *   (AddPermission --invoked-via-function-url writes it with Bool lambda:InvokedViaFunctionUrl "true").
 *   Otherwise 403 AccessDeniedException {"Message":"Forbidden. For troubleshooting Function URL
 *   authorization issues, see: https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html"} [rec].
 * - AWS_IAM: the request must be SigV4-signed. The signature is NOT verified (the cloud has no secret
 *   store; the AWS API side does not verify either); callers are this account's principals, whom
 *   their identity policies may allow, so a signed request is accepted. An unsigned one gets 403
 *   {"Message":"Forbidden"} [obs: the answer AWS users report; not recorded].
 */
import type { PolicyStatement } from '../../lambda/model';
import { parseCredentialScope } from '../../protocols/sigv4';
import type { RawRequest } from '../../protocols/types';

export const FORBIDDEN_TROUBLESHOOTING =
  'Forbidden. For troubleshooting Function URL authorization issues, see: https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html';

export type Access =
  | { ok: true; accountId: string; authorizer?: unknown }
  | { ok: false; message: string };

interface UrlCallContext {
  authType: 'NONE' | 'AWS_IAM';
}

function actionMatches(action: unknown, wanted: string): boolean {
  const list = Array.isArray(action) ? action : [action];
  return list.some((a) => {
    if (typeof a !== 'string') return false;
    const l = a.toLowerCase();
    return l === '*' || l === 'lambda:*' || l === wanted.toLowerCase();
  });
}

function isPublic(principal: unknown): boolean {
  if (principal === '*') return true;
  if (principal && typeof principal === 'object') {
    const aws = (principal as { AWS?: unknown }).AWS;
    return aws === '*' || (Array.isArray(aws) && aws.includes('*'));
  }
  return false;
}

/** The condition keys a Function URL request supplies; any other key cannot hold for it. */
function conditionsHold(condition: PolicyStatement['Condition'], call: UrlCallContext): boolean {
  if (!condition) return true;
  for (const [operator, entries] of Object.entries(condition)) {
    for (const [key, expected] of Object.entries(entries)) {
      const k = key.toLowerCase();
      const actual = k === 'lambda:functionurlauthtype' ? call.authType : k === 'lambda:invokedviafunctionurl' ? 'true' : undefined;
      if (actual === undefined) return false;
      const values = (Array.isArray(expected) ? expected : [expected]).map(String);
      const op = operator.toLowerCase();
      const ok =
        op === 'stringequals' || op === 'bool'
          ? values.includes(actual)
          : op === 'stringequalsignorecase'
            ? values.some((v) => v.toLowerCase() === actual.toLowerCase())
            : op === 'stringlike'
              ? values.some((v) => new RegExp(`^${v.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(actual))
              : false;
      if (!ok) return false;
    }
  }
  return true;
}

function allows(statements: PolicyStatement[] | undefined, action: string, call: UrlCallContext): boolean {
  return (statements ?? []).some((st) => st.Effect === 'Allow' && actionMatches(st.Action, action) && isPublic(st.Principal) && conditionsHold(st.Condition, call));
}

/** Whether the policy lets anyone call a NONE Function URL: both actions must be allowed. */
export function allowsPublicUrl(statements: PolicyStatement[] | undefined): boolean {
  const call: UrlCallContext = { authType: 'NONE' };
  return allows(statements, 'lambda:InvokeFunctionUrl', call) && allows(statements, 'lambda:InvokeFunction', call);
}

/** Whether a request carries a SigV4 signature (header or presigned query). */
export function isSigned(req: RawRequest): boolean {
  const auth = req.headers.authorization ?? '';
  if (/^AWS4-HMAC-SHA256\s/i.test(auth)) return Boolean(parseCredentialScope(auth));
  return req.query.has('X-Amz-Signature') && Boolean(parseCredentialScope(undefined, req.query));
}

/**
 * The verdict for one request, and what the event says about the caller: requestContext.accountId
 * is "anonymous" for NONE [obs: real events; docs show the owner's account], the signer's account
 * with requestContext.authorizer.iam for AWS_IAM [doc].
 */
export function checkAccess(authType: 'NONE' | 'AWS_IAM', statements: PolicyStatement[] | undefined, req: RawRequest, callerAccount: string): Access {
  if (authType === 'NONE') {
    return allowsPublicUrl(statements) ? { ok: true, accountId: 'anonymous' } : { ok: false, message: FORBIDDEN_TROUBLESHOOTING };
  }
  if (!isSigned(req)) return { ok: false, message: 'Forbidden' };
  const scope = parseCredentialScope(req.headers.authorization, req.query)!;
  const userArn = `arn:aws:iam::${callerAccount}:root`;
  return {
    ok: true,
    accountId: callerAccount,
    authorizer: {
      iam: {
        accessKey: scope.accessKeyId,
        accountId: callerAccount,
        callerId: callerAccount,
        cognitoIdentity: null,
        principalOrgId: null,
        userArn,
        userId: callerAccount,
      },
    },
  };
}
