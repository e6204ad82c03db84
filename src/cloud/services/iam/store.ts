/**
 * IAM state. IAM is global: one store per account, no regions. Roles and their policies are kept
 * and returned as AWS does, but never enforced.
 */
import { randomBytes } from 'node:crypto';

export interface Role {
  Path: string;
  RoleName: string;
  RoleId: string;
  Arn: string;
  CreateDate: Date;
  /** The policy document exactly as given (decoded JSON text). */
  AssumeRolePolicyDocument: string;
  Description?: string;
  MaxSessionDuration: number;
  PermissionsBoundary?: { PermissionsBoundaryType: 'Policy'; PermissionsBoundaryArn: string };
  Tags: { Key: string; Value: string }[];
  /** Attached managed policy ARNs, in attachment order. */
  attached: string[];
  /** Inline policies: name -> document text. */
  inline: Map<string, string>;
}

export interface IamAccount {
  /** Keyed by lower-cased role name: IAM names are unique regardless of case. */
  roles: Map<string, Role>;
}

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A unique id as IAM makes them: a 4-letter prefix (AROA, AIDA, ASIA, ...) + 17 upper-case chars. */
export function iamUniqueId(prefix: string, length = 17): string {
  const bytes = randomBytes(length);
  let s = prefix;
  for (let i = 0; i < length; i++) s += ID_CHARS[bytes[i] % ID_CHARS.length];
  return s;
}

export class IamStore {
  private readonly accounts = new Map<string, IamAccount>();

  account(accountId: string): IamAccount {
    let a = this.accounts.get(accountId);
    if (!a) {
      a = { roles: new Map() };
      this.accounts.set(accountId, a);
    }
    return a;
  }

  getRole(accountId: string, name: string): Role | undefined {
    return this.account(accountId).roles.get(name.toLowerCase());
  }

  /** Find a role by ARN (`arn:aws:iam::<acct>:role/<path><name>`). */
  getRoleByArn(arn: string): Role | undefined {
    const m = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn);
    if (!m) return undefined;
    const role = this.getRole(m[1], m[2]);
    return role && role.Arn === arn ? role : undefined;
  }

  reset(): void {
    this.accounts.clear();
  }
}
