/**
 * STS (query protocol, version 2011-06-15): GetCallerIdentity, AssumeRole, GetSessionToken.
 * Credentials are issued (ASIA... key ids) and remembered so that GetCallerIdentity called with them
 * answers with the assumed identity, as AWS does. Nothing is enforced.
 */
import { createHash, randomBytes } from 'node:crypto';
import { AwsError } from '../../errors';
import type { Operation, QueryServiceDef, RequestContext } from '../../protocols/types';
import { Validator, queryInt, queryString } from '../../protocols/validation';
import { IamStore, iamUniqueId } from '../iam/store';

export const STS_VERSION = '2011-06-15';
export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

type In = Record<string, unknown>;

interface Identity {
  UserId: string;
  Account: string;
  Arn: string;
}

const SESSION_NAME_RE = /^[\w+=,.@-]*$/;
const ROLE_ARN_RE = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:[\u0021-\u007E]*\/)?([\w+=,.@-]+)$/;
const v = () => new Validator('ValidationError');

const str = (input: In, key: string) => queryString(input, key);

function secret(length: number): string {
  return randomBytes(length).toString('base64').replace(/[^A-Za-z0-9]/g, '').padEnd(length, 'A').slice(0, length);
}

function credentials(ctx: RequestContext, durationSeconds: number) {
  return {
    AccessKeyId: iamUniqueId('ASIA', 16),
    SecretAccessKey: secret(40),
    SessionToken: `FwoGZXIvYXdzE${randomBytes(180).toString('base64')}`,
    Expiration: new Date(Math.floor((ctx.clock.now() + durationSeconds * 1000) / 1000) * 1000),
  };
}

/** A stable AROA id for a role this cloud does not know (roles are not enforced). */
function derivedRoleId(arn: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const h = createHash('sha256').update(arn).digest();
  let s = 'AROA';
  for (let i = 0; i < 17; i++) s += alphabet[h[i] % alphabet.length];
  return s;
}

export function stsService(iam?: IamStore): QueryServiceDef {
  /** Temporary access key id -> the identity it stands for. */
  const issued = new Map<string, Identity>();

  const GetCallerIdentity: Operation = (_input: In, ctx) => {
    const known = ctx.accessKeyId ? issued.get(ctx.accessKeyId) : undefined;
    if (known) return { ...known };
    return { UserId: ctx.accessKeyId ?? 'AKIAIOSFODNN7EXAMPLE', Account: ctx.accountId, Arn: `arn:aws:iam::${ctx.accountId}:root` };
  };

  const AssumeRole: Operation = (input: In, ctx) => {
    const val = v();
    const roleArn = str(input, 'RoleArn');
    if (val.required(roleArn, 'roleArn')) val.length(roleArn, 'roleArn', 20, 2048);
    const sessionName = str(input, 'RoleSessionName');
    if (val.required(sessionName, 'roleSessionName'))
      val.length(sessionName, 'roleSessionName', 2, 64).pattern(sessionName, 'roleSessionName', SESSION_NAME_RE, '[\\w+=,.@-]*');
    const duration = queryInt(input.DurationSeconds, 'DurationSeconds');
    val.range(duration, 'durationSeconds', 900, 43200);
    const policy = str(input, 'Policy');
    val.length(policy, 'policy', 1, 2048);
    const externalId = str(input, 'ExternalId');
    val.length(externalId, 'externalId', 2, 1224).pattern(externalId, 'externalId', /^[\w+=,.@:/-]*$/, '[\\w+=,.@:\\/-]*');
    val.check();
    const m = ROLE_ARN_RE.exec(roleArn as string);
    if (!m) throw new AwsError('ValidationError', `${roleArn} is invalid`, 400);
    const role = iam?.getRoleByArn(roleArn as string);
    const seconds = duration ?? 3600;
    if (role && seconds > role.MaxSessionDuration) {
      throw new AwsError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.', 400);
    }
    if (policy !== undefined) {
      try {
        JSON.parse(policy);
      } catch {
        throw new AwsError('MalformedPolicyDocument', 'The policy is not in the valid JSON format.', 400);
      }
    }
    const roleId = role?.RoleId ?? derivedRoleId(roleArn as string);
    const creds = credentials(ctx, seconds);
    const user = { AssumedRoleId: `${roleId}:${sessionName}`, Arn: `arn:aws:sts::${m[1]}:assumed-role/${m[2]}/${sessionName}` };
    issued.set(creds.AccessKeyId, { UserId: user.AssumedRoleId, Account: m[1], Arn: user.Arn });
    return { Credentials: creds, AssumedRoleUser: user, PackedPolicySize: policy !== undefined ? 6 : undefined };
  };

  const GetSessionToken: Operation = (input: In, ctx) => {
    const val = v();
    const duration = queryInt(input.DurationSeconds, 'DurationSeconds');
    val.range(duration, 'durationSeconds', 900, 129600);
    const serial = str(input, 'SerialNumber');
    val.length(serial, 'serialNumber', 9, 256);
    const code = str(input, 'TokenCode');
    val.length(code, 'tokenCode', 6, 6).pattern(code, 'tokenCode', /^[\d]*$/, '[\\d]*');
    val.check();
    if (ctx.accessKeyId && issued.has(ctx.accessKeyId)) {
      throw new AwsError('AccessDenied', 'Cannot call GetSessionToken with session credentials', 403);
    }
    const creds = credentials(ctx, duration ?? 43200);
    const caller = GetCallerIdentity({}, ctx) as Identity;
    issued.set(creds.AccessKeyId, caller);
    return { Credentials: creds };
  };

  return {
    protocol: 'query',
    signingName: 'sts',
    version: STS_VERSION,
    xmlNamespace: STS_NAMESPACE,
    operations: { GetCallerIdentity, AssumeRole, GetSessionToken },
  };
}
