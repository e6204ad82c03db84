import { Fixture, alive, waitFor } from './helpers';

jest.setTimeout(30000);

const COUNTER = `let n = 0; exports.handler = async (e) => { n++; if (e.hold) await new Promise((r) => setTimeout(r, e.hold)); if (e.die) setTimeout(() => process.exit(7), 1); return { n, pid: process.pid }; };`;

describe('scheduling and reuse', () => {
  let fx: Fixture;
  beforeEach(() => {
    fx = new Fixture(60_000);
  });
  afterEach(() => fx.close());

  test('warm reuse keeps module state; list() shows the environment idle', async () => {
    const spec = fx.fn({ 'index.js': COUNTER });
    const a = await fx.invoke(spec);
    const b = await fx.invoke(spec);
    const c = await fx.invoke(spec);
    expect([a.json.n, b.json.n, c.json.n]).toEqual([1, 2, 3]);
    expect(a.coldStart).toBe(true);
    expect(b.coldStart).toBe(false);
    expect(new Set([a.environmentId, b.environmentId, c.environmentId]).size).toBe(1);
    const envs = fx.manager.list();
    expect(envs).toEqual([
      { id: a.environmentId, key: spec.key, functionName: spec.functionName, version: '$LATEST', state: 'idle', pid: a.json.pid, invocations: 3 },
    ]);
  });

  test('parallel invokes get separate environments; then the most recently used is reused', async () => {
    const spec = fx.fn({ 'index.js': COUNTER });
    const rs = await Promise.all([1, 2, 3, 4].map(() => fx.invoke(spec, { hold: 50 })));
    expect(new Set(rs.map((r) => r.environmentId)).size).toBe(4);
    expect(new Set(rs.map((r) => r.json.pid)).size).toBe(4);
    expect(rs.every((r) => r.coldStart && r.json.n === 1)).toBe(true);
    expect(fx.manager.list()).toHaveLength(4);
    // Busy while running.
    const p = fx.invoke(spec, { hold: 200 });
    await waitFor(() => fx.manager.list().some((e) => e.state === 'busy'));
    const r = await p;
    expect(r.coldStart).toBe(false);
    const last = rs.reduce((x, y) => (x.end >= y.end ? x : y));
    expect(rs.map((x) => x.environmentId)).toContain(r.environmentId);
    expect(last).toBeDefined();
  });

  test('different version keys never share an environment', async () => {
    const files = { 'index.js': COUNTER };
    const v1 = fx.fn(files);
    const v2 = { ...v1, key: v1.key + '-v2', version: '2' };
    const a = await fx.invoke(v1);
    const b = await fx.invoke(v2);
    expect(b.environmentId).not.toBe(a.environmentId);
    expect(b.log).toContain('Version: 2\n');
    const stream = fx.sink.calls.find((c) => c.events.some((e) => e.message.includes('Version: 2')))!.stream;
    expect(stream).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[2\][0-9a-f]{32}$/);
  });

  test('an idle environment that crashes is removed silently and not handed out', async () => {
    const spec = fx.fn({ 'index.js': COUNTER });
    const a = await fx.invoke(spec, { die: true });
    expect(a.functionError).toBeUndefined();
    await waitFor(() => !fx.manager.list().some((e) => e.id === a.environmentId));
    expect(alive(a.json.pid)).toBe(false);
    const b = await fx.invoke(spec);
    expect(b.coldStart).toBe(true);
    expect(b.json.n).toBe(1);
  });

  test('dropVersion and dropFunction kill idle environments; busy ones finish first', async () => {
    const spec = fx.fn({ 'index.js': COUNTER });
    const a = await fx.invoke(spec);
    await fx.manager.dropVersion(spec.key);
    expect(fx.manager.list()).toHaveLength(0);
    expect(alive(a.json.pid)).toBe(false);

    const busy = fx.invoke(spec, { hold: 300 });
    await waitFor(() => fx.manager.list().some((e) => e.state === 'busy'));
    await fx.manager.dropFunction(`${spec.functionArn}:$LATEST`);
    const r = await busy;
    expect(r.functionError).toBeUndefined(); // the in-flight invocation completes
    await waitFor(() => fx.manager.list().length === 0);
    expect(alive(r.json.pid)).toBe(false);
  });
});

