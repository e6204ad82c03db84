/**
 * The answers an HTTP API gives itself, each `{"message": ...}` JSON with its `apigw-requestid`
 * header [doc "Troubleshooting issues with HTTP API JWT authorizers": the response carries
 * `apigw-requestid: Mc7UVioPPHcEKPA=`]:
 *   404 Not Found              no stage, no route [doc "Routing API requests"]
 *   401 Unauthorized           missing identity source, refused JWT [doc]
 *   403 Forbidden              authorizer denial [doc], unsigned request to an AWS_IAM route
 *   500 Internal Server Error  function error, malformed response, no permission [doc
 *                              "Troubleshooting issues with HTTP API Lambda integrations"]
 *   503 Service Unavailable    integration timeout [obs: cortexlabs/cortex#1225, AWS's answer after
 *                              the timeout: `{"message":"Service Unavailable"}`, content-length 33]
 *   413 Request Entity Too Large  a request body over the 10 MB payload quota [doc quotas; wording unverified]
 */
import { randomBytes } from 'node:crypto';
import type { RawResponse } from '../../protocols/types';

export const MESSAGES = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  413: 'Request Entity Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
} as const;

export type AnswerStatus = keyof typeof MESSAGES;

/** HTTP APIs' request ids: 16 characters of base64 ("Mc7UVioPPHcEKPA=") [doc]. */
export function newRequestId(): string {
  return randomBytes(11).toString('base64');
}

export function answer(status: AnswerStatus, requestId: string, headers: Record<string, string> = {}): RawResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'apigw-requestid': requestId, ...headers },
    body: JSON.stringify({ message: MESSAGES[status] }),
  };
}
