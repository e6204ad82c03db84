/**
 * Bad input around runtimes and layers: AWS's errors, and the cloud keeps serving. Broken deployment
 * packages are accepted by CreateFunction (as on AWS) and fail at invoke; runtimes and layer lists
 * are refused at create.
 */
import { InvokeCommand, PublishLayerVersionCommand } from '@aws-sdk/client-lambda';
import { zipSync } from 'fflate';
import { zipFiles } from '../../src/testbed/build';
import { makeLambdaClient } from '../../src/testbed/clients';
import { importTarget } from '../../src/testbed/target-env';
import { zerosZip } from '../../src/testbed/zeros-zip';
import { decode, getTestbed, payload, rejection, unique } from '../_support/testbed';
import { CUSTOM, PYTHON, describeRuntime, functionTracker } from './_helpers';

const tb = getTestbed();
const fns = functionTracker();

/** A zip whose `bootstrap` has the given Unix mode. */
function bootstrapZip(script: string, mode: number): Buffer {
  return Buffer.from(zipSync({ bootstrap: [new TextEncoder().encode(script), { attrs: (mode << 16) >>> 0, os: 3 }] }));
}

async function invoke(name: string) {
  return tb.clients.lambda.send(new InvokeCommand({ FunctionName: name, Payload: payload({}) }));
}

/** The cloud still runs functions after the bad input. */
async function stillServing(): Promise<void> {
  const { functions } = await tb.deploy({ name: 'runtimes-serving', functions: { ok: { code: 'echo' } } });
  expect((await invoke(functions.ok.name)).FunctionError).toBeUndefined();
}

