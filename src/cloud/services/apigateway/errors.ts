/**
 * API Gateway's errors as AWS sends them: the code in `x-amzn-ErrorType`, the body
 * `{"message": "..."}` (lower-case key) [rec: LocalStack's test_apigateway_*.snapshot.json, where
 * botocore shows the body's `message` beside Error.Message].
 *
 * Constructors for the texts AWS uses again and again; one-off texts stay at their call sites.
 */
import { AwsError } from '../../errors';

export const badRequest = (message: string) => new AwsError('BadRequestException', message, 400);
export const notFound = (message: string) => new AwsError('NotFoundException', message, 404);
export const conflict = (message: string) => new AwsError('ConflictException', message, 409);

/** `Invalid API identifier specified <account>:<id>` [rec]. */
export const invalidApi = (accountId: string, id: string) => notFound(`Invalid API identifier specified ${accountId}:${id}`);
/** [rec] also what AWS answers for resource-level calls on an unknown API. */
export const invalidResource = () => notFound('Invalid Resource identifier specified');
export const invalidMethod = () => notFound('Invalid Method identifier specified');
export const invalidIntegration = () => notFound('Invalid Integration identifier specified');
export const invalidStatusCode = () => notFound('Invalid Response status code specified');
export const invalidStage = () => notFound('Invalid Stage identifier specified');
export const invalidDeployment = () => notFound('Invalid Deployment identifier specified');
export const invalidAuthorizer = () => notFound('Invalid Authorizer identifier specified');
export const invalidApiKey = () => notFound('Invalid API Key identifier specified');
/** [rec] */
export const invalidUsagePlan = () => notFound('Invalid Usage Plan ID specified');

/** `Invalid patch path  '<path>' specified for op '<op>'. Must be one of: [...]` (two spaces, as AWS) [rec]. */
export const invalidPatchPath = (path: string, op: string, allowed: string[]) =>
  badRequest(`Invalid patch path  '${path}' specified for op '${op}'. Must be one of: [${allowed.join(', ')}]`);
/** [rec] */
export const unsupportedPatchOp = (path: string, op: string) =>
  badRequest(`Invalid patch path  '${path}' specified for op '${op}'. Please choose supported operations`);

/** The JSON body AWS sends for an error (rest-json, lower-case `message`). */
export function errorBody(err: AwsError): { status: number; headers: Record<string, string>; body: Record<string, unknown> } {
  // ValidationException and SerializationException carry `message` too; AWS's framework words them.
  return { status: err.status, headers: { 'x-amzn-errortype': err.code }, body: { message: err.message } };
}
