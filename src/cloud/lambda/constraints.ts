/**
 * The input model's constraints for CreateFunction and UpdateFunctionConfiguration, checked the way
 * AWS's front end does before any business rule runs: every violated constraint of the request (in
 * the model's member order) in one ValidationException, "N validation error(s) detected: ...".
 * Wrong JSON types are the deserializer's SerializationException, before that.
 *
 * FunctionName is checked by names.ts (its own texts); Runtime is a business rule (runtimes.ts) that
 * answers InvalidParameterValueException [rec]. Environment keys stay with validateEnvironment.
 */
import { AwsError, validationMessage } from '../errors';
import { ROLE_PATTERN, javaList, typeError } from './validate';

/** [rec] How AWS prints the Layers member pattern (test_layer_function_exceptions). */
export const LAYER_VERSION_ARN_PATTERN =
  '(arn:(aws[a-zA-Z-]*)?:lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+)|(arn:[a-zA-Z0-9-]+:lambda:::awslayer:[a-zA-Z0-9-_]+)';
export const LAYER_VERSION_ARN_RE = new RegExp(`^(${LAYER_VERSION_ARN_PATTERN})$`);
const ROLE_RE = new RegExp(`^${ROLE_PATTERN}$`);

/** Collected constraint violations of one request. */
export class Violations {
  readonly problems: string[] = [];

  add(field: string, value: unknown, constraint: string): void {
    const shown = value === null || value === undefined ? 'null' : `'${String(value)}'`;
    this.problems.push(`Value ${shown} at '${field}' failed to satisfy constraint: ${constraint}`);
  }

  /** Throw the ValidationException when anything was violated. */
  check(): void {
    if (this.problems.length > 0) throw new AwsError('ValidationException', validationMessage(this.problems));
  }
}

type Input = Record<string, unknown>;

function present(v: unknown): boolean {
  return v !== undefined && v !== null;
}

function str(input: Input, key: string): string | undefined {
  const v = input[key];
  if (!present(v)) return undefined;
  if (typeof v !== 'string') typeError(key, 'a string');
  return v as string;
}

function int(input: Input, key: string): number | undefined {
  const v = input[key];
  if (!present(v)) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) typeError(key, 'an integer');
  return v as number;
}

function obj(input: Input, key: string): Input | undefined {
  const v = input[key];
  if (!present(v)) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) typeError(key, 'an object');
  return v as Input;
}

function strList(input: Input, key: string): unknown[] | undefined {
  const v = input[key];
  if (!present(v)) return undefined;
  if (!Array.isArray(v)) typeError(key, 'a list');
  return v as unknown[];
}

function range(out: Violations, field: string, v: number | undefined, min: number, max: number): void {
  if (v === undefined) return;
  if (v < min) out.add(field, v, `Member must have value greater than or equal to ${min}`);
  if (v > max) out.add(field, v, `Member must have value less than or equal to ${max}`);
}

function maxLength(out: Violations, field: string, v: string | undefined, max: number): void {
  if (v !== undefined && v.length > max) out.add(field, v, `Member must have length less than or equal to ${max}`);
}

/** The Layers member: [model] each 1..2048 characters matching the layer version ARN pattern. */
export function checkLayersMember(out: Violations, layers: unknown[] | undefined): void {
  if (!layers) return;
  const bad = layers.some((l) => typeof l !== 'string' || l.length < 1 || l.length > 2048 || !LAYER_VERSION_ARN_RE.test(l));
  if (bad) {
    out.add(
      'layers',
      javaList(layers),
      `Member must satisfy constraint: [Member must have length less than or equal to 2048, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: ${LAYER_VERSION_ARN_PATTERN}, Member must not be null]`,
    );
  }
}

/**
 * CreateFunction (`create`) or UpdateFunctionConfiguration (`update`): the members' types, then
 * their constraints, in the model's member order [model]. Timeout and MemorySize keep Lambda's
 * effective limits (900 s, 10240 MB), which the testbed has always answered with.
 */
export function checkFunctionModel(input: Input, op: 'create' | 'update'): void {
  // Deserialization first: a member of the wrong type fails the request on its own.
  const role = str(input, 'Role');
  const handler = str(input, 'Handler');
  const code = op === 'create' ? obj(input, 'Code') : undefined;
  const description = str(input, 'Description');
  const timeout = int(input, 'Timeout');
  const memorySize = int(input, 'MemorySize');
  const packageType = op === 'create' ? str(input, 'PackageType') : undefined;
  const tracing = obj(input, 'TracingConfig');
  const tracingMode = tracing ? str(tracing, 'Mode') : undefined;
  const layers = strList(input, 'Layers');
  const architectures = op === 'create' ? strList(input, 'Architectures') : undefined;
  const ephemeral = obj(input, 'EphemeralStorage');
  const ephemeralSize = ephemeral ? int(ephemeral, 'Size') : undefined;

  const out = new Violations();
  if (role === undefined) {
    if (op === 'create') out.add('role', null, 'Member must not be null');
  } else {
    if (role.length > 10000) out.add('role', role, 'Member must have length less than or equal to 10000');
    if (!ROLE_RE.test(role)) out.add('role', role, `Member must satisfy regular expression pattern: ${ROLE_PATTERN}`);
  }
  if (handler !== undefined) {
    maxLength(out, 'handler', handler, 128);
    if (!/^[^\s]+$/.test(handler)) out.add('handler', handler, 'Member must satisfy regular expression pattern: [^\\s]+');
  }
  if (op === 'create' && !code) out.add('code', null, 'Member must not be null');
  maxLength(out, 'description', description, 256);
  range(out, 'timeout', timeout, 1, 900);
  range(out, 'memorySize', memorySize, 128, 10240);
  if (packageType !== undefined && packageType !== 'Zip' && packageType !== 'Image') {
    out.add('packageType', packageType, 'Member must satisfy enum value set: [Image, Zip]');
  }
  if (tracingMode !== undefined && tracingMode !== 'Active' && tracingMode !== 'PassThrough') {
    out.add('tracingConfig.mode', tracingMode, 'Member must satisfy enum value set: [Active, PassThrough]');
  }
  checkLayersMember(out, layers);
  if (architectures) {
    const shown = javaList(architectures);
    if (architectures.length < 1) out.add('architectures', shown, 'Member must have length greater than or equal to 1');
    else if (architectures.length > 1) out.add('architectures', shown, 'Member must have length less than or equal to 1');
    else if (architectures[0] !== 'x86_64' && architectures[0] !== 'arm64') {
      out.add('architectures', shown, 'Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64], Member must not be null]');
    }
  }
  range(out, 'ephemeralStorage.size', ephemeralSize, 512, 10240);
  out.check();
}
