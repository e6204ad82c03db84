/**
 * IAM (query protocol, version 2010-05-08). Roles, attached and inline role policies, role tags.
 * Stored and returned as AWS does; never enforced.
 */
import { AwsError } from '../../errors';
import type { Operation, QueryServiceDef, RequestContext } from '../../protocols/types';
import { Validator, queryInt, queryString } from '../../protocols/validation';
import { IamStore, Role, iamUniqueId } from './store';

export { IamStore } from './store';
export type { Role } from './store';

export const IAM_VERSION = '2010-05-08';
export const IAM_NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';

type In = Record<string, unknown>;

const NAME_RE = /^[\w+=,.@-]+$/;
const NAME_TEXT = '[\\w+=,.@-]+';
const PATH_RE = /^(\/|\/[\u0021-\u007E]+\/)$/;
const PATH_TEXT = '(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)';
const DOC_RE = /^[\u0009\u000A\u000D\u0020-\u00FF]+$/;
const DOC_TEXT = '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+';
const ARN_RE = /^arn:aws[\w-]*:iam::(aws|\d{12}):policy\/(?:[\u0021-\u007E]*\/)?([\w+=,.@-]+)$/;
const MAX_MANAGED_POLICIES = 10;
const MAX_TAGS = 50;

const noSuchRole = (name: string) => new AwsError('NoSuchEntity', `The role with name ${name} cannot be found.`, 404);
const v = () => new Validator('ValidationError');

const str = (input: In, key: string) => queryString(input, key);

function lcFirst(s: string): string {
  return s[0].toLowerCase() + s.slice(1);
}

function validateName(val: Validator, input: In, key: string, max: number): void {
  const member = lcFirst(key);
  const x = str(input, key);
  if (!val.required(x, member)) return;
  val.length(x, member, 1, max).pattern(x, member, NAME_RE, NAME_TEXT);
}

function validatePath(val: Validator, x: string | undefined, member: string): void {
  val.length(x, member, 1, 512).pattern(x, member, PATH_RE, PATH_TEXT);
}

