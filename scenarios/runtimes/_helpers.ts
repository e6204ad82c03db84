/**
 * What the runtime suites share: the two non-Node.js sample functions (functions/python-echo on
 * python3.12, functions/custom-bootstrap on provided.al2023) and why a suite is skipped. On the
 * embedded target the machine runs them: Python needs the machine's python3, the custom runtime
 * (sh + curl) needs curl. Other targets run them in their own containers.
 */
import { CreateFunctionCommand, DeleteFunctionCommand, waitUntilFunctionActiveV2, type CreateFunctionCommandInput } from '@aws-sdk/client-lambda';
import { onPath, pythonUnavailableReason } from '../../src/cloud/lambda/runtime/machine';
import type { FunctionSpec } from '../../src/testbed/deploy';
import { getTestbed } from '../_support/testbed';

const tb = getTestbed();

export interface RuntimeCase {
  /** Label in test titles. */
  label: string;
  code: string;
  runtime: 'python3.12' | 'provided.al2023';
  handler: string;
  /** Why this target cannot run it, or undefined. */
  skip: string | undefined;
}

export function pythonSkip(): string | undefined {
  const reason = tb.target.kind === 'embedded' ? pythonUnavailableReason() : undefined;
  return reason && `the embedded target runs Python functions on the machine's python3: ${reason}`;
}

export function customSkip(): string | undefined {
  return tb.target.kind === 'embedded' && !onPath('curl') ? 'the custom-bootstrap function is sh + curl, and this machine has no curl' : undefined;
}

export const PYTHON: RuntimeCase = { label: 'Python (python3.12)', code: 'python-echo', runtime: 'python3.12', handler: 'handler.handler', skip: pythonSkip() };
export const CUSTOM: RuntimeCase = { label: 'custom runtime (provided.al2023)', code: 'custom-bootstrap', runtime: 'provided.al2023', handler: 'function.handler', skip: customSkip() };

/** The function spec of a runtime case, with overrides. */
export function fnSpec(c: RuntimeCase, over: Partial<FunctionSpec> = {}): FunctionSpec {
  return { code: c.code, runtime: c.runtime, handler: c.handler, ...over };
}

/** `describe`, or a skipped block whose title carries the reason (printed once, as itIf does). */
export function describeRuntime(c: RuntimeCase, name: string, fn: () => void): void {
  if (!c.skip) {
    describe(name, fn);
    return;
  }
  process.stderr.write(`testbed: skipping "${name}": ${c.skip}\n`);
  describe.skip(`${name} [skipped: ${c.skip}]`, fn);
}

/** The target's reason for not applying layers at invoke, or undefined. */
export function layersSkip(): string | undefined {
  return tb.target.kind === 'localstack' ? "LocalStack's community edition stores layers but does not apply them at invoke" : undefined;
}

/** Functions created straight with the SDK by a suite, deleted after it. */
export function functionTracker() {
  const names = new Set<string>();
  afterAll(async () => {
    await Promise.all([...names].map((FunctionName) => tb.clients.lambda.send(new DeleteFunctionCommand({ FunctionName })).catch(() => undefined)));
  });
  return {
    /** CreateFunction, then wait until it is Active. */
    async create(input: Omit<CreateFunctionCommandInput, 'Role'>): Promise<string> {
      const role = (await tb.deploy({ name: 'runtimes-role', functions: {} })).roleArn;
      await tb.clients.lambda.send(new CreateFunctionCommand({ ...input, Role: role }));
      names.add(input.FunctionName!);
      await waitUntilFunctionActiveV2({ client: tb.clients.lambda, maxWaitTime: 120, minDelay: 0.05, maxDelay: 2 }, { FunctionName: input.FunctionName! });
      return input.FunctionName!;
    },
  };
}