describe('time', () => {
  test('idle environments are reaped after keepAliveMs of virtual time', async () => {
    const fx = new Fixture(5_000);
    try {
      const spec = fx.fn({ 'index.js': COUNTER });
      const a = await fx.invoke(spec);
      fx.clock.advance(4_000);
      expect(fx.manager.list()).toHaveLength(1);
      fx.clock.advance(1_001);
      await waitFor(() => fx.manager.list().length === 0);
      await waitFor(() => !alive(a.json.pid));
    } finally {
      await fx.close();
    }
  });

  test('function code sees the virtual clock: Date, log timestamps and the deadline agree', async () => {
    const fx = new Fixture(30 * 24 * 3600 * 1000);
    try {
      const spec = fx.fn({
        'index.js': `const initNow = Date.now(); exports.handler = async (e, ctx) => { console.log('tick'); return { initNow, argv: process.argv.length, now: Date.now(), newDate: new Date().getTime(), remaining: ctx.getRemainingTimeInMillis(), isDate: new Date(0) instanceof Date, str: typeof Date() }; };`,
      }, { timeout: 60 });
      const DAY = 24 * 3600 * 1000;
      fx.clock.advance(DAY);
      const first = await fx.invoke(spec);
      // Init code (before any invocation) already runs on the virtual clock.
      expect(Math.abs(first.json.initNow - fx.clock.now())).toBeLessThan(5_000);
      expect(first.json.argv).toBe(2);
      fx.clock.advance(DAY);
      const r = await fx.invoke(spec);
      expect(r.coldStart).toBe(false);
      expect(r.json.str).toBe('string');
      expect(Math.abs(r.json.now - fx.clock.now())).toBeLessThan(5_000);
      expect(Math.abs(r.json.newDate - fx.clock.now())).toBeLessThan(5_000);
      expect(r.json.remaining).toBeGreaterThan(55_000);
      expect(r.json.remaining).toBeLessThanOrEqual(60_000);
      expect(r.json.isDate).toBe(true);
      const logged = /(\S+)\t\S+\tINFO\ttick/.exec(r.log)![1];
      expect(Math.abs(Date.parse(logged) - fx.clock.now())).toBeLessThan(5_000);
      expect(r.start).toBeGreaterThanOrEqual(Date.now() + 2 * DAY - 5_000);
    } finally {
      await fx.close();
    }
  });
});

describe('shutdown', () => {
  test('kills every child (idle, busy, initializing), settles in-flight invokes, is idempotent', async () => {
    const fx = new Fixture();
    const spec = fx.fn({ 'index.js': COUNTER });
    const other = fx.fn({ 'index.js': COUNTER });
    const idle = await fx.invoke(other);
    const busy = fx.invoke(spec, { hold: 20_000 });
    await waitFor(() => fx.manager.list().some((e) => e.state === 'busy'));
    const pids = fx.manager.list().map((e) => e.pid!);
    expect(pids).toHaveLength(2);
    const starting = fx.invoke(fx.fn({ 'index.js': COUNTER }));
    await Promise.all([fx.manager.shutdown(), fx.manager.shutdown()]);
    for (const pid of [idle.json.pid, ...pids]) expect(alive(pid)).toBe(false);
    const b = await busy;
    expect(b.errorType).toBe('Runtime.ExitError');
    const s = await starting;
    expect(s.functionError).toBe('Unhandled');
    expect(fx.manager.list()).toHaveLength(0);
    await expect(fx.manager.invoke(spec, fx.req(spec))).rejects.toThrow(/shut down/);
    await fx.close();
  });
});

describe('parent process exit', () => {
  test('children are killed synchronously when the owning process exits', async () => {
    const fx = new Fixture();
    let pid = 0;
    try {
      const { writeFileSync } = await import('node:fs');
      const { spawnSync } = await import('node:child_process');
      const path = await import('node:path');
      // After answering, the function spins: only a kill from the owner can end it (it cannot even
      // notice the Runtime API going away).
      const spec = fx.fn({
        'index.js': `exports.handler = async () => { setTimeout(() => { for (;;) {} }, 1); return { pid: process.pid }; };`,
      });
      const register = path.join(fx.root, 'register.js');
      writeFileSync(
        register,
        `const swc = require(${JSON.stringify(require.resolve('@swc/core'))});
         require('module')._extensions['.ts'] = (m, f) => m._compile(swc.transformSync(require('fs').readFileSync(f, 'utf8'),
           { filename: f, jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }).code, f);`,
      );
      const script = path.join(fx.root, 'owner.ts');
      writeFileSync(
        script,
        `import { EnvironmentManager } from ${JSON.stringify(path.resolve(__dirname, '../../src/cloud/lambda/runtime/manager'))};
         import { Clock } from ${JSON.stringify(path.resolve(__dirname, '../../src/cloud/clock'))};
         const m = new EnvironmentManager({ clock: new Clock(), logSink: { put() {} }, dataDir: ${JSON.stringify(path.join(fx.root, 'data2'))}, endpoint: () => 'http://127.0.0.1:1' });
         const spec = ${JSON.stringify(spec)};
         m.invoke(spec, { requestId: 'r1', payload: Buffer.from('{}'), invokedFunctionArn: spec.functionArn }).then((r) => {
           process.stdout.write(JSON.parse(r.payload.toString()).pid + '\\n');
           process.exit(0); // no shutdown(): the exit hook must clean up
         });`,
      );
      const out = spawnSync(process.execPath, ['-r', register, script], { encoding: 'utf8', timeout: 20000 });
      expect(out.stderr).toBe('');
      pid = Number(out.stdout.trim());
      expect(pid).toBeGreaterThan(0);
      await waitFor(() => !alive(pid), 3000);
    } finally {
      if (pid > 0 && alive(pid)) process.kill(pid, 'SIGKILL');
      await fx.close();
    }
  });
});
