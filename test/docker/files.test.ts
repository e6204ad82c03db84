/**
 * The container files, checked without Docker: the Dockerfile's shape (and its HEALTHCHECK command
 * run against a real cloud), the build context the .dockerignore lets through, docker-compose.yml
 * (parsed: Docker's compose plugin is not needed), and image:local's one-line failures when Docker
 * is missing or stopped.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { startingAnswer } from '../../src/cli';
import { startCloud } from '../../src/cloud';
import { reserve } from '../../src/cloud/server';
import { LOCALSTACK_SPEED_ENV } from '../../src/testbed/targets';

const root = path.resolve(__dirname, '..', '..');
const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');

/** Instructions of the Dockerfile (continuations joined, comments dropped). */
function instructions(text: string): string[] {
  return text
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env, encoding: 'utf8', timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('Dockerfile', () => {
  const all = instructions(dockerfile);
  const finalStage = all.slice(all.lastIndexOf(all.filter((l) => l.startsWith('FROM ')).pop()!));

  it('builds in two stages from a slim Node 20 base, the last with /app from the first only', () => {
    expect(all.filter((l) => l.startsWith('FROM '))).toEqual(['FROM ${NODE_IMAGE} AS build', 'FROM ${NODE_IMAGE}']);
    expect(all).toContain('ARG NODE_IMAGE=node:20-bookworm-slim');
    expect(all).toContain('RUN npm ci --ignore-scripts --no-audit --no-fund');
    expect(all).toContain('RUN node scripts/image-stage.js /stage/app');
    expect(finalStage.filter((l) => /^(COPY|ADD|RUN) /.test(l))).toEqual(['COPY --from=build /stage/app /app']);
  });

  it('runs serve as a non-root user on 4566, configured by environment variables, with a health check', () => {
    expect(finalStage).toContain('USER 1000:1000');
    expect(finalStage).toContain('EXPOSE 4566');
    expect(finalStage).toContain('WORKDIR /app');
    expect(finalStage).toContain('CMD ["node", "dist/cli/index.js", "serve"]');
    const env = finalStage.find((l) => l.startsWith('ENV '))!;
    expect(env).toMatch(/TESTBED_HOST=0\.0\.0\.0/);
    expect(env).toMatch(/TESTBED_PORT=4566/);
    expect(env).toMatch(/TESTBED_TIME=real/);
    expect(finalStage.find((l) => l.startsWith('HEALTHCHECK '))).toMatch(/\/_localstack\/health/);
  });

  it('marks the settings block that image:local reuses, from the ENV to the CMD', () => {
    const block = /^# image settings begin.*\n([\s\S]*?)^# image settings end/m.exec(dockerfile)?.[1];
    expect(block).toBeDefined();
    const inBlock = instructions(block!).map((l) => l.split(' ')[0]);
    expect(inBlock).toEqual(['ENV', 'WORKDIR', 'USER', 'EXPOSE', 'HEALTHCHECK', 'CMD']);
  });

  describe('its HEALTHCHECK command', () => {
    const line = all.find((l) => l.startsWith('HEALTHCHECK '))!;
    const argv = JSON.parse(line.slice(line.indexOf('CMD ') + 4)) as string[];
    const check = (port: number) => run(process.execPath, argv.slice(1), { PATH: process.env.PATH, TESTBED_PORT: String(port) });

    it('is node -e', () => {
      expect(argv.slice(0, 2)).toEqual(['node', '-e']);
    });

    it('passes (exit 0) once every service is running', async () => {
      const cloud = await startCloud({ port: 0 });
      try {
        expect((await check(cloud.port)).code).toBe(0);
      } finally {
        await cloud.stop();
      }
    });

    it('fails (exit 1) while the cloud starts (no service running yet), and when nothing listens', async () => {
      const starting = await reserve(0, '127.0.0.1', startingAnswer);
      const port = starting.port;
      try {
        expect((await check(port)).code).toBe(1);
      } finally {
        await starting.release();
      }
      expect((await check(port)).code).toBe(1);
    });
  });
});

describe('.dockerignore', () => {
  it('lets through exactly what the build stage copies', () => {
    const rules = fs
      .readFileSync(path.join(root, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    expect(rules[0]).toBe('*');
    const allowed = rules.slice(1).map((r) => r.replace(/^!/, '').replace(/\/$/, ''));
    const copied = instructions(dockerfile)
      .filter((l) => l.startsWith('COPY ') && !l.startsWith('COPY --from'))
      .flatMap((l) => l.split(/\s+/).slice(1, -1))
      .map((p) => p.replace(/\/$/, ''));
    expect(allowed.sort()).toEqual([...copied].sort());
  });
});

/** ${VAR:-default} and ${VAR} as compose resolves them, from `env`. */
function interpolate(value: unknown, env: Record<string, string>): unknown {
  if (typeof value === 'string') return value.replace(/\$\{(\w+)(?::-([^}]*))?\}/g, (_, name: string, def?: string) => env[name] || def || '');
  if (Array.isArray(value)) return value.map((v) => interpolate(v, env));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env)]));
  return value;
}

