/**
 * OS-only runtimes (provided.al2023 / provided.al2): the zip's own `bootstrap` runs against the
 * Runtime API, as on AWS; here a shell script speaking it with curl. Bad entrypoints fail the
 * invocation with AWS's Runtime.InvalidEntrypoint / Runtime.ExitError texts.
 */
import { chmodSync } from 'node:fs';
import * as path from 'node:path';
import { onPath } from '../../src/cloud/lambda/runtime/machine';
import type { VersionSpec } from '../../src/cloud/lambda/runtime/types';
import { Fixture } from '../runtime/helpers';

jest.setTimeout(60000);

const hasCurl = onPath('curl');
const describeCurl = hasCurl ? describe : describe.skip;
if (!hasCurl) console.warn('Custom runtime tests skipped: no curl on this machine');

/** A custom runtime in sh + curl: echoes the event and the environment it was given. */
const ECHO_BOOTSTRAP = [
  '#!/bin/sh',
  'set -eu',
  'API="http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime"',
  'echo "init handler=$_HANDLER exec_env=${AWS_EXECUTION_ENV:-unset}"',
  'while true; do',
  '  HEADERS="$(mktemp)"',
  '  EVENT="$(curl -sS -D "$HEADERS" "$API/invocation/next")"',
  '  ID="$(grep -i "^Lambda-Runtime-Aws-Request-Id:" "$HEADERS" | tr -d "\\r" | cut -d" " -f2)"',
  '  rm -f "$HEADERS"',
  '  echo "processing $ID"',
  '  case "$EVENT" in',
  '    *fail*) curl -sS -X POST -H "Lambda-Runtime-Function-Error-Type: Custom.Failure" "$API/invocation/$ID/error" -d \'{"errorMessage":"it failed","errorType":"Custom.Failure"}\' >/dev/null ;;',
  '    *exit*) exit 7 ;;',
  '    *) curl -sS -X POST "$API/invocation/$ID/response" -d "{\\"event\\":$EVENT,\\"cwd\\":\\"$(pwd)\\",\\"root\\":\\"$LAMBDA_TASK_ROOT\\",\\"handler\\":\\"$_HANDLER\\",\\"path\\":\\"$PATH\\"}" >/dev/null ;;',
  '  esac',
  'done',
  '',
].join('\n');

let fx: Fixture;
beforeAll(() => {
  fx = new Fixture();
});
afterAll(() => fx.close());

function custom(files: Record<string, string>, executable = true, over: Partial<VersionSpec> = {}): VersionSpec {
  const spec = fx.fn(files, { runtime: 'provided.al2023', handler: 'function.handler', ...over });
  if (executable && files.bootstrap !== undefined) chmodSync(path.join(spec.codeDir, 'bootstrap'), 0o755);
  return spec;
}

