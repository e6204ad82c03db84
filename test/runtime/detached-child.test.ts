/**
 * A function that leaves a process behind in a session of its own, holding the function's stdout and
 * stderr open, does not keep the cloud from stopping.
 */
import { CreateFunctionCommand, InvokeCommand, LambdaClient, waitUntilFunctionActiveV2 } from '@aws-sdk/client-lambda';
import { startCloud } from '../../src/cloud';
import { zipFiles } from '../../src/testbed/build';

const code = zipFiles({
  'index.js':
    "const { spawn } = require('node:child_process');\n" +
    "exports.handler = async () => { const c = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { detached: true, stdio: 'inherit' }); c.unref(); return c.pid; };",
});

it('stops within a few seconds although a detached process holds the function’s pipes', async () => {
  const cloud = await startCloud({ port: 0 });
  const lambda = new LambdaClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
  let orphan = 0;
  try {
    await lambda.send(new CreateFunctionCommand({ FunctionName: 'leaves', Runtime: 'nodejs20.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/r', Code: { ZipFile: code } }));
    await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 10 }, { FunctionName: 'leaves' });
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'leaves' }));
    orphan = Number(Buffer.from(out.Payload!).toString());
    expect(orphan).toBeGreaterThan(0);
  } finally {
    lambda.destroy();
    const t = Date.now();
    await cloud.stop();
    expect(Date.now() - t).toBeLessThan(5000);
    try {
      process.kill(orphan, 'SIGKILL'); // the test's own clean-up of the orphan
    } catch {
      // already gone
    }
  }
});
