/**
 * Response streaming, the pure parts: the bandwidth token bucket (6 MiB burst, then 2 MiB/s in
 * 125 ms steps, as RAPID shapes a streamed response), the forwarder that passes a runtime's
 * response to its sink (order, shaping, backpressure, the size limit), the error trailers, the
 * queue a reader reads, and InvokeComplete's members.
 */
import { EventEmitter } from 'node:events';
import type * as http from 'node:http';
import { Clock } from '../../src/cloud/clock';
import { ResponseQueue, invokeComplete } from '../../src/cloud/lambda/invoke-stream';
import { DEFAULT_STREAM_LIMITS, StreamForwarder, TokenBucket, trailerError } from '../../src/cloud/lambda/runtime/streaming';
import type { InvokeResult, ResponseSink } from '../../src/cloud/lambda/runtime/types';

const MiB = 1024 * 1024;

describe('the response bandwidth token bucket', () => {
  it('uses AWS limits by default: 200 MB per response, 6 MiB at full speed, then 2 MiB/s', () => {
    expect(DEFAULT_STREAM_LIMITS).toEqual({ maxBytes: 200 * MiB, burstBytes: 6 * MiB, bytesPerSecond: 2 * MiB });
  });

  it('lets the first 6 MiB through at once, then 256 KiB per 125 ms', () => {
    const clock = new Clock('real');
    const b = new TokenBucket(clock, 6 * MiB, 2 * MiB);
    expect(b.take(6 * MiB)).toBe(0);
    const wait = b.take(256 * 1024);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(125);
    clock.advance(125);
    expect(b.take(256 * 1024)).toBe(0);
    // 1 MiB more needs four refills: half a second at 2 MiB/s.
    const w = b.take(MiB);
    expect(w).toBeGreaterThan(375);
    expect(w).toBeLessThanOrEqual(500);
    clock.advance(500);
    expect(b.take(MiB)).toBe(0);
  });

  it('refills no further than the burst after an idle spell', () => {
    const clock = new Clock('real');
    const b = new TokenBucket(clock, MiB, MiB);
    expect(b.take(MiB)).toBe(0);
    clock.advance(60_000);
    expect(b.take(MiB)).toBe(0);
    expect(b.take(1)).toBeGreaterThan(0);
  });
});

/** An IncomingMessage stand-in: pause()/resume() recorded. */
function fakeRequest(): http.IncomingMessage & { paused: boolean } {
  const r = new EventEmitter() as unknown as http.IncomingMessage & { paused: boolean };
  r.paused = false;
  r.pause = () => {
    r.paused = true;
    return r;
  };
  r.resume = () => {
    r.paused = false;
    return r;
  };
  return r;
}

function recordingSink(): ResponseSink & { got: Buffer[] } {
  const got: Buffer[] = [];
  return { got, start: () => undefined, write: (b) => void got.push(b) };
}

describe('StreamForwarder', () => {
  it('passes chunks on in order and holds the runtime back once the burst is spent', () => {
    const clock = new Clock('real');
    const req = fakeRequest();
    const sink = recordingSink();
    const f = new StreamForwarder(clock, { maxBytes: 10 * MiB, burstBytes: 1000, bytesPerSecond: 8000 }, sink, req, () => true);
    f.push(Buffer.alloc(600, 'a'));
    f.push(Buffer.alloc(600, 'b'));
    expect(sink.got.map((b) => b.length)).toEqual([600]);
    expect(req.paused).toBe(true);
    let drained = false;
    f.whenDrained(() => (drained = true));
    clock.advance(125); // +1000 tokens
    expect(sink.got.map((b) => b[0])).toEqual([97, 98]);
    expect(req.paused).toBe(false);
    expect(drained).toBe(true);
  });

  it('splits a chunk larger than the bucket into pieces of the bucket size', () => {
    const clock = new Clock('real');
    const sink = recordingSink();
    const f = new StreamForwarder(clock, { maxBytes: 10 * MiB, burstBytes: 100, bytesPerSecond: 800 }, sink, fakeRequest(), () => true);
    f.push(Buffer.alloc(250));
    clock.advance(125);
    clock.advance(125);
    expect(sink.got.map((b) => b.length)).toEqual([100, 100, 50]);
  });

  it('waits for a slow sink before passing on the next chunk', async () => {
    const clock = new Clock('real');
    const req = fakeRequest();
    let release!: () => void;
    const got: string[] = [];
    const sink: ResponseSink = {
      start: () => undefined,
      write: (b) => {
        got.push(b.toString());
        if (got.length === 1) return new Promise<void>((r) => (release = r));
      },
    };
    const f = new StreamForwarder(clock, DEFAULT_STREAM_LIMITS, sink, req, () => true);
    f.push(Buffer.from('one'));
    f.push(Buffer.from('two'));
    expect(got).toEqual(['one']);
    expect(req.paused).toBe(true);
    release();
    await Promise.resolve();
    await Promise.resolve();
    expect(got).toEqual(['one', 'two']);
    expect(req.paused).toBe(false);
  });

  it('cuts the response at the size limit and marks it oversize', () => {
    const sink = recordingSink();
    const f = new StreamForwarder(new Clock('real'), { maxBytes: 10, burstBytes: MiB, bytesPerSecond: MiB }, sink, fakeRequest(), () => true);
    f.push(Buffer.from('12345678'));
    expect(f.oversize).toBe(false);
    f.push(Buffer.from('abcdef'));
    f.push(Buffer.from('more'));
    expect(Buffer.concat(sink.got).toString()).toBe('12345678ab');
    expect(f.oversize).toBe(true);
    expect(f.received).toBe(18);
  });

  it('passes nothing on once the invocation has ended (a timeout), and stops its timer', () => {
    const clock = new Clock('real');
    let live = true;
    const sink = recordingSink();
    const f = new StreamForwarder(clock, { maxBytes: MiB, burstBytes: 10, bytesPerSecond: 80 }, sink, fakeRequest(), () => live);
    f.push(Buffer.alloc(10));
    f.push(Buffer.alloc(10));
    live = false;
    clock.advance(1000);
    expect(sink.got).toHaveLength(1);
    f.stop();
    expect(clock.stats().timers).toBe(0);
  });
});

