/**
 * JWT authorizers [doc "Controlling access to HTTP APIs with JWT authorizers"]: the token (the
 * identity source's value, optionally prefixed `Bearer `) is decoded, its RSA signature checked
 * with the issuer's key (the `kid` of the token's header, looked up in the `jwks_uri` of
 * `<issuer>/.well-known/openid-configuration`; "only RSA-based algorithms are supported"), and its
 * claims validated: `iss` equals the configured issuer, `aud` or `client_id` is one of the
 * configured audiences, `exp` after now, `nbf` and `iat` before now (the cloud's clock), and when
 * the route has authorization scopes, `scope` or `scp` holds at least one of them.
 *
 * A refused token is 401 `{"message":"Unauthorized"}` with a `www-authenticate` header [doc
 * "Troubleshooting issues with HTTP API JWT authorizers": `Bearer scope="" error="invalid_token"
 * error_description="the token does not have a valid audience"`; the other descriptions follow that
 * form, unverified]; a token without a wanted scope is 403 `{"message":"Forbidden"}`.
 * The claims reach the integration as strings (numbers and booleans written out, arrays as
 * `[a b]`) [obs: HTTP API events carry e.g. "exp": "1613671340", "cognito:groups": "[admin]"].
 */
import { createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { Clock } from '../../clock';

export type JwtOutcome =
  | { ok: true; claims: Record<string, string>; scopes: string[] | null }
  | { ok: false; status: 401 | 403; wwwAuthenticate: string };

const ALGORITHMS: Record<string, string> = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' };
/** How long an issuer's keys are kept (virtual ms); a token with an unknown kid refetches them. */
const JWKS_TTL_MS = 10 * 60_000;
const FETCH_TIMEOUT_MS = 5_000;

interface Jwks {
  keys: Map<string, KeyObject>;
  fetched: number;
}

/** The issuers' signing keys, fetched from their OpenID configuration and cached on the clock. */
export class JwksCache {
  private readonly byIssuer = new Map<string, Jwks>();

  constructor(private readonly clock: Clock) {}

  async key(issuer: string, kid: string): Promise<KeyObject | undefined> {
    let entry = this.byIssuer.get(issuer);
    const now = this.clock.now();
    if (!entry || now - entry.fetched > JWKS_TTL_MS || (!entry.keys.has(kid) && now - entry.fetched > 1000)) {
      entry = { keys: await this.fetchKeys(issuer), fetched: now };
      this.byIssuer.set(issuer, entry);
    }
    return entry.keys.get(kid);
  }

  private async getJson(url: string): Promise<unknown> {
    const abort = new AbortController();
    const timer = this.clock.setTimeout(() => abort.abort(), FETCH_TIMEOUT_MS);
    try {
      const res = await fetch(url, { signal: abort.signal });
      if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
      return await res.json();
    } finally {
      timer.cancel();
    }
  }

  private async fetchKeys(issuer: string): Promise<Map<string, KeyObject>> {
    const config = (await this.getJson(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`)) as { jwks_uri?: unknown };
    if (typeof config?.jwks_uri !== 'string') throw new Error(`The OpenID configuration of ${issuer} has no jwks_uri`);
    const jwks = (await this.getJson(config.jwks_uri)) as { keys?: unknown };
    const out = new Map<string, KeyObject>();
    for (const k of Array.isArray(jwks?.keys) ? (jwks.keys as Record<string, unknown>[]) : []) {
      if (typeof k?.kid !== 'string' || k.kty !== 'RSA') continue;
      try {
        out.set(k.kid, createPublicKey({ key: k as JsonWebKey, format: 'jwk' }));
      } catch {
        // A key Node cannot read is not a key this issuer can sign with.
      }
    }
    return out;
  }
}

function decodePart(part: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const invalid = (description: string): JwtOutcome => ({
  ok: false,
  status: 401,
  wwwAuthenticate: `Bearer scope="" error="invalid_token" error_description="${description}"`,
});

/** A claim as HTTP APIs pass it on: a string. */
export function claimText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return `[${v.map(claimText).join(' ')}]`;
  if (v !== null && typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export interface JwtCheck {
  /** The identity source's value. */
  token: string;
  issuer: string;
  audience: string[];
  /** The route's authorization scopes (empty: no scope check). */
  routeScopes: string[];
  nowMs: number;
  keys: Pick<JwksCache, 'key'>;
}

export async function checkJwt(c: JwtCheck): Promise<JwtOutcome> {
  const token = c.token.replace(/^Bearer\s+/i, '').trim();
  const parts = token.split('.');
  if (parts.length !== 3) return invalid('the token is not a valid JWT');
  const header = decodePart(parts[0]);
  const claims = decodePart(parts[1]);
  if (!header || !claims) return invalid('the token is not a valid JWT');
  const alg = typeof header.alg === 'string' ? header.alg : '';
  const hash = ALGORITHMS[alg];
  if (!hash) return invalid(`signing method ${alg || 'none'} is invalid`);
  if (typeof header.kid !== 'string') return invalid('the token has no kid');
  let key: KeyObject | undefined;
  try {
    key = await c.keys.key(c.issuer, header.kid);
  } catch {
    return invalid(`unable to retrieve the signing keys of the issuer ${c.issuer}`);
  }
  if (!key) return invalid('the token was not signed by a key of the issuer');
  const signed = verify(hash, Buffer.from(`${parts[0]}.${parts[1]}`), key, Buffer.from(parts[2], 'base64url'));
  if (!signed) return invalid('the token signature is invalid');
  if (claims.iss !== c.issuer) return invalid('the token does not have a valid issuer');
  if (c.audience.length > 0) {
    const aud = Array.isArray(claims.aud) ? claims.aud : claims.aud === undefined ? [] : [claims.aud];
    const candidates = [...aud, ...(claims.client_id === undefined ? [] : [claims.client_id])];
    if (!candidates.some((a) => typeof a === 'string' && c.audience.includes(a))) return invalid('the token does not have a valid audience');
  }
  const nowSec = c.nowMs / 1000;
  if (typeof claims.exp !== 'number' || claims.exp <= nowSec) return invalid('the token has expired');
  if (typeof claims.nbf === 'number' && claims.nbf > nowSec) return invalid('the token is not valid yet');
  if (typeof claims.iat === 'number' && claims.iat > nowSec) return invalid('the token was issued in the future');
  const tokenScopes = typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : Array.isArray(claims.scp) ? claims.scp.map(String) : typeof claims.scp === 'string' ? claims.scp.split(' ').filter(Boolean) : [];
  if (c.routeScopes.length > 0 && !c.routeScopes.some((s) => tokenScopes.includes(s))) {
    return {
      ok: false,
      status: 403,
      wwwAuthenticate: `Bearer scope="${c.routeScopes.join(' ')}" error="insufficient_scope" error_description="expected scopes: [${c.routeScopes.join(' ')}]"`,
    };
  }
  const text: Record<string, string> = {};
  for (const [k, v] of Object.entries(claims)) text[k] = claimText(v);
  return { ok: true, claims: text, scopes: c.routeScopes.length > 0 ? tokenScopes : null };
}