describe('docker-compose.yml', () => {
  type Service = { image: string; build?: string; ports: string[]; environment: Record<string, string>; profiles?: string[]; volumes?: string[]; init?: boolean };
  const raw = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service> };
  const compose = (env: Record<string, string> = {}) => interpolate(raw, env) as { services: Record<string, Service> };

  it('starts our cloud by default on 127.0.0.1:4566, built from the Dockerfile as lambda-testbed:local', () => {
    const { testbed } = compose().services;
    expect(testbed.profiles).toBeUndefined();
    expect(testbed.image).toBe('lambda-testbed:local');
    expect(testbed.build).toBe('.');
    expect(testbed.ports).toEqual(['127.0.0.1:4566:4566']);
    expect(testbed.environment.TESTBED_TIME).toBe('real');
    expect(testbed.init).toBe(true);
    expect(testbed.volumes).toBeUndefined(); // no Docker socket
    expect(compose({ TESTBED_TIME: 'compressed' }).services.testbed.environment.TESTBED_TIME).toBe('compressed');
  });

  it('has LocalStack 4.14.0 under the localstack profile on 127.0.0.1:4567, with the target settings and the token passed through', () => {
    const { localstack } = compose().services;
    expect(localstack.profiles).toEqual(['localstack']);
    expect(localstack.image).toBe('localstack/localstack:4.14.0');
    expect(localstack.ports).toEqual(['127.0.0.1:4567:4566']);
    expect(localstack.environment).toMatchObject(LOCALSTACK_SPEED_ENV);
    expect(localstack.environment.LOCALSTACK_AUTH_TOKEN).toBe('');
    expect(localstack.environment.LOCALSTACK_HOST).toBe('localhost.localstack.cloud:4567');
    expect(compose({ LOCALSTACK_AUTH_TOKEN: 'ls-123' }).services.localstack.environment.LOCALSTACK_AUTH_TOKEN).toBe('ls-123');
    expect(localstack.volumes).toEqual(['/var/run/docker.sock:/var/run/docker.sock']);
  });

  it('has no other services', () => {
    expect(Object.keys(compose().services).sort()).toEqual(['localstack', 'testbed']);
  });
});

describe('npm run image:local without Docker', () => {
  const script = path.join(root, 'scripts', 'image-local.js');
  let bin: string;
  beforeAll(() => {
    bin = fs.mkdtempSync(path.join(os.tmpdir(), 'image-local-bin-'));
    fs.symlinkSync(process.execPath, path.join(bin, 'node'));
  });
  afterAll(() => fs.rmSync(bin, { recursive: true, force: true }));

  it('says "docker: command not found" and what to do, in one line, exit 1', async () => {
    const r = await run(process.execPath, [script], { PATH: bin });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'image:local: docker: command not found. Install Docker (https://docs.docker.com/engine/install/), start it, and run npm run image:local again.\n',
    );
    expect(r.stdout).toBe('');
  });

  it('says the daemon is not running, and how to start it, in one line, exit 1', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'image-local-fake-docker-'));
    try {
      fs.symlinkSync(process.execPath, path.join(dir, 'node'));
      // A docker CLI whose daemon is down: what the real one prints.
      fs.writeFileSync(
        path.join(dir, 'docker'),
        '#!/usr/bin/env node\nprocess.stderr.write("Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\\n");process.exit(1);\n',
        { mode: 0o755 },
      );
      const r = await run(process.execPath, [script], { PATH: dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        'image:local: the Docker daemon is not running (Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?); ' +
          'start it (sudo systemctl start docker, or open Docker Desktop) and run npm run image:local again.\n',
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an unknown argument in one line', async () => {
    const r = await run(process.execPath, [script, '--push'], { PATH: bin });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('image:local: unknown argument "--push"; usage: npm run image:local [-- --tag <name:tag>]\n');
  });
});
