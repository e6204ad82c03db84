/**
 * ELBv2's errors (query protocol: `<Error><Type>Sender</Type><Code>..</Code><Message>..`). Codes and
 * statuses come from the model's error traits [model] (every one is a 400 Sender fault, except
 * HealthUnavailable 500); texts are AWS's where seen in the wild [obs] and marked unconfirmed where
 * only their pattern is known.
 */
import { AwsError } from '../../errors';
import { Validator } from '../../protocols/validation';

const err = (code: string, message: string, status = 400) => new AwsError(code, message, status);

/** A collector of "1 validation error detected: ..." problems, answered as ValidationError [model]. */
export const validator = () => new Validator('ValidationError', 400);

export const validationError = (message: string) => err('ValidationError', message);

/** `'x' is not a valid load balancer ARN` [obs]. */
export const invalidArn = (value: string, what: 'load balancer' | 'target group' | 'listener' | 'listener rule' | 'resource') =>
  validationError(`'${value}' is not a valid ${what} ARN`);

// ------------------------------------------------------------------ not found [obs]

export const loadBalancerNotFound = (arn?: string) =>
  err('LoadBalancerNotFound', arn ? `Load balancer '${arn}' not found` : 'One or more load balancers not found');
export const loadBalancersNamedNotFound = (names: string[]) => err('LoadBalancerNotFound', `Load balancers '[${names.join(', ')}]' not found`);
export const targetGroupNotFound = (arn?: string) =>
  err('TargetGroupNotFound', arn ? `Target group '${arn}' not found` : 'One or more target groups not found');
export const targetGroupsNamedNotFound = (names: string[]) => err('TargetGroupNotFound', `Target groups '[${names.join(', ')}]' not found`);
export const listenerNotFound = (arn?: string) => err('ListenerNotFound', arn ? `Listener '${arn}' not found` : 'One or more listeners not found');
export const ruleNotFound = (arn?: string) => err('RuleNotFound', arn ? `Rule '${arn}' not found` : 'One or more rules not found');

// ------------------------------------------------------------------ conflicts

export const duplicateLoadBalancerName = () => err('DuplicateLoadBalancerName', 'A load balancer with the specified name already exists.'); // [obs]
export const duplicateTargetGroupName = () => err('DuplicateTargetGroupName', 'A target group with the specified name already exists.'); // [obs]
export const duplicateListener = () => err('DuplicateListener', 'A listener with the specified port already exists.'); // [obs]
export const priorityInUse = (priority: number) => err('PriorityInUse', `Priority '${priority}' is currently in use`); // [obs]
export const targetGroupInUse = (arn: string) =>
  err('ResourceInUse', `Target group '${arn}' is currently in use by a listener or a rule`); // [obs]
export const targetGroupAssociationLimit = (arn: string) =>
  err('TargetGroupAssociationLimit', `Target group '${arn}' cannot be associated with more than one load balancer`); // [obs]
export const deletionProtected = (arn: string) =>
  err('OperationNotPermitted', `Load balancer '${arn}' cannot be deleted because deletion protection is enabled`); // [obs]
export const defaultRuleNotPermitted = (arn: string, what: 'deleted' | 'modified') =>
  err('OperationNotPermitted', `Default rule '${arn}' cannot be ${what}`); // unconfirmed

// ------------------------------------------------------------------ configuration

export const invalidConfiguration = (message: string) => err('InvalidConfigurationRequest', message);
export const invalidAction = (message: string) => err('InvalidLoadBalancerAction', message);
export const tooManyTargets = () => err('TooManyTargets', 'You can register only one Lambda function per target group'); // unconfirmed text
export const invalidTarget = (message: string) => err('InvalidTarget', message);
export const tooManyTags = () => err('TooManyTags', 'The quota for the number of tags that can be assigned to a load balancer has been reached'); // [obs]
export const duplicateTagKeys = (key: string) => err('DuplicateTagKeys', `Tag key was specified more than once: ${key}`); // [obs]
export const tooManyListeners = () => err('TooManyListeners', 'You have reached the limit on the number of listeners per load balancer'); // unconfirmed text
export const tooManyRules = () => err('TooManyRules', 'You have reached the limit on the number of rules per load balancer'); // unconfirmed text
export const certificateNotFound = (arn: string) => err('CertificateNotFound', `Certificate '${arn}' not found`); // unconfirmed text

/**
 * RegisterTargets when the function's resource policy does not let `elasticloadbalancing.amazonaws.com`
 * invoke it for this target group [obs: the AWS CLI's "An error occurred (AccessDenied) when calling
 * the RegisterTargets operation: elasticloadbalancing principal does not have permission to invoke
 * <function> from target group <target group>"]. Not in the model; 403 as AWS's AccessDenied is.
 */
export const registerAccessDenied = (functionArn: string, targetGroupArn: string) =>
  err('AccessDenied', `elasticloadbalancing principal does not have permission to invoke ${functionArn} from target group ${targetGroupArn}`, 403);
