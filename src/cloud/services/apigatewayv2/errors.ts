/**
 * API Gateway v2's errors and their wire form. The model's error shapes [model]: NotFoundException
 * 404 `{message, resourceType}`, BadRequestException 400, ConflictException 409,
 * TooManyRequestsException 429 `{message, limitType}`, AccessDeniedException 403, all with a
 * lower-case `message` member and the code in `x-amzn-ErrorType`. The shared REST-JSON error
 * writer adds Lambda's `Type` member, so this service writes its own (errorResult).
 */
import { AwsError } from '../../errors';
import type { RestResult } from '../../protocols/types';

export function notFound(message: string, resourceType?: string): AwsError {
  return new AwsError('NotFoundException', message, 404, { fields: resourceType ? { resourceType } : undefined });
}

export function badRequest(message: string): AwsError {
  return new AwsError('BadRequestException', message, 400);
}

export function conflict(message: string): AwsError {
  return new AwsError('ConflictException', message, 409);
}

/** [obs] AWS answers `Invalid API identifier specified <account>:<api-id>` with resourceType "Api". */
export const apiNotFound = (accountId: string, apiId: string) => notFound(`Invalid API identifier specified ${accountId}:${apiId}`, 'Api');
/** Wording as AWS's for APIs; the member ids of the other resources [unverified]. */
export const routeNotFound = (accountId: string, apiId: string, id: string) => notFound(`Invalid Route identifier specified ${accountId}:${apiId}:${id}`, 'Route');
export const integrationNotFound = (accountId: string, apiId: string, id: string) =>
  notFound(`Invalid Integration identifier specified ${accountId}:${apiId}:${id}`, 'Integration');
export const authorizerNotFound = (accountId: string, apiId: string, id: string) =>
  notFound(`Invalid Authorizer identifier specified ${accountId}:${apiId}:${id}`, 'Authorizer');
export const deploymentNotFound = (accountId: string, apiId: string, id: string) =>
  notFound(`Invalid Deployment identifier specified ${accountId}:${apiId}:${id}`, 'Deployment');
export const stageNotFound = (accountId: string, apiId: string, name: string) => notFound(`Invalid stage identifier specified ${accountId}:${apiId}:${name}`, 'Stage');

/** The HTTP answer for an error: `{"message": ...}` (plus the shape's other members). */
export function errorResult(e: AwsError): RestResult {
  return {
    status: e.status,
    headers: { 'x-amzn-errortype': e.code, ...e.options.headers },
    body: { message: e.message, ...e.options.fields },
  };
}