describeCurl('provided.al2023 / provided.al2: the zip\'s bootstrap', () => {
  test('runs with AWS_LAMBDA_RUNTIME_API, cwd = task root, _HANDLER, no AWS_EXECUTION_ENV; logs, warm reuse', async () => {
    const spec = custom({ bootstrap: ECHO_BOOTSTRAP });
    const r = await fx.invoke(spec, { a: 1 });
    expect(r.functionError).toBeUndefined();
    expect(r.json).toEqual({ event: { a: 1 }, cwd: spec.codeDir, root: spec.codeDir, handler: 'function.handler', path: '/usr/local/bin:/usr/bin:/bin' });
    const lines = r.log.split('\n');
    expect(lines[0]).toBe('init handler=function.handler exec_env=unset');
    expect(lines[1]).toBe(`START RequestId: ${r.requestId} Version: $LATEST`);
    expect(lines[2]).toBe(`processing ${r.requestId}`);
    expect(lines[3]).toBe(`END RequestId: ${r.requestId}`);
    expect(lines[4]).toMatch(/^REPORT RequestId: .*Max Memory Used: \d+ MB\tInit Duration: /);
    const r2 = await fx.invoke(spec, { a: 2 });
    expect(r2.coldStart).toBe(false);
    expect(r2.environmentId).toBe(r.environmentId);
    expect(r2.json.event).toEqual({ a: 2 });
  });

  test('provided.al2 too, and an error posted by the runtime is passed through', async () => {
    const spec = custom({ bootstrap: ECHO_BOOTSTRAP }, true, { runtime: 'provided.al2' });
    const r = await fx.invoke(spec, { please: 'fail' });
    expect(r.functionError).toBe('Unhandled');
    expect(r.errorType).toBe('Custom.Failure');
    expect(r.payload.toString()).toBe('{"errorMessage":"it failed","errorType":"Custom.Failure"}');
  });

  test('a bootstrap that exits mid-invocation is Runtime.ExitError with its status', async () => {
    const spec = custom({ bootstrap: ECHO_BOOTSTRAP });
    const r = await fx.invoke(spec, { please: 'exit' });
    expect(r.errorType).toBe('Runtime.ExitError');
    expect(r.json).toEqual({ errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${r.requestId} Error: Runtime exited with error: exit status 7` });
  });

  test('a bootstrap that exits at once: "Runtime exited with error: exit status 1"', async () => {
    const spec = custom({ bootstrap: '#!/bin/sh\necho "cannot start" >&2\nexit 1\n' });
    const r = await fx.invoke(spec);
    expect(r.errorType).toBe('Runtime.ExitError');
    expect(r.json.errorMessage).toBe(`RequestId: ${r.requestId} Error: Runtime exited with error: exit status 1`);
    expect(r.log).toContain('cannot start\n');
    expect(r.log).toContain(`RequestId: ${r.requestId} Error: Runtime exited with error: exit status 1\nRuntime.ExitError\n`);
    expect(r.log).toMatch(/Status: error\tError Type: Runtime\.ExitError/);
  });

  test('no bootstrap: Runtime.InvalidEntrypoint "Couldn\'t find valid bootstrap(s)"', async () => {
    const spec = custom({ 'function.sh': 'echo hi\n' });
    const r = await fx.invoke(spec);
    expect(r.functionError).toBe('Unhandled');
    expect(r.errorType).toBe('Runtime.InvalidEntrypoint');
    expect(r.json).toEqual({
      errorType: 'Runtime.InvalidEntrypoint',
      errorMessage: `RequestId: ${r.requestId} Error: Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]`,
    });
    expect(r.log).toContain("Error: Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]\nRuntime.InvalidEntrypoint\n");
    expect(r.log).toMatch(/REPORT RequestId: .*Status: error\tError Type: Runtime\.InvalidEntrypoint/);
  });

  test('a bootstrap without its execute bit: "fork/exec /var/task/bootstrap: permission denied"', async () => {
    const spec = custom({ bootstrap: ECHO_BOOTSTRAP }, false);
    const r = await fx.invoke(spec);
    expect(r.errorType).toBe('Runtime.InvalidEntrypoint');
    expect(r.json.errorMessage).toBe(`RequestId: ${r.requestId} Error: fork/exec /var/task/bootstrap: permission denied`);
  });

  test('a #! line naming no interpreter: "fork/exec /var/task/bootstrap: no such file or directory"', async () => {
    const spec = custom({ bootstrap: '#!/no/such/interpreter\n' });
    const r = await fx.invoke(spec);
    expect(r.errorType).toBe('Runtime.InvalidEntrypoint');
    expect(r.json.errorMessage).toBe(`RequestId: ${r.requestId} Error: fork/exec /var/task/bootstrap: no such file or directory`);
  });

  test('timeout kills the bootstrap and its children', async () => {
    const spec = custom({ bootstrap: ECHO_BOOTSTRAP.replace('echo "processing $ID"', 'echo "processing $ID"; sleep 30') }, true, { timeout: 1 });
    const r = await fx.invoke(spec);
    expect(r.errorType).toBe('Sandbox.Timedout');
    expect(r.log).toMatch(/Status: timeout/);
  });
});
