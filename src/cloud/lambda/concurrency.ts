/**
 * Concurrency operations: PutFunctionConcurrency, GetFunctionConcurrency, DeleteFunctionConcurrency,
 * GetAccountSettings. The accounting that throttles invocations lives in the core (service.ts).
 */
import { AwsError } from '../errors';
import type { RequestContext } from '../protocols/types';
import type { LambdaService } from './service';
import { fail, optInt } from './validate';

export function putFunctionConcurrency(lambda: LambdaService, ctx: RequestContext, name: unknown, input: Record<string, unknown>) {
  // A missing function is reported as its $LATEST here.
  const { fn, qualifier } = lambda.ref(ctx, name, undefined, (arn, q) => new AwsError('ResourceNotFoundException', `Function not found: ${arn}:${q ?? '$LATEST'}`, 404));
  if (qualifier) {
    throw new AwsError(
      'InvalidParameterValueException',
      'This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.',
    );
  }
  const n = optInt(input, 'ReservedConcurrentExecutions', 'reservedConcurrentExecutions', 0, Number.MAX_SAFE_INTEGER);
  if (n === undefined) fail('reservedConcurrentExecutions', null, 'Member must not be null');
  if (lambda.accountConcurrency - lambda.reservedSum(fn, fn) - n < lambda.minUnreserved()) {
    throw new AwsError(
      'InvalidParameterValueException',
      `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${lambda.minUnreserved()}].`,
    );
  }
  fn.reservedConcurrency = n;
  lambda.reservedChanged();
  return { ReservedConcurrentExecutions: n };
}

export function getFunctionConcurrency(lambda: LambdaService, ctx: RequestContext, name: unknown) {
  const { fn } = lambda.ref(ctx, name);
  return fn.reservedConcurrency === undefined ? {} : { ReservedConcurrentExecutions: fn.reservedConcurrency };
}

export function deleteFunctionConcurrency(lambda: LambdaService, ctx: RequestContext, name: unknown) {
  const { fn } = lambda.ref(ctx, name);
  fn.reservedConcurrency = undefined;
  lambda.reservedChanged();
  return { status: 204 };
}

export function getAccountSettings(lambda: LambdaService, ctx: RequestContext) {
  const prefix = `${ctx.accountId}/${ctx.region}/`;
  let totalCodeSize = 0;
  let count = 0;
  for (const [k, f] of lambda.functions) {
    if (!k.startsWith(prefix)) continue;
    count++;
    totalCodeSize += f.latest.config.codeSize;
    for (const v of f.versions.values()) totalCodeSize += v.config.codeSize;
  }
  return {
    AccountLimit: {
      TotalCodeSize: 80530636800,
      CodeSizeUnzipped: 262144000,
      CodeSizeZipped: 52428800,
      ConcurrentExecutions: lambda.accountConcurrency,
      UnreservedConcurrentExecutions: lambda.accountConcurrency - lambda.reservedSum(ctx),
    },
    AccountUsage: { TotalCodeSize: totalCodeSize, FunctionCount: count },
  };
}
