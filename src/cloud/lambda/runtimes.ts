/**
 * Lambda's runtimes as the control plane sees them: which identifiers AWS accepts, which it has
 * deprecated for creation, and which this testbed can run here (Node.js on this process's node,
 * Python on the machine's python3, OS-only runtimes on the zip's own `bootstrap`). CreateFunction and
 * UpdateFunctionConfiguration call checkRuntime; the layer API uses the enum lists.
 */
import { AwsError } from '../errors';
import { onPath, pythonUnavailableReason } from './runtime/machine';

/**
 * [rec] The runtimes CreateFunction accepts, in the order AWS prints them in its enum error
 * (test_create_lambda_exceptions, recorded 2025).
 */
export const CREATABLE_RUNTIMES = [
  'nodejs20.x', 'python3.14', 'provided.al2023', 'python3.12', 'python3.13', 'nodejs24.x', 'nodejs22.x', 'java25', 'python3.10',
  'python3.11', 'java21', 'ruby3.3', 'ruby3.4', 'ruby3.2', 'python3.8', 'python3.9', 'java17', 'nodejs16.x', 'dotnet10', 'dotnet8',
  'java11', 'dotnet6', 'nodejs18.x', 'provided.al2', 'java8.al2',
] as const;

/** [model] The Runtime enum (botocore, 2026): every identifier the API knows, current or not. */
export const MODEL_RUNTIMES = [
  'nodejs', 'nodejs4.3', 'nodejs6.10', 'nodejs8.10', 'nodejs10.x', 'nodejs12.x', 'nodejs14.x', 'nodejs16.x', 'nodejs18.x', 'nodejs20.x',
  'nodejs22.x', 'nodejs24.x', 'java8', 'java8.al2', 'java11', 'java17', 'java21', 'java25', 'python2.7', 'python3.6', 'python3.7',
  'python3.8', 'python3.9', 'python3.10', 'python3.11', 'python3.12', 'python3.13', 'python3.14', 'dotnetcore1.0', 'dotnetcore2.0',
  'dotnetcore2.1', 'dotnetcore3.1', 'dotnet6', 'dotnet8', 'dotnet10', 'nodejs4.3-edge', 'go1.x', 'ruby2.5', 'ruby2.7', 'ruby3.2',
  'ruby3.3', 'ruby3.4', 'ruby4.0', 'provided', 'provided.al2', 'provided.al2023', 'nodejs26.x', 'python3.15', 'java8.al2023',
  'java11.al2023', 'java17.al2023',
] as const;

/**
 * Runtimes AWS has deprecated for creation and update: older than every creatable one of their
 * language. [rec] TestRuntimeValidation answers these with "no longer supported".
 */
export const DEPRECATED_RUNTIMES: readonly string[] = [
  'nodejs', 'nodejs4.3', 'nodejs4.3-edge', 'nodejs6.10', 'nodejs8.10', 'nodejs10.x', 'nodejs12.x', 'nodejs14.x', 'java8', 'python2.7',
  'python3.6', 'python3.7', 'dotnetcore1.0', 'dotnetcore2.0', 'dotnetcore2.1', 'dotnetcore3.1', 'go1.x', 'ruby2.5', 'ruby2.7', 'provided',
];

/**
 * [rec] The enum ListLayers / ListLayerVersions print for a bad CompatibleRuntime filter
 * (test_layer_exceptions), in AWS's order; these values are accepted as filters.
 */
export const LAYER_FILTER_RUNTIMES = [
  'ruby3.5', 'ruby2.6', 'dotnetcore1.0', 'python3.7', 'nodejs8.10', 'nasa', 'ruby2.7', 'python2.7-greengrass', 'dotnetcore2.0', 'python3.8',
  'java21', 'dotnet6', 'dotnetcore2.1', 'python3.9', 'java11', 'nodejs6.10', 'provided', 'dotnetcore3.1', 'dotnet8', 'java25', 'java17',
  'nodejs', 'nodejs4.3', 'java8.al2', 'go1.x', 'dotnet10', 'nodejs20.x', 'go1.9', 'byol', 'nodejs10.x', 'provided.al2023', 'nodejs22.x',
  'python3.10', 'java8', 'nodejs12.x', 'python3.11', 'nodejs24.x', 'nodejs8.x', 'python3.12', 'nodejs14.x', 'nodejs8.9', 'nodejs26.x',
  'python3.13', 'python3.14', 'nodejs16.x', 'python3.15', 'provided.al2', 'nodejs4.3-edge', 'nodejs18.x', 'ruby3.2', 'python3.4',
  'ruby3.3', 'ruby3.4', 'ruby2.5', 'python3.6', 'python2.7',
] as const;

export type RuntimeFamily = 'nodejs' | 'python' | 'provided' | 'java' | 'dotnet' | 'ruby' | 'go';

export function runtimeFamily(runtime: string): RuntimeFamily | undefined {
  const m = /^(nodejs|python|provided|java|dotnet|ruby|go)/.exec(runtime);
  return m ? (m[1] as RuntimeFamily) : undefined;
}

/** "3.12" for python3.12; undefined for other runtimes. */
export function pythonVersionOf(runtime: string): string | undefined {
  return /^python(3\.\d+)$/.exec(runtime)?.[1];
}

/** "20" for nodejs20.x; undefined for other runtimes. */
export function nodeMajorOf(runtime: string): string | undefined {
  return /^nodejs(\d+)\.x$/.exec(runtime)?.[1];
}

const LANGUAGE: Record<string, string> = { java: 'Java', dotnet: '.NET', ruby: 'Ruby', go: 'Go' };

/** Why this testbed cannot run a creatable runtime here, or undefined when it can. */
export function unavailableReason(runtime: string): string | undefined {
  const family = runtimeFamily(runtime);
  if (family === 'nodejs' || family === 'provided') return undefined;
  if (family === 'python') return pythonUnavailableReason();
  const language = LANGUAGE[family ?? ''] ?? runtime;
  const command = family === 'java' ? 'java' : family === 'dotnet' ? 'dotnet' : family === 'ruby' ? 'ruby' : '';
  if (command && !onPath(command)) return `no ${language} runtime on this machine`;
  // Installed, but the testbed has no runtime interface client for the language.
  return `the testbed has no ${language} runtime interface client (it runs nodejs*, python3.* and provided.* functions)`;
}

/**
 * The Runtime member of CreateFunction / UpdateFunctionConfiguration, checked as AWS does (a business
 * rule, after the model's constraints): deprecated, unknown, then whether this machine can run it.
 */
export function checkRuntime(runtime: string): void {
  if (DEPRECATED_RUNTIMES.includes(runtime)) {
    // [rec] TestRuntimeValidation::test_create_deprecated_function_runtime_with_validation_enabled
    throw new AwsError(
      'InvalidParameterValueException',
      `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.`,
    );
  }
  if (!(CREATABLE_RUNTIMES as readonly string[]).includes(runtime)) {
    // [rec] test_create_lambda_exceptions: InvalidParameterValueException, without the "N validation errors" prefix.
    throw new AwsError(
      'InvalidParameterValueException',
      `Value ${runtime} at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [${CREATABLE_RUNTIMES.join(', ')}] or be a valid ARN`,
    );
  }
  const reason = unavailableReason(runtime);
  if (reason) throw new AwsError('InvalidParameterValueException', `Runtime ${runtime} is not available in this testbed: ${reason}`);
}
