/**
 * CloudFront's errors. Codes and HTTP statuses are the model's error shapes [model]; the texts are
 * AWS's own where AWS answers were seen in public bug reports [obs], otherwise marked unconfirmed.
 * All are sender faults (`<Type>Sender</Type>`).
 */
import { AwsError, validationMessage } from '../../errors';

export function cfError(code: string, message: string, status = 400): AwsError {
  return new AwsError(code, message, status);
}

// ------------------------------------------------------------------ request level

/** [model] MissingBody 400, the model's documentation text. */
export const missingBody = () =>
  cfError('MissingBody', 'This operation requires a body. Ensure that the body is present and the Content-Type header is set.');

/** A body that is not XML, or not the operation's root element. Text unconfirmed (S3's MalformedXML wording). */
export const malformedXmlDocument = () =>
  cfError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema.');

/**
 * [obs] Model constraints: `1 validation error detected: Value null at 'distributionConfig.enabled'
 * failed to satisfy constraint: Member must not be null` (fog issue 3428, 2015; terraform-aws-cloudfront 53).
 */
export const malformedXml = (problems: string[]) => cfError('MalformedXML', validationMessage(problems));

/** [obs] `The specified quantity of Aliases (2) does not match the actual quantity supplied (1).` */
export const inconsistentQuantities = (list: string, quantity: number, supplied: number) =>
  cfError('InconsistentQuantities', `The specified quantity of ${list} (${quantity}) does not match the actual quantity supplied (${supplied}).`);

/** [model] InvalidArgument 400 with CloudFront's parameter texts. */
export const invalidArgument = (message: string) => cfError('InvalidArgument', message);

// ------------------------------------------------------------------ distributions

/** [obs][model] NoSuchDistribution 404. */
export const noSuchDistribution = () => cfError('NoSuchDistribution', 'The specified distribution does not exist.', 404);

/** [obs] InvalidIfMatchVersion 400 (aws-sdk-js issue 1669, crossplane provider-aws 1595). */
export const invalidIfMatchVersion = () => cfError('InvalidIfMatchVersion', 'The If-Match version is missing or not valid for the resource.');

/** [obs] PreconditionFailed 412 (terraform-provider-aws 17841, pulumi-aws 308). */
export const preconditionFailed = () =>
  cfError('PreconditionFailed', "The request failed because it didn't meet the preconditions in one or more request-header fields.", 412);

/** [obs] DistributionNotDisabled 409 (aws-nuke 155; also while a disable is still InProgress). */
export const distributionNotDisabled = () => cfError('DistributionNotDisabled', 'The distribution you are trying to delete has not been disabled.', 409);

/** [obs] DistributionAlreadyExists 409 (aws-sdk-js-v3 issue 2618). */
export const distributionAlreadyExists = (id: string) =>
  cfError(
    'DistributionAlreadyExists',
    `The caller reference that you are using to create a distribution is associated with another distribution. Already exists: ${id}`,
    409,
  );

/** [model] IllegalUpdate 400; text unconfirmed (the model's documentation). */
export const illegalUpdate = () => cfError('IllegalUpdate', 'The update contains modifications that are not allowed.');

// ------------------------------------------------------------------ origins and behaviors

/** [obs] NoSuchOrigin 404 (aws-cloudformation/rain 517). */
export const noSuchOrigin = () => cfError('NoSuchOrigin', 'One or more of your cache behavior target origins or origin groups do not exist.', 404);

/** [obs] InvalidOrigin 400 (ansible community.aws 1819). */
export const bothOriginConfigs = () => cfError('InvalidOrigin', 'You must specify either a CustomOrigin or an S3Origin. You cannot specify both.');

/** [obs] An origin without CustomOriginConfig is an S3 origin, whose name must be a bucket's. */
export const notAnS3Bucket = () => invalidArgument('The parameter Origin DomainName does not refer to a valid S3 bucket.');

/** [obs] (aws-cdk 25110). */
export const originNameColon = () => invalidArgument('The parameter origin name cannot contain a colon.');

/** [obs] (s3_website 83). Also for IP addresses, which are not domain names. */
export const originNameNotDomain = () => invalidArgument('The parameter origin name must be a domain name.');

/** [obs] A cache behavior with neither ForwardedValues nor a cache policy (cloudposse 252). */
export const forwardedValuesRequired = () => invalidArgument('The parameter ForwardedValues is required.');

/** [obs] (terraform-aws-cloudfront 71). */
export const forwardedValuesWithCachePolicy = () =>
  invalidArgument('The parameter ForwardedValues cannot be used when a cache policy is associated to the cache behavior.');

/** [model] NoSuchCachePolicy 404; text unconfirmed. */
export const noSuchCachePolicy = () => cfError('NoSuchCachePolicy', 'The cache policy does not exist.', 404);

/** [model] NoSuchOriginRequestPolicy 404; text unconfirmed. */
export const noSuchOriginRequestPolicy = () => cfError('NoSuchOriginRequestPolicy', 'The origin request policy does not exist.', 404);

/** [model] InvalidFunctionAssociation 400 (CloudFront Functions do not exist here); text unconfirmed. */
export const noSuchCloudFrontFunction = (arn: string) =>
  cfError('InvalidFunctionAssociation', `The function ARN ${arn} does not refer to an existing function.`);

// ------------------------------------------------------------------ Lambda@Edge (InvalidLambdaFunctionAssociation 400)

export const invalidLambdaAssociation = (message: string) => cfError('InvalidLambdaFunctionAssociation', message);
