/**
 * RegisterTargets, DeregisterTargets, DescribeTargetHealth for lambda target groups.
 *
 * One Lambda function per target group [doc], named by its ARN (an alias or version qualifier
 * included). Registering checks what AWS checks: the function's resource policy must let
 * `elasticloadbalancing.amazonaws.com` invoke it for this target group (AddPermission with
 * `--source-arn <target group ARN>`), else AccessDenied [obs]. Deregistering a target that is not
 * there succeeds [model]. Health: this cloud runs no health checks; a target reports "unavailable /
 * Target.HealthCheckDisabled" while they are disabled (the lambda default), "healthy" once enabled,
 * and "unused / Target.NotInUse" while no listener or rule forwards to its group [doc].
 */
import { AwsError } from '../../errors';
import { functionAllowsService } from '../../lambda/async/permission';
import type { Operation, RequestContext } from '../../protocols/types';
import { invalidTarget, registerAccessDenied, tooManyTargets, validator } from './errors';
import { records, required, str, type In } from './input';
import type { Elbv2Store } from './store';
import type { TargetGroupRecord } from './types';

export const ELB_PRINCIPAL = 'elasticloadbalancing.amazonaws.com';

const FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:([a-z0-9-]+):(\d{12}):function:[A-Za-z0-9_-]+(:(\$LATEST|[A-Za-z0-9_-]+))?$/;

function targetsOf(input: In, requiredList: boolean): { Id: string }[] | undefined {
  const list = records(input, 'Targets');
  const v = validator();
  if (requiredList) v.required(list, 'targets');
  (list ?? []).forEach((t, i) => v.required(str(t, 'Id'), `targets.${i + 1}.member.id`));
  v.check();
  return list?.map((t) => ({ Id: str(t, 'Id') as string }));
}

export function targetOperations(store: Elbv2Store): Record<string, Operation> {
  /** The function must exist here, in the group's account and region, and allow the load balancer [doc][obs]. */
  const checkFunction = (ctx: RequestContext, tg: TargetGroupRecord, id: string): void => {
    const m = FUNCTION_ARN.exec(id);
    if (!m) throw invalidTarget(`The target ID '${id}' is not a valid Lambda function ARN`); // unconfirmed text
    if (m[1] !== tg.region || m[2] !== tg.accountId) {
      throw invalidTarget('The Lambda function and target group must be in the same account and in the same Region'); // [doc]
    }
    let ref: ReturnType<Elbv2Store['lambda']['ref']>;
    try {
      ref = store.lambda.ref(ctx, id);
    } catch (e) {
      if (e instanceof AwsError) throw invalidTarget(`The Lambda function '${id}' does not exist`); // unconfirmed text
      throw e;
    }
    const { fn, qualifier } = ref;
    if (qualifier && qualifier !== '$LATEST' && !fn.versions.has(qualifier) && !fn.aliases.has(qualifier)) {
      throw invalidTarget(`The Lambda function '${id}' does not exist`); // unconfirmed text
    }
    if (!functionAllowsService(fn, qualifier, { principal: ELB_PRINCIPAL, sourceArn: tg.arn, sourceAccount: tg.accountId })) {
      throw registerAccessDenied(id, tg.arn);
    }
  };

  const RegisterTargets: Operation = (input: In, ctx: RequestContext) => {
    const tg = store.requireTargetGroup(ctx, required(input, 'TargetGroupArn'));
    const targets = targetsOf(input, true) ?? [];
    const ids = [...new Set(targets.map((t) => t.Id))];
    if (ids.length > 1 || (ids.length === 1 && tg.target && tg.target.id !== ids[0])) throw tooManyTargets();
    if (ids.length === 0) return {};
    checkFunction(ctx, tg, ids[0]);
    tg.target ??= { id: ids[0], registeredAt: store.clock.now() };
    return {};
  };

  const DeregisterTargets: Operation = (input: In, ctx: RequestContext) => {
    const tg = store.requireTargetGroup(ctx, required(input, 'TargetGroupArn'));
    const targets = targetsOf(input, true) ?? [];
    if (tg.target && targets.some((t) => t.Id === tg.target?.id)) tg.target = undefined;
    return {};
  };

  const DescribeTargetHealth: Operation = (input: In, ctx: RequestContext) => {
    const tg = store.requireTargetGroup(ctx, required(input, 'TargetGroupArn'));
    const asked = targetsOf(input, false);
    const ids = asked ? asked.map((t) => t.Id) : tg.target ? [tg.target.id] : [];
    const inUse = store.loadBalancersUsing(tg).length > 0;
    return {
      TargetHealthDescriptions: ids.map((Id) => ({
        Target: { Id, AvailabilityZone: 'all' },
        TargetHealth:
          tg.target?.id !== Id
            ? { State: 'unused', Reason: 'Target.NotRegistered', Description: 'Target is not registered to the target group' }
            : !inUse
              ? { State: 'unused', Reason: 'Target.NotInUse', Description: 'Target group is not configured to receive traffic from the load balancer' }
              : !tg.healthCheck.enabled
                ? { State: 'unavailable', Reason: 'Target.HealthCheckDisabled', Description: 'Health checks disabled' }
                : { State: 'healthy' },
      })),
    };
  };

  return { RegisterTargets, DeregisterTargets, DescribeTargetHealth };
}
