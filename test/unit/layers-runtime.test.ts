/**
 * Layers inside the execution environments: their contents unpacked in order into the folder that
 * stands in for /opt (later layers win), and the paths each runtime gets to it (NODE_PATH,
 * PYTHONPATH, PATH, LD_LIBRARY_PATH, /opt/bootstrap); and the 250 MB limit on code and layers
 * unpacked together, checked from the zips' central directories (nothing unpacked).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CreateFunctionCommand, LambdaClient, PublishLayerVersionCommand } from '@aws-sdk/client-lambda';
import { zipSync } from 'fflate';
import { startCloud } from '../../src/cloud';
import { onPath, pythonUnavailableReason } from '../../src/cloud/lambda/runtime/machine';
import { zipFiles } from '../../src/testbed/build';
import { zerosZip } from '../../src/testbed/zeros-zip';
import { Fixture } from '../runtime/helpers';

jest.setTimeout(90000);

let fx: Fixture;
let seq = 0;
beforeAll(() => {
  fx = new Fixture();
});
afterAll(() => fx.close());

/** A layer zip on disk; `exec` names entries that get mode 0755. */
function layer(files: Record<string, string>, exec: string[] = []): { arn: string; zipPath: string } {
  const zippable: Record<string, [Uint8Array, { attrs: number; os: number }]> = {};
  for (const [name, text] of Object.entries(files)) {
    zippable[name] = [new TextEncoder().encode(text), { attrs: ((exec.includes(name) ? 0o100755 : 0o100644) << 16) >>> 0, os: 3 }];
  }
  const dir = path.join(fx.root, 'layers');
  mkdirSync(dir, { recursive: true });
  const zipPath = path.join(dir, `layer-${++seq}.zip`);
  writeFileSync(zipPath, zipSync(zippable));
  return { arn: `arn:aws:lambda:us-east-1:000000000000:layer:l${seq}:1`, zipPath };
}

test('Node.js: /opt/nodejs/node_modules resolves, later layers replace files, /opt/bin on PATH with its execute bit', async () => {
  const first = layer(
    {
      'nodejs/node_modules/greet/index.js': 'module.exports = () => "from layer one";',
      'nodejs/node_modules/keep/index.js': 'module.exports = "kept";',
      'bin/hello-tool': '#!/bin/sh\necho tool-ran\n',
    },
    ['bin/hello-tool'],
  );
  const second = layer({ 'nodejs/node_modules/greet/index.js': 'module.exports = () => "from layer two";' });
  const spec = fx.fn(
    {
      'index.js': `const { execFileSync } = require('child_process');
        exports.handler = async () => ({ greet: require('greet')(), keep: require('keep'), tool: execFileSync('hello-tool').toString().trim(),
          nodePath: process.env.NODE_PATH, path: process.env.PATH, ld: process.env.LD_LIBRARY_PATH, opt: process.env.TESTBED_OPT_DIR,
          fromOpt: require('fs').readFileSync(process.env.TESTBED_OPT_DIR + '/nodejs/node_modules/keep/index.js', 'utf8') });`,
    },
    { layers: [first, second] },
  );
  const r = await fx.invoke(spec);
  expect(r.functionError).toBeUndefined();
  expect(r.json.greet).toBe('from layer two');
  expect(r.json.keep).toBe('kept');
  expect(r.json.tool).toBe('tool-ran');
  const nodePath: string[] = r.json.nodePath.split(':');
  expect(nodePath[0]).toMatch(/\/opt\/[0-9a-f]+\/nodejs\/node20\/node_modules$/);
  expect(nodePath[1]).toMatch(/\/opt\/[0-9a-f]+\/nodejs\/node_modules$/);
  expect(nodePath).toContain(spec.codeDir);
  const opt = path.dirname(path.dirname(nodePath[1]));
  expect(r.json.path.split(':').at(-1)).toBe(path.join(opt, 'bin'));
  expect(r.json.ld.split(':')).toEqual([spec.codeDir, path.join(spec.codeDir, 'lib'), path.join(opt, 'lib')]);
  // The folder standing in for /opt, named for code that opens files there itself.
  expect(r.json.opt).toBe(opt);
  expect(r.json.fromOpt).toContain('kept');
  // Without layers, no such variable (the Node.js environment is as it always was).
  const plain = await fx.invoke(fx.fn({ 'index.js': 'exports.handler = async () => ({ opt: process.env.TESTBED_OPT_DIR ?? null, ld: process.env.LD_LIBRARY_PATH ?? null });' }));
  expect(plain.json).toEqual({ opt: null, ld: null });
});

