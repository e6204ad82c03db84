/**
 * echo: returns the event, the context fields and Lambda environment variables it saw, and this
 * environment's identity (cold start, invocation count, instance id). Records a probe.
 *
 * Event: anything. If it is an object with `envKeys: string[]`, those environment variables are
 * added to `env` (null when unset). `probeTag` (string) tags the probe record.
 */
import type { Context } from 'aws-lambda';
import { beginInvocation } from '../_shared/instance';
import { recordProbe } from '../_shared/probe';

export interface EchoEvent {
  envKeys?: string[];
  probeTag?: string;
  [key: string]: unknown;
}

export interface EchoResult {
  event: unknown;
  context: {
    functionName: string;
    functionVersion: string;
    invokedFunctionArn: string;
    memoryLimitInMB: string;
    awsRequestId: string;
    logGroupName: string;
    logStreamName: string;
    remainingTimeInMillis: number;
    clientContext: unknown;
    identity: unknown;
  };
  env: Record<string, string | null>;
  envKeys: string[];
  coldStart: boolean;
  invocationCount: number;
  instanceId: string;
}

const BASE_ENV_KEYS = [
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_REGION',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  '_HANDLER',
  'TZ',
];

function requestedEnvKeys(event: unknown): string[] {
  if (event === null || typeof event !== 'object') return [];
  const keys = (event as EchoEvent).envKeys;
  return Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string') : [];
}

export const handler = async (event: unknown, context: Context): Promise<EchoResult> => {
  const info = beginInvocation();
  recordProbe(event, context, info);
  const env: Record<string, string | null> = {};
  for (const key of [...BASE_ENV_KEYS, ...requestedEnvKeys(event)]) env[key] = process.env[key] ?? null;
  return {
    event,
    context: {
      functionName: context.functionName,
      functionVersion: context.functionVersion,
      invokedFunctionArn: context.invokedFunctionArn,
      memoryLimitInMB: context.memoryLimitInMB,
      awsRequestId: context.awsRequestId,
      logGroupName: context.logGroupName,
      logStreamName: context.logStreamName,
      remainingTimeInMillis: context.getRemainingTimeInMillis(),
      clientContext: context.clientContext ?? null,
      identity: context.identity ?? null,
    },
    env,
    envKeys: Object.keys(process.env).sort(),
    coldStart: info.coldStart,
    invocationCount: info.invocationCount,
    instanceId: info.instanceId,
  };
};