describeRuntime(CUSTOM, 'custom runtime deployment packages that cannot start', () => {
  it('a zip without bootstrap: Runtime.InvalidEntrypoint "Couldn\'t find valid bootstrap(s)"', async () => {
    const name = await fns.create({ FunctionName: unique('no-bootstrap'), Runtime: 'provided.al2023', Handler: 'x', Code: { ZipFile: zipFiles({ 'function.sh': 'echo\n' }) } });
    const out = await invoke(name);
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBe('Unhandled');
    expect(decode(out.Payload)).toEqual({
      errorType: 'Runtime.InvalidEntrypoint',
      errorMessage: `RequestId: ${out.$metadata.requestId} Error: Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]`,
    });
    await stillServing();
  });

  it('a bootstrap without its execute bit (mode 0644 in the zip): "fork/exec /var/task/bootstrap: permission denied"', async () => {
    const name = await fns.create({ FunctionName: unique('not-exec'), Runtime: 'provided.al2023', Handler: 'x', Code: { ZipFile: bootstrapZip('#!/bin/sh\nexit 0\n', 0o100644) } });
    const out = await invoke(name);
    expect(decode(out.Payload)).toEqual({
      errorType: 'Runtime.InvalidEntrypoint',
      errorMessage: `RequestId: ${out.$metadata.requestId} Error: fork/exec /var/task/bootstrap: permission denied`,
    });
    await stillServing();
  });

  it('a bootstrap that exits at once: Runtime.ExitError "exit status 1"', async () => {
    const name = await fns.create({ FunctionName: unique('exits'), Runtime: 'provided.al2', Handler: 'x', Code: { ZipFile: bootstrapZip('#!/bin/sh\nexit 1\n', 0o100755) } });
    const out = await invoke(name);
    expect(decode(out.Payload)).toEqual({ errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${out.$metadata.requestId} Error: Runtime exited with error: exit status 1` });
    await stillServing();
  });
});

describeRuntime(PYTHON, 'Python handlers that name nothing', () => {
  it('a handler naming no module: Runtime.ImportModuleError with an empty requestId and stackTrace', async () => {
    const name = await fns.create({ FunctionName: unique('no-module'), Runtime: 'python3.12', Handler: 'missing.handler', Code: { ZipFile: zipFiles({ 'handler.py': 'def handler(e, c):\n    return 1\n' }) } });
    const out = await invoke(name);
    expect(out.FunctionError).toBe('Unhandled');
    expect(decode(out.Payload)).toEqual({
      errorMessage: "Unable to import module 'missing': No module named 'missing'",
      errorType: 'Runtime.ImportModuleError',
      requestId: '',
      stackTrace: [],
    });
    await stillServing();
  });
});

describe('runtimes and layer lists refused at create', () => {
  const base = () => ({ FunctionName: unique('refused'), Handler: 'index.handler', Code: { ZipFile: zipFiles({ 'index.js': 'exports.handler = async () => 1;' }) } });

  it('a runtime AWS deprecated for creation', async () => {
    const err = await rejection(fns.create({ ...base(), Runtime: 'python3.7' }));
    expect(err.name).toBe('InvalidParameterValueException');
    expect(err.message).toBe(
      'The runtime parameter of python3.7 is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.',
    );
  });

  (tb.target.kind === 'embedded' ? it : it.skip)('a runtime this machine cannot run, naming what is missing (embedded target)', async () => {
    const err = await rejection(fns.create({ ...base(), Runtime: 'java21' }));
    expect(err.name).toBe('InvalidParameterValueException');
    expect(err.message).toMatch(/^Runtime java21 is not available in this testbed: /);
  });

  it('a layer version that does not exist, and one in another region', async () => {
    const missing = `arn:aws:lambda:${tb.target.region}:000000000000:layer:${unique('nope')}:1`;
    const err = await rejection(fns.create({ ...base(), Runtime: 'nodejs20.x', Layers: [missing] }));
    expect(err.name).toBe('InvalidParameterValueException');
    expect(err.message).toBe(`Layer version ${missing} does not exist.`);
    const otherRegion = tb.target.region === 'eu-west-1' ? 'us-east-1' : 'eu-west-1';
    const remote = makeLambdaClient({ ...importTarget()!, region: otherRegion });
    const layer = await remote.send(new PublishLayerVersionCommand({ LayerName: unique('remote'), Content: { ZipFile: zipFiles({ 'x.txt': 'x' }) } }));
    remote.destroy();
    const far = await rejection(fns.create({ ...base(), Runtime: 'nodejs20.x', Layers: [layer.LayerVersionArn!] }));
    expect(far.message).toBe(`Layers are not in the same region as the function. Layers are expected to be in region ${tb.target.region}.`);
    await stillServing();
  });

  it('six layers', async () => {
    const arns = await Promise.all(
      [1, 2, 3, 4, 5, 6].map(async (n) => (await tb.clients.lambda.send(new PublishLayerVersionCommand({ LayerName: unique(`six${n}`), Content: { ZipFile: zipFiles({ 'x.txt': 'x' }) } }))).LayerVersionArn!),
    );
    const err = await rejection(fns.create({ ...base(), Runtime: 'nodejs20.x', Layers: arns }));
    expect(err.message).toBe('Cannot reference more than 5 layers.');
  });

  it('code and layers past 250 MB unpacked', async () => {
    // Built sparsely: each layer is one file of 140 MB of zeros, about 140 KB zipped (src/testbed/zeros-zip.ts).
    // Two of them pass the 262,144,000-byte limit together; neither does alone.
    const big = zerosZip('data.bin', 140_000_000);
    const arns = await Promise.all(
      ['a', 'b'].map(async (n) => (await tb.clients.lambda.send(new PublishLayerVersionCommand({ LayerName: unique(`big${n}`), Content: { ZipFile: big } }))).LayerVersionArn!),
    );
    const err = await rejection(fns.create({ ...base(), Runtime: 'nodejs20.x', Layers: arns }));
    expect(err.name).toBe('InvalidParameterValueException');
    expect(err.message).toMatch(/^Function code combined with layers exceeds the maximum allowed size of 262144000 bytes\. The actual size is \d+ bytes\.$/);
    expect(Number(/actual size is (\d+)/.exec(err.message)![1])).toBeGreaterThan(280_000_000);
    await stillServing();
  });
});
