/**
 * SNS's errors (query protocol: `<Error><Type>Sender</Type><Code>..</Code><Message>..</Message>`).
 * Codes and statuses from the model's awsQueryError traits [model]; texts from AWS recordings [rec]
 * where there are some.
 */
import { AwsError, validationMessage } from '../../errors';

/** InvalidParameter (400) with `Invalid parameter: <text>`. */
export const invalidParameter = (text: string) => new AwsError('InvalidParameter', `Invalid parameter: ${text}`, 400);

/** InvalidParameter (400) with a message that does not start with "Invalid parameter: ". */
export const invalidParameterMessage = (message: string) => new AwsError('InvalidParameter', message, 400);

export const topicNotFound = () => new AwsError('NotFound', 'Topic does not exist', 404); // [rec]

export const subscriptionNotFound = () => new AwsError('NotFound', 'Subscription does not exist', 404); // [rec]

/** TagResource & co. on a topic that does not exist. */
export const resourceNotFound = () => new AwsError('ResourceNotFound', 'Resource does not exist', 404);

/** ParameterValueInvalid (the model's InvalidParameterValueException), for message attributes. */
export const parameterValueInvalid = (message: string) => new AwsError('ParameterValueInvalid', message, 400);

/** AWS's generic validation error, as SNS's query frontend answers it (code ValidationError). */
export const validationError = (problems: string[]) => new AwsError('ValidationError', validationMessage(problems), 400);

/** `1 validation error detected: Value null at '<member>' failed to satisfy constraint: Member must not be null` [rec]. */
export const mustNotBeNull = (member: string) => validationError([`Value null at '${member}' failed to satisfy constraint: Member must not be null`]);

/** An ARN parameter that is not an ARN [rec]. */
export const notAnArn = (param: string, value: string) =>
  invalidParameter(`${param} Reason: An ARN must have at least 6 elements, not ${value.split(':').length}`);

/** A required parameter left out (Unsubscribe without SubscriptionArn) [rec]. */
export const noValue = (param: string) => invalidParameter(`${param} Reason: no value for required parameter`);

// ------------------------------------------------------------------ batches [rec]

export const tooManyEntriesInBatchRequest = () =>
  new AwsError('TooManyEntriesInBatchRequest', 'The batch request contains more entries than permissible.', 400);

export const emptyBatchRequest = () => new AwsError('EmptyBatchRequest', 'The batch request does not contain any entries.', 400);

export const batchEntryIdsNotDistinct = () =>
  new AwsError('BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id.', 400);

export const batchEntryIdTooLong = (id: string) =>
  new AwsError('InvalidBatchEntryId', `The Id of a batch entry in the batch request is too long: ${id}`, 400);

export const batchEntryIdInvalid = (id: string) =>
  new AwsError('InvalidBatchEntryId', `The Id of a batch entry in the batch request contains an impermissible character: ${id}`, 400);

export const batchRequestTooLong = () =>
  new AwsError('BatchRequestTooLong', 'The length of all the messages put together is more than the limit.', 400);

// ------------------------------------------------------------------ tags

/** More than 50 tags on a topic [obs]. */
export const tagLimitExceeded = () => new AwsError('TagLimitExceeded', 'Could not complete request: tag quota of per resource exceeded', 400);
