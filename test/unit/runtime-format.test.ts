import {
  billedDuration,
  bytesToMB,
  consoleLine,
  exitError,
  exitReason,
  isHeapOomText,
  lineToMessage,
  logStreamName,
  MalformedHandlerNameError,
  outOfMemoryError,
  parseHandler,
  reportLine,
  startLine,
  endLine,
  timeoutErrorBody,
  timeoutLogLine,
  executionEnv,
} from '../../src/cloud/lambda/runtime/format';
import { headerSafeJson } from '../../src/cloud/lambda/runtime/api';

describe('parseHandler', () => {
  test.each([
    ['index.handler', { moduleRoot: '', module: 'index', handlerPath: 'handler' }],
    ['src/app/main.run', { moduleRoot: 'src/app/', module: 'main', handlerPath: 'run' }],
    ['index.api.v1.go', { moduleRoot: '', module: 'index', handlerPath: 'api.v1.go' }],
    ['/abs/dir/mod.fn', { moduleRoot: '/abs/dir/', module: 'mod', handlerPath: 'fn' }],
  ])('%s', (h, expected) => {
    expect(parseHandler(h)).toEqual(expected);
  });
  test('no dot is a bad handler; ".." is refused as the RIC does', () => {
    expect(() => parseHandler('index')).toThrow(new MalformedHandlerNameError('Bad handler'));
    expect(() => parseHandler('../x.handler')).toThrow(
      "'../x.handler' is not a valid handler name. Use absolute paths when specifying root directories in handler names.",
    );
    try {
      parseHandler('index');
    } catch (e) {
      expect((e as Error).name).toBe('Runtime.MalformedHandlerName');
    }
  });
});

describe('names and platform lines', () => {
  test('log stream name', () => {
    expect(logStreamName(Date.UTC(2024, 0, 5, 23, 59), '$LATEST', 'ab'.repeat(16))).toBe(`2024/01/05/[$LATEST]${'ab'.repeat(16)}`);
    expect(logStreamName(Date.UTC(2025, 11, 31), '12', '0'.repeat(32))).toBe(`2025/12/31/[12]${'0'.repeat(32)}`);
  });

  test('execution env, START, END', () => {
    expect(executionEnv('nodejs22.x')).toBe('AWS_Lambda_nodejs22.x');
    expect(startLine('id-1', '$LATEST')).toBe('START RequestId: id-1 Version: $LATEST\n');
    expect(endLine('id-1')).toBe('END RequestId: id-1\n');
  });

  test('REPORT: warm, cold, timeout, error', () => {
    const base = { requestId: 'r', durationMs: 12.344, billedMs: 13, memorySize: 128, maxMemoryUsedMB: 45 };
    expect(reportLine(base)).toBe('REPORT RequestId: r\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 45 MB\t\n');
    expect(reportLine({ ...base, initDurationMs: 123.456 })).toBe(
      'REPORT RequestId: r\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 45 MB\tInit Duration: 123.46 ms\t\n',
    );
    expect(reportLine({ ...base, status: { kind: 'timeout' } })).toMatch(/Max Memory Used: 45 MB\tStatus: timeout\n$/);
    expect(reportLine({ ...base, status: { kind: 'error', errorType: 'Runtime.OutOfMemory' } })).toMatch(
      /\tStatus: error\tError Type: Runtime\.OutOfMemory\n$/,
    );
  });

  test('billed duration rounds up and adds init on cold starts', () => {
    expect(billedDuration(12.01)).toBe(13);
    expect(billedDuration(12)).toBe(12);
    expect(billedDuration(0.2)).toBe(1);
    expect(billedDuration(900000, 544.3)).toBe(900545);
  });

  test('timeout texts', () => {
    expect(timeoutErrorBody('id', 3)).toBe('{"errorType":"Sandbox.Timedout","errorMessage":"RequestId: id Error: Task timed out after 3.00 seconds"}');
    expect(timeoutLogLine('2024-01-01T00:00:00.000Z', 'id', 1)).toBe('2024-01-01T00:00:00.000Z id Task timed out after 1.00 seconds\n');
  });

  test('exit reasons as AWS prints them', () => {
    expect(exitReason(1, null)).toBe('Runtime exited with error: exit status 1');
    expect(exitReason(0, null)).toBe('Runtime exited without providing a reason');
    expect(exitReason(null, 'SIGKILL')).toBe('Runtime exited with error: signal: killed');
    expect(exitReason(null, 'SIGABRT')).toBe('Runtime exited with error: signal: aborted');
    expect(exitReason(null, 'SIGSEGV')).toBe('Runtime exited with error: signal: segmentation fault');
    expect(exitError('id', 'Runtime.ExitError', exitReason(2, null))).toEqual({
      body: '{"errorType":"Runtime.ExitError","errorMessage":"RequestId: id Error: Runtime exited with error: exit status 2"}',
      logLine: 'RequestId: id Error: Runtime exited with error: exit status 2\nRuntime.ExitError\n',
    });
    expect(outOfMemoryError('id').body).toBe(
      '{"errorType":"Runtime.OutOfMemory","errorMessage":"RequestId: id Error: Runtime exited with error: signal: killed"}',
    );
  });

  test('V8 heap OOM detection', () => {
    expect(isHeapOomText('FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory')).toBe(true);
    expect(isHeapOomText('\n<--- Last few GCs --->\n')).toBe(true);
    expect(isHeapOomText('Error: out of cheese')).toBe(false);
  });
});

describe('console lines and events', () => {
  test('text format with \\r for embedded newlines, back to \\n in the event', () => {
    const line = consoleLine('2024-01-01T00:00:00.000Z', 'rid', 'INFO', 'a\nb');
    expect(line).toBe('2024-01-01T00:00:00.000Z\trid\tINFO\ta\rb\n');
    expect(lineToMessage(line.slice(0, -1))).toBe('2024-01-01T00:00:00.000Z\trid\tINFO\ta\nb\n');
    expect(lineToMessage('plain')).toBe('plain\n');
  });

  test('memory in MB rounds up', () => {
    expect(bytesToMB(45 * 1024 * 1024)).toBe(45);
    expect(bytesToMB(45 * 1024 * 1024 + 1)).toBe(46);
    expect(bytesToMB(0)).toBe(1);
  });

  test('client context JSON made header-safe without changing its meaning', () => {
    const text = JSON.stringify({ custom: { name: 'Zoë ☃', tab: 'a\tb' } });
    const safe = headerSafeJson(text);
    expect(safe).toMatch(/^[\x20-\x7e]*$/);
    expect(JSON.parse(safe)).toEqual(JSON.parse(text));
    expect(headerSafeJson('{"a":1}')).toBe('{"a":1}');
    expect(JSON.parse(headerSafeJson('{\n"a"\t:\r1}'))).toEqual({ a: 1 });
  });
});
