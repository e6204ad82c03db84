/**
 * Layer version permissions (2018-10-31): AddLayerVersionPermission, GetLayerVersionPolicy,
 * RemoveLayerVersionPermission. Stored only (nothing here checks another account's access, there
 * being one account); shapes, texts and RevisionId checks as AWS answers [rec].
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../../errors';
import type { RequestContext } from '../../protocols/types';
import { Violations } from '../constraints';
import { typeError } from '../validate';
import { type LayerStatement, type LayerVersion, layerArn } from './store';
import { type LayerContext, layerNameOf, versionNumberOf } from './versions';

/** [rec] A wrong RevisionId on a layer policy. */
const wrongRevision = () =>
  new AwsError(
    'PreconditionFailedException',
    'The Revision Id provided does not match the latest Revision Id. Call the GetLayerPolicy API to retrieve the latest Revision Id',
    412,
  );

/** The version the path names, or [rec] "Layer version <arn> does not exist." (404). */
function target(lc: LayerContext, ctx: RequestContext, rawName: string | undefined, rawVersion: string | undefined): LayerVersion {
  const name = layerNameOf(rawName);
  const version = versionNumberOf(rawVersion);
  const where = { accountId: ctx.accountId, region: ctx.region };
  const v = lc.layers.version(where, name, version);
  if (!v) throw new AwsError('ResourceNotFoundException', `Layer version ${layerArn(where, name)}:${version} does not exist.`, 404);
  return v;
}

function text(input: Record<string, unknown>, key: string): string | undefined {
  const v = input[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') typeError(key, 'a string');
  return v as string;
}

export function addLayerVersionPermission(
  lc: LayerContext,
  ctx: RequestContext,
  rawName: string | undefined,
  rawVersion: string | undefined,
  revisionId: string | null,
  input: Record<string, unknown>,
) {
  const sid = text(input, 'StatementId');
  const action = text(input, 'Action');
  const principal = text(input, 'Principal');
  const org = text(input, 'OrganizationId');
  // [model] constraints, in member order
  const out = new Violations();
  if (sid === undefined) out.add('statementId', null, 'Member must not be null');
  else {
    if (sid.length < 1) out.add('statementId', sid, 'Member must have length greater than or equal to 1');
    if (sid.length > 100) out.add('statementId', sid, 'Member must have length less than or equal to 100');
    if (!/^([a-zA-Z0-9-_]+)$/.test(sid)) out.add('statementId', sid, 'Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+)');
  }
  if (action === undefined) out.add('action', null, 'Member must not be null');
  else {
    if (action.length > 22) out.add('action', action, 'Member must have length less than or equal to 22');
    if (action !== 'lambda:GetLayerVersion') out.add('action', action, 'Member must satisfy regular expression pattern: lambda:GetLayerVersion');
  }
  if (principal === undefined) out.add('principal', null, 'Member must not be null');
  else if (!/^(\d{12}|\*|arn:(aws[a-zA-Z-]*):iam::\d{12}:root)$/.test(principal)) {
    out.add('principal', principal, 'Member must satisfy regular expression pattern: \\d{12}|\\*|arn:(aws[a-zA-Z-]*):iam::\\d{12}:root');
  }
  if (org !== undefined) {
    if (org.length > 34) out.add('organizationId', org, 'Member must have length less than or equal to 34');
    if (!/^o-[a-z0-9]{10,32}$/.test(org)) out.add('organizationId', org, 'Member must satisfy regular expression pattern: o-[a-z0-9]{10,32}');
  }
  out.check();

  const v = target(lc, ctx, rawName, rawVersion);
  if (revisionId !== null && revisionId !== v.policyRevision) throw wrongRevision();
  if (v.statements.some((s) => s.Sid === sid)) {
    throw new AwsError('ResourceConflictException', `The statement id (${sid}) provided already exists. Please provide a new statement id, or remove the existing statement.`, 409);
  }
  const statement: LayerStatement = {
    Sid: sid!,
    Effect: 'Allow',
    Principal: principal === '*' ? '*' : /^\d{12}$/.test(principal!) ? { AWS: `arn:aws:iam::${principal}:root` } : { AWS: principal },
    Action: action!,
    Resource: v.arn,
  };
  if (org !== undefined) statement.Condition = { StringEquals: { 'aws:PrincipalOrgID': org } };
  v.statements.push(statement);
  v.policyRevision = randomUUID();
  return { status: 201, body: { Statement: JSON.stringify(statement), RevisionId: v.policyRevision } };
}

export function getLayerVersionPolicy(lc: LayerContext, ctx: RequestContext, rawName: string | undefined, rawVersion: string | undefined) {
  const v = target(lc, ctx, rawName, rawVersion);
  if (v.statements.length === 0) throw new AwsError('ResourceNotFoundException', 'No policy is associated with the given resource.', 404);
  return { Policy: JSON.stringify({ Version: '2012-10-17', Id: 'default', Statement: v.statements }), RevisionId: v.policyRevision };
}

export function removeLayerVersionPermission(
  lc: LayerContext,
  ctx: RequestContext,
  rawName: string | undefined,
  rawVersion: string | undefined,
  sid: string | undefined,
  revisionId: string | null,
) {
  const v = target(lc, ctx, rawName, rawVersion);
  const i = v.statements.findIndex((s) => s.Sid === sid);
  if (i < 0) throw new AwsError('ResourceNotFoundException', `Statement ${sid} is not found in resource policy.`, 404);
  if (revisionId !== null && revisionId !== v.policyRevision) throw wrongRevision();
  v.statements.splice(i, 1);
  v.policyRevision = randomUUID();
  return { status: 204 };
}