(pythonUnavailableReason() ? test.skip : test)('Python: /opt/python and /opt/python/lib/python3.x/site-packages after the task root', async () => {
  const l = layer({ 'python/helper.py': 'WHO = "helper from /opt/python"\n', 'python/lib/python3.12/site-packages/sitepkg/__init__.py': 'WHO = "site-packages"\n' });
  const spec = fx.fn(
    { 'handler.py': 'import os, helper, sitepkg\ndef handler(e, c):\n    return [helper.WHO, sitepkg.WHO, os.environ["PYTHONPATH"]]\n' },
    { runtime: 'python3.12', handler: 'handler.handler', layers: [l] },
  );
  const r = await fx.invoke(spec);
  expect(r.functionError).toBeUndefined();
  const [who, site, pythonPath] = r.json;
  expect(who).toBe('helper from /opt/python');
  expect(site).toBe('site-packages');
  const parts = pythonPath.split(':');
  expect(parts[0]).toBe(spec.codeDir);
  expect(parts[1]).toMatch(/\/opt\/[0-9a-f]+\/python\/lib\/python3\.12\/site-packages$/);
  expect(parts[2]).toMatch(/\/opt\/[0-9a-f]+\/python$/);
});

(onPath('curl') ? test : test.skip)('provided: a bootstrap from a layer (/opt/bootstrap) runs when the zip has none', async () => {
  const l = layer(
    {
      bootstrap: [
        '#!/bin/sh',
        'API="http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime"',
        'while true; do',
        '  H="$(mktemp)"; curl -sS -D "$H" "$API/invocation/next" >/dev/null',
        '  ID="$(grep -i "^Lambda-Runtime-Aws-Request-Id:" "$H" | tr -d "\\r" | cut -d" " -f2)"',
        '  curl -sS -X POST "$API/invocation/$ID/response" -d "\\"layer bootstrap\\"" >/dev/null',
        'done',
        '',
      ].join('\n'),
    },
    ['bootstrap'],
  );
  const spec = fx.fn({ 'function.sh': '' }, { runtime: 'provided.al2023', handler: 'function.handler', layers: [l] });
  const r = await fx.invoke(spec);
  expect(r.json).toBe('layer bootstrap');
});

test('code and layers past 250 MB unpacked are refused with AWS\'s text, before anything is unpacked', async () => {
  // Sparse on purpose: each layer is a 140 MB file of zeros, about 140 KB zipped. Publishing reads the
  // sizes from the central directory; the function is refused without unpacking either layer.
  const cloud = await startCloud({ port: 0 });
  const lambda = new LambdaClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
  try {
    const big = zerosZip('big.bin', 140_000_000);
    expect(big.length).toBeLessThan(1_000_000);
    const a = await lambda.send(new PublishLayerVersionCommand({ LayerName: 'big-a', Content: { ZipFile: big } }));
    const b = await lambda.send(new PublishLayerVersionCommand({ LayerName: 'big-b', Content: { ZipFile: big } }));
    const code = zipFiles({ 'index.js': 'exports.handler = async () => 1;' });
    let err: { name?: string; message?: string } = {};
    try {
      await lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'too-big',
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          Role: 'arn:aws:iam::000000000000:role/r',
          Code: { ZipFile: code },
          Layers: [a.LayerVersionArn!, b.LayerVersionArn!],
        }),
      );
    } catch (e) {
      err = e as typeof err;
    }
    const codeSize = 'exports.handler = async () => 1;'.length;
    expect(err.name).toBe('InvalidParameterValueException');
    expect(err.message).toBe(
      `Function code combined with layers exceeds the maximum allowed size of 262144000 bytes. The actual size is ${280_000_000 + codeSize} bytes.`,
    );
  } finally {
    lambda.destroy();
    await cloud.stop();
  }
});
