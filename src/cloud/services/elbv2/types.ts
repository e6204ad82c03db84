/**
 * The shapes shared by the ELBv2 files. No behaviour here, so every file can import it.
 *
 *   store.ts           load balancers, listeners, rules and target groups per account and region;
 *                      lookups by ARN and by DNS name (the front door's), the Lambda service handle
 *   arns.ts            ARNs, ids and DNS names: made, parsed and checked
 *   input.ts           query-protocol input members (strings, lists, integers, booleans, pages)
 *   errors.ts          ELBv2's errors (codes and statuses from the model, texts from AWS where known)
 *   load-balancers.ts  Create/Describe/DeleteLoadBalancer, Describe/ModifyLoadBalancerAttributes
 *   target-groups.ts   Create/Describe/Modify/DeleteTargetGroup, Describe/ModifyTargetGroupAttributes
 *   targets.ts         Register/DeregisterTargets (the Lambda permission check), DescribeTargetHealth
 *   listeners.ts       Create/Describe/Modify/DeleteListener
 *   actions.ts         listener and rule actions: forward, fixed-response, redirect (checked, echoed)
 *   conditions.ts      rule conditions: checked and echoed as AWS answers them
 *   rules.ts           Create/Describe/Modify/DeleteRule, SetRulePriorities
 *   tags.ts            AddTags, RemoveTags, DescribeTags on every taggable resource
 *   index.ts           the service definition (query protocol, version 2015-12-01)
 *
 * The front door (frontdoors/alb/) reads these records to route requests; it never changes them.
 */

export type Tags = Map<string, string>;

export interface LoadBalancerRecord {
  arn: string;
  name: string;
  /** The 16-hex-digit id at the end of the ARN. */
  id: string;
  /** `<name>-<number>.<region>.elb.localhost` (with `internal-` in front for internal ones), lower-case. */
  dnsName: string;
  accountId: string;
  region: string;
  type: 'application';
  scheme: 'internet-facing' | 'internal';
  ipAddressType: string;
  securityGroups: string[];
  subnets: string[];
  vpcId: string;
  /** Virtual epoch ms. */
  createdTime: number;
  /** Virtual epoch ms after which DescribeLoadBalancers answers "active" (provisioning before). */
  activeAt: number;
  /** Attributes set by ModifyLoadBalancerAttributes (the defaults fill in the rest when read). */
  attributes: Record<string, string>;
  /** Listeners by ARN, in creation order. */
  listeners: Map<string, ListenerRecord>;
  tags: Tags;
}

export interface ListenerRecord {
  arn: string;
  loadBalancer: LoadBalancerRecord;
  port: number;
  protocol: 'HTTP';
  /** The default rule (IsDefault, Priority "default", no conditions) holds the default actions. */
  defaultRule: RuleRecord;
  /** Non-default rules by ARN. */
  rules: Map<string, RuleRecord>;
  tags: Tags;
}

export interface RuleRecord {
  arn: string;
  listener: ListenerRecord;
  /** 1-50000; undefined for the default rule. */
  priority?: number;
  conditions: RuleCondition[];
  actions: Action[];
  tags: Tags;
}

// ------------------------------------------------------------------ actions

export interface FixedResponseConfig {
  StatusCode: string;
  ContentType?: string;
  MessageBody?: string;
}

export interface RedirectConfig {
  Protocol: string;
  Port: string;
  Host: string;
  Path: string;
  Query: string;
  StatusCode: 'HTTP_301' | 'HTTP_302';
}

export interface TargetGroupTuple {
  TargetGroupArn: string;
  Weight: number;
}

export interface ForwardConfig {
  TargetGroups: TargetGroupTuple[];
  TargetGroupStickinessConfig: { Enabled: boolean; DurationSeconds?: number };
}

/** An action as stored (and echoed): the members AWS answers for its type. */
export interface Action {
  Type: 'forward' | 'fixed-response' | 'redirect';
  Order?: number;
  /** forward to one target group (AWS echoes it beside ForwardConfig). */
  TargetGroupArn?: string;
  ForwardConfig?: ForwardConfig;
  FixedResponseConfig?: FixedResponseConfig;
  RedirectConfig?: RedirectConfig;
}

// ------------------------------------------------------------------ conditions

export type ConditionField = 'path-pattern' | 'host-header' | 'http-header' | 'http-request-method' | 'query-string' | 'source-ip';

/** A rule condition, normalized: the config form, whatever form the caller used. */
export type RuleCondition =
  | { Field: 'path-pattern'; Values: string[] }
  | { Field: 'host-header'; Values: string[] }
  | { Field: 'http-header'; HttpHeaderName: string; Values: string[] }
  | { Field: 'http-request-method'; Values: string[] }
  | { Field: 'query-string'; Pairs: { Key?: string; Value: string }[] }
  | { Field: 'source-ip'; Values: string[] };

// ------------------------------------------------------------------ target groups

export interface TargetGroupRecord {
  arn: string;
  name: string;
  accountId: string;
  region: string;
  targetType: 'lambda';
  healthCheck: HealthCheck;
  ipAddressType: string;
  /** Set by ModifyTargetGroupAttributes; defaults fill in the rest when read. */
  attributes: Record<string, string>;
  /** The registered Lambda function (one per target group), as RegisterTargets named it. */
  target?: { id: string; registeredAt: number };
  tags: Tags;
}

export interface HealthCheck {
  enabled: boolean;
  path: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  matcher: string;
}
