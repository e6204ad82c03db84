/**
 * Layers at invoke: a Node.js layer (/opt/nodejs/node_modules) and a Python layer (/opt/python)
 * reach the function's imports, later layers replace earlier files, /opt/bin is on PATH; a published
 * layer version answers GetLayerVersion. The contents are unpacked in the order the function lists
 * them, as on AWS; here into a folder standing in for /opt (see the README).
 */
import { GetLayerVersionCommand, InvokeCommand, PublishLayerVersionCommand } from '@aws-sdk/client-lambda';
import { zipSync } from 'fflate';
import { zipFiles } from '../../src/testbed/build';
import { decode, getTestbed, payload, unique } from '../_support/testbed';
import { PYTHON, functionTracker, layersSkip } from './_helpers';

const tb = getTestbed();
const fns = functionTracker();
const skip = layersSkip();
const describeLayers = skip ? describe.skip : describe;
if (skip) process.stderr.write(`testbed: skipping "layers at invoke": ${skip}\n`);

async function publish(files: Record<string, string>, executable: string[] = [], runtimes?: string[]): Promise<string> {
  const zip = zipSync(
    Object.fromEntries(
      Object.entries(files).map(([name, text]) => [name, [new TextEncoder().encode(text), { attrs: ((executable.includes(name) ? 0o100755 : 0o100644) << 16) >>> 0, os: 3 }]]),
    ),
  );
  const out = await tb.clients.lambda.send(new PublishLayerVersionCommand({ LayerName: unique('layer'), Content: { ZipFile: zip }, CompatibleRuntimes: runtimes as never }));
  expect(out.Version).toBe(1);
  return out.LayerVersionArn!;
}

describeLayers(`layers at invoke${skip ? ` [skipped: ${skip}]` : ''}`, () => {
  it('a Node.js layer: its modules resolve, a later layer replaces a file, its bin/ is on PATH', async () => {
    const first = await publish(
      {
        'nodejs/node_modules/greeting/index.js': 'module.exports = (who) => `hello ${who} from layer one`;',
        'nodejs/node_modules/shared/index.js': 'module.exports = "only in layer one";',
        'bin/layer-tool': '#!/bin/sh\necho "tool from a layer"\n',
      },
      ['bin/layer-tool'],
      ['nodejs20.x'],
    );
    const second = await publish({ 'nodejs/node_modules/greeting/index.js': 'module.exports = (who) => `hello ${who} from layer two`;' });
    const got = await tb.clients.lambda.send(new GetLayerVersionCommand({ LayerName: first.split(':')[6], VersionNumber: 1 }));
    expect(got.CompatibleRuntimes).toEqual(['nodejs20.x']);
    const name = await fns.create({
      FunctionName: unique('node-layers'),
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Layers: [first, second],
      Code: {
        ZipFile: zipFiles({
          'index.js':
            "const { execFileSync } = require('child_process');\n" +
            "exports.handler = async (e) => ({ greeting: require('greeting')(e.who), shared: require('shared'), tool: execFileSync('layer-tool').toString().trim() });",
        }),
      },
    });
    const out = await tb.clients.lambda.send(new InvokeCommand({ FunctionName: name, Payload: payload({ who: 'node' }) }));
    expect(out.FunctionError).toBeUndefined();
    expect(decode(out.Payload)).toEqual({ greeting: 'hello node from layer two', shared: 'only in layer one', tool: 'tool from a layer' });
  });

  (PYTHON.skip ? it.skip : it)(`a Python layer: /opt/python and its site-packages import${PYTHON.skip ? ` [skipped: ${PYTHON.skip}]` : ''}`, async () => {
    const layer = await publish({
      'python/greeting.py': 'def greet(who):\n    return "hello %s from a python layer" % who\n',
      'python/lib/python3.12/site-packages/vendored/__init__.py': 'VERSION = "1.2.3"\n',
    });
    const name = await fns.create({
      FunctionName: unique('py-layers'),
      Runtime: 'python3.12',
      Handler: 'handler.handler',
      Layers: [layer],
      Code: { ZipFile: zipFiles({ 'handler.py': 'import greeting, vendored\ndef handler(e, c):\n    return {"greeting": greeting.greet(e["who"]), "vendored": vendored.VERSION}\n' }) },
    });
    const out = await tb.clients.lambda.send(new InvokeCommand({ FunctionName: name, Payload: payload({ who: 'python' }) }));
    expect(out.FunctionError).toBeUndefined();
    expect(decode(out.Payload)).toEqual({ greeting: 'hello python from a python layer', vendored: '1.2.3' });
  });
});
