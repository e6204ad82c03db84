/**
 * rest-api-authorizer: a Lambda authorizer (TOKEN or REQUEST) for the REST API scenarios, driven
 * by the token (TOKEN: authorizationToken; REQUEST: the `auth` header, else the `token` query
 * parameter):
 *   allow          an IAM policy allowing every method of the API's stage, with a context
 *   deny           an explicit Deny on the method
 *   other          an Allow on another path only (an implicit deny here)
 *   unauthorized   throws Error("Unauthorized") (API Gateway answers 401)
 *   throw          throws another error (500)
 *   garbage        a string, not an authorizer answer (500)
 *   nested         a context holding an object (500)
 *   keyed          allow, with usageIdentifierKey "scenario-usage-identifier-key-0001"
 * The context carries `invocation` (this environment's count of calls: a scenario sees whether an
 * answer came from API Gateway's cache), a number, a boolean and the event type.
 */
let invocations = 0;

interface AuthorizerEvent {
  type?: string;
  methodArn: string;
  authorizationToken?: string;
  headers?: Record<string, string> | null;
  queryStringParameters?: Record<string, string> | null;
}

export const USAGE_KEY = 'scenario-usage-identifier-key-0001';

export const handler = async (event: AuthorizerEvent): Promise<unknown> => {
  invocations += 1;
  const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const token = event.type === 'TOKEN' ? event.authorizationToken : (headers.auth ?? event.queryStringParameters?.token);
  if (token === 'unauthorized') throw new Error('Unauthorized');
  if (token === 'throw') throw new Error('authorizer exploded');
  if (token === 'garbage') return 'not an authorizer answer';
  // arn:aws:execute-api:<region>:<account>:<api>/<stage>/<verb>/<path>
  const [apiAndStage] = [event.methodArn.split('/').slice(0, 2).join('/')];
  const resource = token === 'deny' ? event.methodArn : token === 'other' ? `${apiAndStage}/GET/elsewhere` : `${apiAndStage}/*`;
  return {
    principalId: `user-${token}`,
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: token === 'deny' ? 'Deny' : 'Allow', Resource: resource }] },
    context: token === 'nested' ? { nested: { a: 1 } } : { invocation: invocations, number: 7, flag: true, type: event.type ?? 'none' },
    ...(token === 'keyed' ? { usageIdentifierKey: USAGE_KEY } : {}),
  };
};