describe('error trailers', () => {
  it('reads the error type and the base64 error body', () => {
    const body = { errorType: 'Error', errorMessage: 'boom', trace: [] };
    const t = trailerError({
      'lambda-runtime-function-error-type': 'Error',
      'lambda-runtime-function-error-body': Buffer.from(JSON.stringify(body)).toString('base64'),
    });
    expect(t?.errorType).toBe('Error');
    expect(JSON.parse(t!.body.toString())).toEqual(body);
  });

  it('is no error without the type trailer, and an error body is made when only the type came', () => {
    expect(trailerError({})).toBeUndefined();
    expect(trailerError({ 'x-testbed-out': '1,2' })).toBeUndefined();
    const t = trailerError({ 'lambda-runtime-function-error-type': 'Custom' });
    expect(JSON.parse(t!.body.toString())).toEqual({ errorType: 'Custom', errorMessage: '' });
  });
});

describe('ResponseQueue', () => {
  it('yields chunks in order until the invocation ends', async () => {
    const q = new ResponseQueue();
    q.start('text/plain', true);
    const reading = (async () => {
      const out: string[] = [];
      for await (const c of q.read()) out.push(c.toString());
      return out;
    })();
    q.write(Buffer.from('a'));
    await new Promise((r) => setImmediate(r));
    q.write(Buffer.from('b'));
    q.end();
    expect(await reading).toEqual(['a', 'b']);
    expect(q.contentType).toBe('text/plain');
  });

  it('holds the writer back past 1 MiB unread, and lets it go once read or abandoned', async () => {
    const q = new ResponseQueue();
    expect(q.write(Buffer.alloc(MiB))).toBeUndefined();
    const held = q.write(Buffer.alloc(10));
    expect(held).toBeInstanceOf(Promise);
    const it = q.read();
    await it.next();
    await expect(held).resolves.toBeUndefined();
    const held2 = q.write(Buffer.alloc(2 * MiB));
    await it.return(undefined);
    await expect(held2).resolves.toBeUndefined();
    expect(q.write(Buffer.from('dropped'))).toBeUndefined();
  });
});

describe('InvokeComplete', () => {
  const base: InvokeResult = { requestId: 'r', payload: Buffer.alloc(0), log: 'START x\n', environmentId: 'e', coldStart: false, durationMs: 1, start: 0, end: 1 };

  it('is empty on success, with LogResult only when the tail was asked for', () => {
    expect(invokeComplete(base, false)).toEqual({});
    expect(invokeComplete(base, true)).toEqual({ LogResult: Buffer.from('START x\n').toString('base64') });
  });

  it('names the function\'s own errors Unhandled and platform errors by their type, with the message', () => {
    const thrown = { ...base, functionError: 'Unhandled' as const, errorType: 'TypeError', payload: Buffer.from('{"errorType":"TypeError","errorMessage":"x is undefined"}') };
    expect(invokeComplete(thrown, false)).toEqual({ ErrorCode: 'Unhandled', ErrorDetails: 'x is undefined' });
    const timeout = { ...base, functionError: 'Unhandled' as const, errorType: 'Sandbox.Timedout', payload: Buffer.from('{"errorType":"Sandbox.Timedout","errorMessage":"RequestId: r Error: Task timed out after 1.00 seconds"}') };
    expect(invokeComplete(timeout, false)).toEqual({ ErrorCode: 'Sandbox.Timedout', ErrorDetails: 'RequestId: r Error: Task timed out after 1.00 seconds' });
    const raw = { ...base, functionError: 'Unhandled' as const, errorType: 'string', payload: Buffer.from('not json') };
    expect(invokeComplete(raw, false).ErrorDetails).toBe('not json');
  });
});
