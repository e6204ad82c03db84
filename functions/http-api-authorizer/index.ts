/**
 * http-api-authorizer: a Lambda authorizer for the HTTP API scenarios, driven by the identity it
 * is given (the first identity source's value: payload 2.0 `identitySource[0]`, 1.0
 * `identitySource`):
 *   allow          simple response {isAuthorized: true, context}
 *   deny           simple response {isAuthorized: false}
 *   policy-allow   IAM policy allowing the route (routeArn / methodArn), with context
 *   policy-deny    IAM policy denying it
 *   policy-other   IAM policy allowing another resource only
 *   garbage        a string, not an authorizer answer
 *   throw          an error (Unhandled)
 * The context carries `invocation`, a count of this environment's invocations, so a scenario sees
 * whether an answer came from the authorizer cache, and `identity` (what it was given).
 */
let invocations = 0;

interface AuthorizerEvent {
  version?: string;
  identitySource?: string[] | string;
  routeArn?: string;
  methodArn?: string;
}

export const handler = async (event: AuthorizerEvent): Promise<unknown> => {
  invocations += 1;
  const identity = Array.isArray(event.identitySource) ? event.identitySource[0] : (event.identitySource ?? '').split(',')[0];
  const context = { invocation: invocations, identity, version: event.version ?? 'none', list: ['a', 'b'] };
  const resource = event.routeArn ?? event.methodArn ?? '*';
  const policy = (effect: 'Allow' | 'Deny', res: string) => ({
    principalId: 'scenario-user',
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: res }] },
    context,
  });
  switch (identity) {
    case 'allow':
      return { isAuthorized: true, context };
    case 'deny':
      return { isAuthorized: false, context };
    case 'policy-allow':
      return policy('Allow', resource);
    case 'policy-deny':
      return policy('Deny', resource);
    case 'policy-other':
      return policy('Allow', 'arn:aws:execute-api:us-east-1:000000000000:other/*');
    case 'garbage':
      return 'not an authorizer answer';
    case 'throw':
      throw new Error('authorizer exploded');
    default:
      return { isAuthorized: false, context };
  }
};
