/**
 * EventBridge's errors (JSON 1.1: `__type` is the bare code; every client error is HTTP 400, as
 * the AWS recordings show for ResourceNotFoundException too).
 */
import { AwsError } from '../../errors';

export const validation = (message: string) => new AwsError('ValidationException', message, 400);

// [rec]
export const busNotFound = (name: string) => new AwsError('ResourceNotFoundException', `Event bus ${name} does not exist.`, 400);

// [rec]
export const ruleNotFound = (name: string, bus: string) =>
  new AwsError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus ${bus}.`, 400);

// [rec]
export const busAlreadyExists = (name: string) => new AwsError('ResourceAlreadyExistsException', `Event bus ${name} already exists.`, 400);

// [rec]
export const cannotDeleteDefaultBus = () => validation('Cannot delete event bus default.');

// [rec]
export const ruleHasTargets = () => validation("Rule can't be deleted since it has targets.");

// [rec] (too many targets on a rule; also AWS's answer to a rule past the rules-per-bus quota [obs])
export const limitExceeded = () => new AwsError('LimitExceededException', 'The requested resource exceeds the maximum number allowed.', 400);

// [rec]
export const scheduleOnlyOnDefaultBus = () => validation('ScheduleExpression is supported only on the default event bus.');

// [rec]
export const invalidSchedule = () => validation('Parameter ScheduleExpression is not valid.');

// [obs] (moto, LocalStack)
export const patternOrScheduleRequired = () => validation('Parameter(s) EventPattern or ScheduleExpression must be specified.');

// [rec]
export const onlyOneInput = (targetId: string) =>
  validation(`Only one of Input, InputPath, or InputTransformer must be provided for target ${targetId}.`);

// [rec]
export const invalidPlaceholder = (targetId: string, placeholder: string) =>
  validation(`InputTemplate for target ${targetId} contains invalid placeholder ${placeholder}.`);

// [obs] (moto's AWS-derived test)
export const sqsParametersRequired = (targetId: string) => validation(`Parameter(s) SqsParameters must be specified for target: ${targetId}.`);

// [obs] (LocalStack)
export const invalidTargetArn = (arn: string) => validation(`Parameter ${arn} is not valid. Reason: Provided Arn is not in correct format.`);

// [rec]
export const invalidEvent = () => validation('Parameter Event is not valid.');

// [rec]
export const requestTooLarge = () => validation('Total size of the entries in the request is over the limit.');

/** The pattern engine's refusal (its message is EventBridge's full text). */
export const invalidEventPattern = (message: string) => new AwsError('InvalidEventPatternException', message, 400);

/** A NextToken this service did not hand out. Unconfirmed text. */
export const invalidNextToken = () => validation('The NextToken provided is not valid.');
