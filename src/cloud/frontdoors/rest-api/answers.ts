/**
 * The answers a REST API's front door gives itself (API Gateway's default gateway responses), with
 * their bodies byte for byte and `x-amzn-ErrorType`. Every answer carries `x-amzn-RequestId` and
 * `x-amz-apigw-id` (the request's extended id) [rec: test_apigateway_integrations.snapshot.json].
 *
 *   403 {"message":"Missing Authentication Token"}   no resource/method for the request [rec]
 *   403 {"message":"Forbidden"}                      unknown stage; API key missing or invalid
 *   401 {"message":"Unauthorized"}                   authorizer said so / identity missing [doc]
 *   403 {"Message":"User is not authorized to access this resource[ with an explicit deny]"} [obs]
 *   500 {"message":null}                             authorizer failed (AuthorizerConfigurationException) [obs]
 *   502 {"message": "Internal server error"}         function error, malformed result [rec]
 *   500 {"message": "Internal server error"}         Lambda refused the invoke (permission, throttle) [doc]
 *   504 {"message": "Endpoint request timed out"}    the integration timeout passed [obs]
 *   429 {"message":"Limit Exceeded"}                 usage plan quota used up [doc]
 *   413 {"message":"Request Too Long"}               a body over API Gateway's 10 MB payload quota [doc]
 */
import type { RawResponse } from '../../protocols/types';

export interface AnswerIds {
  requestId: string;
  extendedRequestId: string;
}

function answer(status: number, errorType: string, body: string, ids: AnswerIds): RawResponse {
  return {
    status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-requestid': ids.requestId,
      'x-amz-apigw-id': ids.extendedRequestId,
      'x-amzn-errortype': errorType,
    },
    body,
  };
}

export const missingAuthenticationToken = (ids: AnswerIds) => answer(403, 'MissingAuthenticationTokenException', '{"message":"Missing Authentication Token"}', ids);
export const forbidden = (ids: AnswerIds) => answer(403, 'ForbiddenException', '{"message":"Forbidden"}', ids);
export const unauthorized = (ids: AnswerIds) => answer(401, 'UnauthorizedException', '{"message":"Unauthorized"}', ids);
export const explicitDeny = (ids: AnswerIds) =>
  answer(403, 'AccessDeniedException', '{"Message":"User is not authorized to access this resource with an explicit deny"}', ids);
export const implicitDeny = (ids: AnswerIds) => answer(403, 'AccessDeniedException', '{"Message":"User is not authorized to access this resource"}', ids);
export const authorizerConfigurationError = (ids: AnswerIds) => answer(500, 'AuthorizerConfigurationException', '{"message":null}', ids);
export const internalServerError = (ids: AnswerIds, status = 502) => answer(status, 'InternalServerErrorException', '{"message": "Internal server error"}', ids);
export const endpointTimedOut = (ids: AnswerIds) => answer(504, 'InternalServerErrorException', '{"message": "Endpoint request timed out"}', ids);
export const limitExceeded = (ids: AnswerIds) => answer(429, 'LimitExceededException', '{"message":"Limit Exceeded"}', ids);
export const unsupportedMediaType = (ids: AnswerIds) => answer(415, 'UnsupportedMediaTypeException', '{"message":"Unsupported Media Type"}', ids);
export const requestTooLong = (ids: AnswerIds) => answer(413, 'RequestTooLargeException', '{"message":"Request Too Long"}', ids);