/** Parse a policy document (JSON, or URL-encoded JSON as some clients send it). */
function parsePolicy(doc: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(doc);
  } catch {
    try {
      parsed = JSON.parse(decodeURIComponent(doc));
    } catch {
      throw new AwsError('MalformedPolicyDocument', 'This policy contains invalid Json', 400);
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new AwsError('MalformedPolicyDocument', 'Syntax errors in policy.', 400);
  const p = parsed as Record<string, unknown>;
  if (p.Version !== undefined && p.Version !== '2012-10-17' && p.Version !== '2008-10-17') {
    throw new AwsError('MalformedPolicyDocument', 'The policy must contain a valid version string', 400);
  }
  if (p.Statement === undefined) throw new AwsError('MalformedPolicyDocument', 'Syntax errors in policy.', 400);
}

function validateDocument(val: Validator, input: In, key: string): void {
  const member = lcFirst(key);
  const x = str(input, key);
  if (!val.required(x, member)) return;
  val.length(x, member, 1, 131072).pattern(x, member, DOC_RE, DOC_TEXT);
}

function tagsOf(input: In, val: Validator): { Key: string; Value: string }[] {
  const tags = input.Tags;
  if (tags === undefined || tags === '') return [];
  if (!Array.isArray(tags)) throw new AwsError('ValidationError', 'Invalid value for parameter Tags', 400);
  val.length(tags, 'tags', 0, MAX_TAGS);
  return tags.map((t: unknown, i) => {
    const tag = (t && typeof t === 'object' ? t : {}) as In;
    const key = typeof tag.Key === 'string' ? tag.Key : undefined;
    const value = typeof tag.Value === 'string' ? tag.Value : undefined;
    const m = `tags.${i + 1}.member`;
    if (val.required(key, `${m}.key`)) val.length(key, `${m}.key`, 1, 128).pattern(key, `${m}.key`, /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u, '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+');
    if (val.required(value, `${m}.value`)) val.length(value, `${m}.value`, 0, 256).pattern(value, `${m}.value`, /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u, '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*');
    return { Key: key ?? '', Value: value ?? '' };
  });
}

function mergeTags(existing: { Key: string; Value: string }[], add: { Key: string; Value: string }[]): { Key: string; Value: string }[] {
  const out = existing.map((t) => ({ ...t }));
  for (const t of add) {
    const i = out.findIndex((x) => x.Key === t.Key);
    if (i >= 0) out[i] = t;
    else out.push(t);
  }
  if (out.length > MAX_TAGS) throw new AwsError('LimitExceeded', `The number of tags has reached the maximum limit.`, 409);
  return out;
}

function paging(input: In): { start: number; max: number } {
  const val = v();
  const max = queryInt(input.MaxItems, 'MaxItems');
  val.range(max, 'maxItems', 1, 1000);
  const marker = str(input, 'Marker');
  val.length(marker, 'marker', 1, 320).pattern(marker, 'marker', /^[\u0020-\u00FF]+$/, '[\\u0020-\\u00FF]+');
  val.check();
  let start = 0;
  if (marker !== undefined) {
    const n = Number(Buffer.from(marker, 'base64').toString('utf8').replace(/^o:/, ''));
    if (!Number.isInteger(n) || n < 0 || !Buffer.from(marker, 'base64').toString('utf8').startsWith('o:')) {
      throw new AwsError('ValidationError', 'Invalid Marker', 400);
    }
    start = n;
  }
  return { start, max: max ?? 100 };
}

function page<T>(items: T[], input: In): { items: T[]; IsTruncated: boolean; Marker?: string } {
  const { start, max } = paging(input);
  const slice = items.slice(start, start + max);
  const end = start + slice.length;
  const truncated = end < items.length;
  return { items: slice, IsTruncated: truncated, Marker: truncated ? Buffer.from(`o:${end}`).toString('base64') : undefined };
}

function roleView(r: Role, opts: { tags: boolean; lastUsed: boolean }) {
  return {
    Path: r.Path,
    RoleName: r.RoleName,
    RoleId: r.RoleId,
    Arn: r.Arn,
    CreateDate: r.CreateDate,
    AssumeRolePolicyDocument: encodeURIComponent(r.AssumeRolePolicyDocument),
    Description: r.Description,
    MaxSessionDuration: r.MaxSessionDuration,
    PermissionsBoundary: r.PermissionsBoundary,
    Tags: opts.tags && r.Tags.length ? r.Tags : undefined,
    RoleLastUsed: opts.lastUsed ? {} : undefined,
  };
}

export function iamService(store: IamStore = new IamStore()): QueryServiceDef {
  const roleOf = (input: In, ctx: RequestContext): Role => {
    const val = v();
    validateName(val, input, 'RoleName', 64);
    val.check();
    const name = input.RoleName as string;
    const role = store.getRole(ctx.accountId, name);
    if (!role) throw noSuchRole(name);
    return role;
  };

  const CreateRole: Operation = (input: In, ctx) => {
    const val = v();
    validateName(val, input, 'RoleName', 64);
    const path = str(input, 'Path');
    validatePath(val, path, 'path');
    validateDocument(val, input, 'AssumeRolePolicyDocument');
    const description = str(input, 'Description');
    val.length(description, 'description', 0, 1000);
    const maxSession = queryInt(input.MaxSessionDuration, 'MaxSessionDuration');
    val.range(maxSession, 'maxSessionDuration', 3600, 43200);
    const boundary = str(input, 'PermissionsBoundary');
    val.length(boundary, 'permissionsBoundary', 20, 2048);
    const tags = tagsOf(input, val);
    val.check();
    const name = input.RoleName as string;
    const doc = input.AssumeRolePolicyDocument as string;
    parsePolicy(doc);
    if (boundary !== undefined && !ARN_RE.test(boundary)) throw new AwsError('InvalidInput', `ARN ${boundary} is not valid.`, 400);
    if (new Set(tags.map((t) => t.Key)).size !== tags.length) throw new AwsError('InvalidInput', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.', 400);
    const account = store.account(ctx.accountId);
    if (account.roles.has(name.toLowerCase())) throw new AwsError('EntityAlreadyExists', `Role with name ${name} already exists.`, 409);
    const p = path ?? '/';
    const role: Role = {
      Path: p,
      RoleName: name,
      RoleId: iamUniqueId('AROA'),
      Arn: `arn:aws:iam::${ctx.accountId}:role${p}${name}`,
      CreateDate: new Date(Math.floor(ctx.clock.now() / 1000) * 1000),
      AssumeRolePolicyDocument: doc,
      Description: description,
      MaxSessionDuration: maxSession ?? 3600,
      PermissionsBoundary: boundary ? { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: boundary } : undefined,
      Tags: tags,
      attached: [],
      inline: new Map(),
    };
    account.roles.set(name.toLowerCase(), role);
    return { Role: roleView(role, { tags: true, lastUsed: false }) };
  };

  const GetRole: Operation = (input: In, ctx) => ({ Role: roleView(roleOf(input, ctx), { tags: true, lastUsed: true }) });

  const DeleteRole: Operation = (input: In, ctx) => {
    const role = roleOf(input, ctx);
    if (role.attached.length) throw new AwsError('DeleteConflict', 'Cannot delete entity, must detach all policies first.', 409);
    if (role.inline.size) throw new AwsError('DeleteConflict', 'Cannot delete entity, must delete policies first.', 409);
    store.account(ctx.accountId).roles.delete(role.RoleName.toLowerCase());
    return {};
  };

  const ListRoles: Operation = (input: In, ctx) => {
    const val = v();
    const prefix = str(input, 'PathPrefix');
    val.length(prefix, 'pathPrefix', 1, 512).pattern(prefix, 'pathPrefix', /^\u002F[\u0021-\u007F]*$/, '\\u002F[\\u0021-\\u007F]*');
    val.check();
    const roles = [...store.account(ctx.accountId).roles.values()]
      .filter((r) => r.Path.startsWith(prefix ?? '/'))
      .sort((a, b) => (a.RoleName.toLowerCase() < b.RoleName.toLowerCase() ? -1 : 1));
    const p = page(roles, input);
    return { Roles: p.items.map((r) => roleView(r, { tags: false, lastUsed: false })), IsTruncated: p.IsTruncated, Marker: p.Marker };
  };

  const UpdateRole: Operation = (input: In, ctx) => {
    const role = roleOf(input, ctx);
    const val = v();
    const description = str(input, 'Description');
    val.length(description, 'description', 0, 1000);
    const maxSession = queryInt(input.MaxSessionDuration, 'MaxSessionDuration');
    val.range(maxSession, 'maxSessionDuration', 3600, 43200);
    val.check();
    if (description !== undefined) role.Description = description;
    if (maxSession !== undefined) role.MaxSessionDuration = maxSession;
    return {};
  };

  const UpdateAssumeRolePolicy: Operation = (input: In, ctx) => {
    const role = roleOf(input, ctx);
    const val = v();
    validateDocument(val, input, 'PolicyDocument');
    val.check();
    parsePolicy(input.PolicyDocument as string);
    role.AssumeRolePolicyDocument = input.PolicyDocument as string;
    return {};
  };

  const policyArnOf = (input: In): string => {
    const val = v();
    const arn = str(input, 'PolicyArn');
    if (val.required(arn, 'policyArn')) val.length(arn, 'policyArn', 20, 2048);
    val.check();
    if (!ARN_RE.test(arn as string)) throw new AwsError('InvalidInput', `ARN ${arn} is not valid.`, 400);
    return arn as string;
  };

  const AttachRolePolicy: Operation = (input: In, ctx) => {
    const role = roleOf(input, ctx);
    const arn = policyArnOf(input);
    if (role.attached.includes(arn)) return {};
    if (role.attached.length >= MAX_MANAGED_POLICIES) {
      throw new AwsError('LimitExceeded', `Cannot exceed quota for PoliciesPerRole: ${MAX_MANAGED_POLICIES}`, 409);
    }
    role.attached.push(arn);
    return {};
  };

  const DetachRolePolicy: Operation = (input: In, ctx) => {
    const role = roleOf(input, ctx);
    const arn = policyArnOf(input);
    const i = role.attached.indexOf(arn);
    if (i < 0) throw new AwsError('NoSuchEntity', `Policy ${arn} was not found.`, 404);
    role.attached.splice(i, 1);
    return {};
  };

  const ListAttachedRolePolicies: Operation = (input: In, ctx) => {
    const role = roleOf(input, ctx);
    const val = v();
    const prefix = str(input, 'PathPrefix');
    val.length(prefix, 'pathPrefix', 1, 512).pattern(prefix, 'pathPrefix', /^(\u002F|\u002F[\u0021-\u007F]+\u002F)$/, '((/[A-Za-z0-9\\.,\\+@=_-]+)*)/');
    val.check();
    const policies = role.attached
      .map((arn) => {
        const m = ARN_RE.exec(arn) as RegExpExecArray;
        const path = arn.slice(arn.indexOf(':policy') + ':policy'.length, arn.length - m[2].length);
        return { PolicyName: m[2], PolicyArn: arn, path };
      })
      .filter((p) => p.path.startsWith(prefix ?? '/'));
    const p = page(policies, input);
    return { AttachedPolicies: p.items.map(({ PolicyName, PolicyArn }) => ({ PolicyName, PolicyArn })), IsTruncated: p.IsTruncated, Marker: p.Marker };
  };

  const inlineName = (input: In): string => {
    const val = v();
    validateName(val, input, 'PolicyName', 128);
    val.check();
    return input.PolicyName as string;
  };
  const noSuchInline = (name: string) => new AwsError('NoSuchEntity', `The role policy with name ${name} cannot be found.`, 404);

  const PutRolePolicy: Operation = (input: In, ctx) => {
    const val = v();
    validateName(val, input, 'RoleName', 64);
    validateName(val, input, 'PolicyName', 128);
    validateDocument(val, input, 'PolicyDocument');
    val.check();
    const role = roleOf(input, ctx);
    parsePolicy(input.PolicyDocument as string);
    role.inline.set(input.PolicyName as string, input.PolicyDocument as string);
    return {};
  };

  const GetRolePolicy: Operation = (input: In, ctx) => {
    const role = roleOf(input, ctx);
    const name = inlineName(input);
    const doc = role.inline.get(name);
    if (doc === undefined) throw noSuchInline(name);
    return { RoleName: role.RoleName, PolicyName: name, PolicyDocument: encodeURIComponent(doc) };
  };

  const DeleteRolePolicy: Operation = (input: In, ctx) => {
    const role = roleOf(input, ctx);
    const name = inlineName(input);
    if (!role.inline.delete(name)) throw noSuchInline(name);
    return {};
  };

  const ListRolePolicies: Operation = (input: In, ctx) => {
    const role = roleOf(input, ctx);
    const p = page([...role.inline.keys()].sort(), input);
    return { PolicyNames: p.items, IsTruncated: p.IsTruncated, Marker: p.Marker };
  };

  const TagRole: Operation = (input: In, ctx) => {
    const role = roleOf(input, ctx);
    const val = v();
    if (input.Tags === undefined) val.required(undefined, 'tags');
    const tags = tagsOf(input, val);
    val.check();
    role.Tags = mergeTags(role.Tags, tags);
    return {};
  };

  const UntagRole: Operation = (input: In, ctx) => {
    const role = roleOf(input, ctx);
    const val = v();
    const keys = input.TagKeys === '' ? [] : input.TagKeys;
    if (val.required(keys, 'tagKeys')) {
      if (!Array.isArray(keys)) throw new AwsError('ValidationError', 'Invalid value for parameter TagKeys', 400);
      val.length(keys, 'tagKeys', 0, 50);
    }
    val.check();
    const drop = new Set(keys as string[]);
    role.Tags = role.Tags.filter((t) => !drop.has(t.Key));
    return {};
  };

  const ListRoleTags: Operation = (input: In, ctx) => {
    const role = roleOf(input, ctx);
    const p = page(role.Tags, input);
    return { Tags: p.items, IsTruncated: p.IsTruncated, Marker: p.Marker };
  };

  return {
    protocol: 'query',
    signingName: 'iam',
    version: IAM_VERSION,
    xmlNamespace: IAM_NAMESPACE,
    operations: {
      CreateRole,
      GetRole,
      DeleteRole,
      ListRoles,
      UpdateRole,
      UpdateAssumeRolePolicy,
      AttachRolePolicy,
      DetachRolePolicy,
      ListAttachedRolePolicies,
      PutRolePolicy,
      GetRolePolicy,
      DeleteRolePolicy,
      ListRolePolicies,
      TagRole,
      UntagRole,
      ListRoleTags,
    },
  };
}
