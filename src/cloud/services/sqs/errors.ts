/**
 * SQS's errors. The AwsError `code` is the JSON protocol's name (what SDK v3 shows as `error.name`,
 * after `com.amazonaws.sqs#` in `__type`); `queryCode` is the legacy query-protocol code, sent by the
 * JSON protocol in `x-amzn-query-error` (SDK v3 reads it) and as `<Code>` in query XML errors.
 */
import { AwsError } from '../../errors';

interface ErrorSpec {
  queryCode: string;
  status: number;
}

/** Legacy codes and statuses, from the SQS model's awsQueryError traits. */
export const SQS_ERRORS: Record<string, ErrorSpec> = {
  QueueDoesNotExist: { queryCode: 'AWS.SimpleQueueService.NonExistentQueue', status: 400 },
  QueueNameExists: { queryCode: 'QueueAlreadyExists', status: 400 },
  QueueDeletedRecently: { queryCode: 'AWS.SimpleQueueService.QueueDeletedRecently', status: 400 },
  PurgeQueueInProgress: { queryCode: 'AWS.SimpleQueueService.PurgeQueueInProgress', status: 403 },
  MessageNotInflight: { queryCode: 'AWS.SimpleQueueService.MessageNotInflight', status: 400 },
  TooManyEntriesInBatchRequest: { queryCode: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest', status: 400 },
  EmptyBatchRequest: { queryCode: 'AWS.SimpleQueueService.EmptyBatchRequest', status: 400 },
  BatchEntryIdsNotDistinct: { queryCode: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct', status: 400 },
  InvalidBatchEntryId: { queryCode: 'AWS.SimpleQueueService.InvalidBatchEntryId', status: 400 },
  BatchRequestTooLong: { queryCode: 'AWS.SimpleQueueService.BatchRequestTooLong', status: 400 },
  UnsupportedOperation: { queryCode: 'AWS.SimpleQueueService.UnsupportedOperation', status: 400 },
  OverLimit: { queryCode: 'OverLimit', status: 403 },
  ReceiptHandleIsInvalid: { queryCode: 'ReceiptHandleIsInvalid', status: 400 },
  InvalidAttributeName: { queryCode: 'InvalidAttributeName', status: 400 },
  InvalidAttributeValue: { queryCode: 'InvalidAttributeValue', status: 400 },
  InvalidMessageContents: { queryCode: 'InvalidMessageContents', status: 400 },
  InvalidAddress: { queryCode: 'InvalidAddress', status: 404 },
  InvalidSecurity: { queryCode: 'InvalidSecurity', status: 403 },
  InvalidIdFormat: { queryCode: 'InvalidIdFormat', status: 400 },
  RequestThrottled: { queryCode: 'RequestThrottled', status: 403 },
  ResourceNotFoundException: { queryCode: 'ResourceNotFoundException', status: 404 },
  InvalidAction: { queryCode: 'InvalidAction', status: 400 },
  InvalidClientTokenId: { queryCode: 'InvalidClientTokenId', status: 403 },
  AccessDenied: { queryCode: 'AccessDenied', status: 403 },
  ValidationException: { queryCode: 'ValidationError', status: 400 },
  // AWS-recorded (LocalStack's test_sqs*.snapshot.json): parameter problems answer `__type`
  // `com.amazonaws.sqs#InvalidParameterValueException` with `x-amzn-query-error: InvalidParameterValue;Sender`,
  // and `MissingRequiredParameterException` with `MissingParameter;Sender`.
  InvalidParameterValueException: { queryCode: 'InvalidParameterValue', status: 400 },
  MissingRequiredParameterException: { queryCode: 'MissingParameter', status: 400 },
};

/** An SQS error by its JSON name, with its legacy code and status. */
export function sqsError(code: keyof typeof SQS_ERRORS | string, message: string): AwsError {
  const spec = SQS_ERRORS[code] ?? { queryCode: code, status: 400 };
  return new AwsError(code, message, spec.status, { queryCode: spec.queryCode });
}

export const queueDoesNotExist = () => sqsError('QueueDoesNotExist', 'The specified queue does not exist.');

// ------------------------------------------------------------------ queue-level constructors

/** InvalidParameterValue with AWS's JSON name (InvalidParameterValueException) and a free text. */
export const invalidParameterValue = (message: string) => sqsError('InvalidParameterValueException', message);

/** `The request must contain the parameter <name>.` with AWS's JSON name (MissingRequiredParameterException). */
export const missingParameter = (name: string) =>
  sqsError('MissingRequiredParameterException', `The request must contain the parameter ${name}.`);

/** `Unknown Attribute <name>.` (InvalidAttributeName). */
export const unknownAttribute = (name: string) => sqsError('InvalidAttributeName', `Unknown Attribute ${name}.`);

/** `Invalid value for the parameter <name>.` plus an optional ` Reason: ...` (InvalidAttributeValue). */
export const invalidAttributeValue = (name: string, reason?: string) =>
  sqsError('InvalidAttributeValue', `Invalid value for the parameter ${name}.${reason ? ` Reason: ${reason}` : ''}`);

export const queueNameExists = (attribute: string) =>
  sqsError('QueueNameExists', `A queue already exists with the same name and a different value for attribute ${attribute}`);

export const queueDeletedRecently = () =>
  sqsError('QueueDeletedRecently', 'You must wait 60 seconds after deleting a queue before you can create another with the same name.');

export const purgeQueueInProgress = (queueName: string) =>
  sqsError('PurgeQueueInProgress', `Only one PurgeQueue operation on ${queueName} is allowed every 60 seconds.`);

export const resourceNotFound = (message: string) => sqsError('ResourceNotFoundException', message);

// ---------------------------------------------------------------- messages (texts from AWS answers)

/** `Value <v> for parameter <name> is invalid. Reason: <reason>` with AWS's JSON name (InvalidParameterValueException). */
export const invalidParameter = (name: string, value: unknown, reason: string) =>
  invalidParameterValue(`Value ${String(value)} for parameter ${name} is invalid. Reason: ${reason}`);

/** `The input receipt handle "<h>" is not a valid receipt handle.` (malformed, or another queue's). */
export const receiptHandleIsInvalid = (handle: string) =>
  sqsError('ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`);

/** FIFO: the handle's receive is over (its visibility timeout passed, or a newer receive exists). */
export const receiptHandleExpired = (handle: string) =>
  invalidParameter('ReceiptHandle', handle, 'The receipt handle has expired.');

/** ChangeMessageVisibility on a deleted (or otherwise unavailable) message. */
export const notAvailableForVisibilityChange = (handle: string) =>
  invalidParameter('ReceiptHandle', handle, 'Message does not exist or is not available for visibility timeout change.');

/** Over the standard queue's in-flight cap (about 120,000). */
export const overLimit = () =>
  sqsError(
    'OverLimit',
    'Too many messages have been received without being deleted.\nPlease delete your received messages or let them timeout before receiving more.',
  );

/** A character outside XML 1.0 in a message body. */
export const invalidMessageContents = (codePoint: number) =>
  sqsError(
    'InvalidMessageContents',
    `Invalid binary character '#x${codePoint.toString(16).toUpperCase()}' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].`,
  );

/** `There should be at least one <Entry shape> in the request.` */
export const emptyBatchRequest = (entryShape: string) =>
  sqsError('EmptyBatchRequest', `There should be at least one ${entryShape} in the request.`);

export const tooManyEntriesInBatchRequest = (sent: number) =>
  sqsError('TooManyEntriesInBatchRequest', `Maximum number of entries per request are 10. You have sent ${sent}.`);

export const batchEntryIdsNotDistinct = (id: string) => sqsError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`);

export const invalidBatchEntryId = () =>
  sqsError(
    'InvalidBatchEntryId',
    'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
  );

export const batchRequestTooLong = (sent: number, max: number) =>
  sqsError('BatchRequestTooLong', `Batch requests cannot be longer than ${max} bytes. You have sent ${sent} bytes.`);
