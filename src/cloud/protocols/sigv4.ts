/**
 * SigV4 is accepted from any credentials (not verified). What we take from it: the access key,
 * the region and the service name of the credential scope.
 *   Authorization: AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/lambda/aws4_request, ...
 *   or presigned: ?X-Amz-Credential=AKID%2F20240101%2Fus-east-1%2Fsqs%2Faws4_request
 */
export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

const SCOPE = /^([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/;

export function parseCredentialScope(authorization: string | undefined, query?: URLSearchParams): CredentialScope | undefined {
  let credential: string | undefined;
  if (authorization) {
    const m = /Credential=([^,\s]+)/.exec(authorization);
    credential = m?.[1];
  }
  if (!credential && query) credential = query.get('X-Amz-Credential') ?? undefined;
  if (!credential) return undefined;
  const m = SCOPE.exec(credential);
  if (!m) return undefined;
  return { accessKeyId: m[1], date: m[2], region: m[3], service: m[4] };
}
