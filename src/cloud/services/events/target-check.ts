/**
 * What PutTargets checks in each target: first the model's constraints for the whole list (one
 * ValidationException listing every problem, members as `targets.1.member.id` [rec]), then the
 * rules AWS applies to one target (the first broken one fails the request): one input setting
 * only [rec], every <placeholder> defined [rec], a well-formed ARN [obs], SqsParameters for a FIFO
 * queue [obs]; Input, InputPath and InputPathsMap that EventBridge can read (texts unconfirmed).
 */
import type { Target } from '@aws-sdk/client-eventbridge';
import { expectType, formatValue, type Validator } from '../../protocols/validation';
import { invalidPlaceholder, invalidTargetArn, onlyOneInput, sqsParametersRequired, validation } from './errors';
import { placeholdersOf, RESERVED_VARIABLES } from './input';
import { compileJsonPath } from './jsonpath';
import { types, type In } from './validate';

const TARGET_ID_RE = /^[.\-_A-Za-z0-9]+$/;
const TARGET_ID_TEXT = '[\\.\\-_A-Za-z0-9]+';
const PATH_KEY_RE = /^[A-Za-z0-9_-]+$/;
const PATH_KEY_TEXT = '[A-Za-z0-9\\_\\-]+';
const ARN_RE = /^arn:aws[a-zA-Z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{0,12}:.+$/;

/** The members of a Target this service keeps (the model's, in its order). */
const TARGET_KEYS = [
  'Id',
  'Arn',
  'RoleArn',
  'Input',
  'InputPath',
  'InputTransformer',
  'KinesisParameters',
  'RunCommandParameters',
  'EcsParameters',
  'BatchParameters',
  'SqsParameters',
  'HttpParameters',
  'RedshiftDataParameters',
  'SageMakerPipelineParameters',
  'DeadLetterConfig',
  'RetryPolicy',
  'AppSyncParameters',
] as const;

const OBJECT_KEYS = new Set<string>(TARGET_KEYS.filter((k) => k.endsWith('Parameters') || ['InputTransformer', 'DeadLetterConfig', 'RetryPolicy'].includes(k)));

/** Model constraints of one target (`at` = `targets.N.member`). Returns the target as kept. */
export function checkTargetModel(v: Validator, raw: unknown, at: string): Target {
  expectType(raw, at, 'object');
  const t = (raw ?? {}) as In;
  const spec: Record<string, 'string' | 'object'> = {};
  for (const k of TARGET_KEYS) spec[k] = OBJECT_KEYS.has(k) ? 'object' : 'string';
  types(t, spec);
  if (v.required(t.Id, `${at}.id`)) v.length(t.Id as string, `${at}.id`, 1, 64).pattern(t.Id as string, `${at}.id`, TARGET_ID_RE, TARGET_ID_TEXT);
  if (v.required(t.Arn, `${at}.arn`)) v.length(t.Arn as string, `${at}.arn`, 1, 1600);
  v.length(t.RoleArn as string | undefined, `${at}.roleArn`, 1, 1600);
  v.length(t.Input as string | undefined, `${at}.input`, 0, 8192);
  v.length(t.InputPath as string | undefined, `${at}.inputPath`, 0, 256);
  const it = t.InputTransformer as In | undefined;
  if (it) {
    types(it, { InputTemplate: 'string', InputPathsMap: 'object' });
    const tat = `${at}.inputTransformer`;
    if (v.required(it.InputTemplate, `${tat}.inputTemplate`)) v.length(it.InputTemplate as string, `${tat}.inputTemplate`, 1, 8192);
    const map = it.InputPathsMap as Record<string, unknown> | undefined;
    if (map) {
      const keys = Object.keys(map);
      for (const k of keys) expectType(map[k], `${tat}.inputPathsMap.${k}`, 'string');
      if (keys.length > 100) v.fail(map, `${tat}.inputPathsMap`, 'Member must have length less than or equal to 100');
      const keyProblems = new Set<string>();
      for (const k of keys) {
        if (k.length > 256) keyProblems.add('Member must have length less than or equal to 256');
        if (k.length < 1) keyProblems.add('Member must have length greater than or equal to 1');
        if (!PATH_KEY_RE.test(k)) keyProblems.add(`Member must satisfy regular expression pattern: ${PATH_KEY_TEXT}`);
      }
      if (keyProblems.size) v.fail(map, `${tat}.inputPathsMap`, `Map keys must satisfy constraint: [${[...keyProblems].join(', ')}]`);
      const long = keys.filter((k) => typeof map[k] === 'string' && (map[k] as string).length > 256);
      if (long.length) v.fail(map, `${tat}.inputPathsMap`, 'Map value must satisfy constraint: [Member must have length less than or equal to 256]');
    }
  }
  const rp = t.RetryPolicy as In | undefined;
  if (rp) {
    types(rp, { MaximumRetryAttempts: 'number', MaximumEventAgeInSeconds: 'number' });
    v.range(rp.MaximumRetryAttempts as number | undefined, `${at}.retryPolicy.maximumRetryAttempts`, 0, 185);
    v.range(rp.MaximumEventAgeInSeconds as number | undefined, `${at}.retryPolicy.maximumEventAgeInSeconds`, 60, 86400);
  }
  const sqs = t.SqsParameters as In | undefined;
  if (sqs) {
    types(sqs, { MessageGroupId: 'string' });
    v.length(sqs.MessageGroupId as string | undefined, `${at}.sqsParameters.messageGroupId`, 0, 100);
  }
  const dlc = t.DeadLetterConfig as In | undefined;
  if (dlc) {
    types(dlc, { Arn: 'string' });
    v.length(dlc.Arn as string | undefined, `${at}.deadLetterConfig.arn`, 1, 1600);
  }
  const kept: Record<string, unknown> = {};
  for (const k of TARGET_KEYS) if (t[k] !== undefined && t[k] !== null) kept[k] = structuredClone(t[k]);
  return kept as unknown as Target;
}

/** The rules AWS applies to one target after the model's; throws the first broken one. */
export function checkTargetRules(t: Target): void {
  const id = t.Id as string;
  const inputs = [t.Input, t.InputPath, t.InputTransformer].filter((x) => x !== undefined).length;
  if (inputs > 1) throw onlyOneInput(id);
  if (t.Input !== undefined) {
    try {
      JSON.parse(t.Input);
    } catch {
      throw validation(`Parameter Input is not valid. Reason: Input for target ${id} is not valid JSON.`); // unconfirmed text
    }
  }
  if (t.InputPath !== undefined && !compileJsonPath(t.InputPath)) {
    throw validation(`Parameter InputPath is not valid. Reason: InputPath for target ${id} is not a valid JSON path.`); // unconfirmed text
  }
  if (t.InputTransformer) {
    const map = t.InputTransformer.InputPathsMap ?? {};
    for (const [k, path] of Object.entries(map)) {
      if (!compileJsonPath(path)) {
        throw validation(`Parameter InputPathsMap is not valid. Reason: ${formatValue(path)} for key ${k} of target ${id} is not a valid JSON path.`); // unconfirmed text
      }
    }
    const known = new Set<string>([...Object.keys(map), ...RESERVED_VARIABLES]);
    for (const p of placeholdersOf(t.InputTransformer.InputTemplate ?? '')) if (!known.has(p)) throw invalidPlaceholder(id, p);
  }
  const arn = t.Arn as string;
  if (!ARN_RE.test(arn)) throw invalidTargetArn(arn);
  if (/^arn:aws[a-zA-Z-]*:sqs:/.test(arn) && arn.endsWith('.fifo') && !t.SqsParameters?.MessageGroupId) throw sqsParametersRequired(id);
}
