/** Resource-based policy operations: AddPermission, GetPolicy, RemovePermission. */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../errors';
import type { RequestContext } from '../protocols/types';
import type { LambdaFunction } from './model';
import { type LambdaService, notFoundQualifier } from './service';
import { checkRevision, fail, optBool, optString } from './validate';

/**
 * The resource a policy belongs to: $LATEST (unqualified), a version or an alias. Its RevisionId is
 * the policy's RevisionId, and adding or removing a statement gives it a new one.
 */
function policyTarget(fn: LambdaFunction, q: string | undefined): { revisionId: string } {
  if (!q) return fn.latest;
  const v = fn.versions.get(q);
  if (v) return v;
  const alias = fn.aliases.get(q);
  if (alias) return alias;
  // An alias-shaped qualifier is looked up as an alias; anything else as a version.
  if (/^(?!^[0-9]+$)[a-zA-Z0-9-_]+$/.test(q)) throw new AwsError('ResourceNotFoundException', `Cannot find alias arn: ${fn.arn}:${q}`, 404);
  throw notFoundQualifier(fn, q);
}

export function addPermission(lambda: LambdaService, ctx: RequestContext, name: unknown, qualifier: string | null, input: Record<string, unknown>) {
  const { fn, qualifier: q } = lambda.ref(ctx, name, qualifier);
  if (q === '$LATEST') throw new AwsError('InvalidParameterValueException', 'We currently do not support adding policies for $LATEST.');
  const sid = optString(input, 'StatementId', 'statementId', { min: 1, max: 100, pattern: /^([a-zA-Z0-9-_]+)$/, patternText: '([a-zA-Z0-9-_]+)' });
  if (sid === undefined) fail('statementId', null, 'Member must not be null');
  const action = optString(input, 'Action', 'action', { pattern: /^(lambda:[*]|lambda:[a-zA-Z]+|[*])$/, patternText: '(lambda:[*]|lambda:[a-zA-Z]+|[*])' });
  if (action === undefined) fail('action', null, 'Member must not be null');
  const principal = optString(input, 'Principal', 'principal', { pattern: /^[^\s]+$/, patternText: '[^\\s]+' });
  if (principal === undefined) fail('principal', null, 'Member must not be null');
  const sourceArn = optString(input, 'SourceArn', 'sourceArn');
  const sourceAccount = optString(input, 'SourceAccount', 'sourceAccount');
  const orgId = optString(input, 'PrincipalOrgID', 'principalOrgID');
  const urlAuth = optString(input, 'FunctionUrlAuthType', 'functionUrlAuthType');
  const eventSourceToken = optString(input, 'EventSourceToken', 'eventSourceToken');
  // [model] InvokedViaFunctionUrl (boolean): the statement holds only for invocations through a
  // function URL; written as Bool lambda:InvokedViaFunctionUrl "true" [doc].
  const viaUrl = optBool(input, 'InvokedViaFunctionUrl');
  const target = policyTarget(fn, q);
  checkRevision(input, target.revisionId);
  const statements = fn.policies.get(q ?? '') ?? [];
  if (statements.some((st) => st.Sid === sid)) {
    throw new AwsError('ResourceConflictException', `The statement id (${sid}) provided already exists. Please provide a new statement id, or remove the existing statement.`, 409);
  }
  // Condition keys in the order AWS writes them.
  const equals: Record<string, string> = {};
  if (urlAuth) equals['lambda:FunctionUrlAuthType'] = urlAuth;
  if (orgId) equals['aws:PrincipalOrgID'] = orgId;
  if (sourceAccount) equals['AWS:SourceAccount'] = sourceAccount;
  if (eventSourceToken) equals['lambda:EventSourceToken'] = eventSourceToken;
  const condition: Record<string, Record<string, string>> = {};
  if (Object.keys(equals).length) condition.StringEquals = equals;
  if (viaUrl) condition.Bool = { 'lambda:InvokedViaFunctionUrl': 'true' };
  if (sourceArn) condition.ArnLike = { 'AWS:SourceArn': sourceArn };
  const principalOut =
    principal === '*' ? '*' : /^\d{12}$/.test(principal) ? { AWS: `arn:aws:iam::${principal}:root` } : principal.startsWith('arn:') ? { AWS: principal } : { Service: principal };
  const statement = {
    Sid: sid,
    Effect: 'Allow' as const,
    Principal: principalOut,
    Action: action,
    Resource: q ? `${fn.arn}:${q}` : fn.arn,
    ...(Object.keys(condition).length ? { Condition: condition } : {}),
  };
  statements.push(statement);
  fn.policies.set(q ?? '', statements);
  target.revisionId = randomUUID();
  return { status: 201, body: { Statement: JSON.stringify(statement) } };
}

export function getPolicy(lambda: LambdaService, ctx: RequestContext, name: unknown, qualifier: string | null) {
  const { fn, qualifier: q } = lambda.ref(ctx, name, qualifier);
  const noPolicy = () => new AwsError('ResourceNotFoundException', 'The resource you requested does not exist.', 404);
  let target: { revisionId: string };
  try {
    target = q === '$LATEST' ? fn.latest : policyTarget(fn, q);
  } catch {
    throw noPolicy(); // an unknown version or alias has no policy either
  }
  const statements = fn.policies.get(q === '$LATEST' ? '' : (q ?? ''));
  if (!statements || statements.length === 0) throw noPolicy();
  return { Policy: JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: statements }), RevisionId: target.revisionId };
}

export function removePermission(lambda: LambdaService, ctx: RequestContext, name: unknown, sid: string, qualifier: string | null, revisionId: string | null) {
  const { fn, qualifier: q } = lambda.ref(ctx, name, qualifier, (arn) => new AwsError('ResourceNotFoundException', `No policy found for: ${arn}`, 404));
  const target = policyTarget(fn, q === '$LATEST' ? undefined : q);
  const statements = fn.policies.get(q === '$LATEST' ? '' : (q ?? ''));
  if (!statements || statements.length === 0) throw new AwsError('ResourceNotFoundException', 'No policy is associated with the given resource.', 404);
  if (revisionId !== null) checkRevision({ RevisionId: revisionId }, target.revisionId);
  const idx = statements.findIndex((st) => st.Sid === sid);
  if (idx < 0) throw new AwsError('ResourceNotFoundException', `Statement ${sid} is not found in resource policy.`, 404);
  statements.splice(idx, 1);
  target.revisionId = randomUUID();
  return { status: 204 };
}
