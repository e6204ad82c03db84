/**
 * The embedded cloud as a container, as a testcontainers-node module (built on `testcontainers`'
 * GenericContainer, like `@testcontainers/localstack`):
 *
 *   const cloud = await new TestbedContainer().withTimeMode('compressed').start();
 *   const lambda = new LambdaClient({ endpoint: cloud.getEndpoint(), region: 'us-east-1', credentials });
 *   ...
 *   await cloud.stop();
 *
 * The image is built from this repository: `npm run image:local` (no registry needed) or
 * `docker build -t lambda-testbed:local .`. Functions run inside the container as processes, so it
 * needs no Docker socket. Images tagged `:local` are never pulled: a missing one is reported with how
 * to build it (pulling it would fetch whatever a registry holds under that name).
 *
 * Where Testcontainers cannot pull its Ryuk clean-up image (machines without a registry), set
 * TESTCONTAINERS_RYUK_DISABLED=true; `stop()` still removes the container.
 *
 * A failed start throws a {@link ContainerStartError}: one line saying what failed and what to do.
 */
import * as fs from 'node:fs';
import {
  AbstractStartedContainer,
  GenericContainer,
  getContainerRuntimeClient,
  getReaper,
  ImageName,
  Wait,
  type StartedTestContainer,
  type StopOptions,
  type StoppedTestContainer,
} from 'testcontainers';

export const TESTBED_PORT = 4566;
export const DEFAULT_TESTBED_IMAGE = 'lambda-testbed:local';
/**
 * The path readiness is checked on. Not /_localstack/health: the container answers that from its first
 * moment (as LocalStack does, with no service running yet); /_testbed/health answers once the cloud has
 * loaded, and lists its capabilities.
 */
export const TESTBED_HEALTH_PATH = '/_testbed/health';
export const DEFAULT_STARTUP_TIMEOUT_MS = 60_000;
/** How long `stop()` gives the cloud to shut down after SIGTERM before Docker kills it. */
export const DEFAULT_STOP_TIMEOUT_MS = 10_000;

export type TimeMode = 'real' | 'compressed';
export const TIME_MODES: readonly TimeMode[] = ['real', 'compressed'];

type Env = Record<string, string | undefined>;

// ---------------------------------------------------------------- errors

export type ContainerFailure =
  | 'docker-unavailable'
  | 'image-not-found'
  | 'ryuk-unavailable'
  | 'container-exited'
  | 'startup-timeout'
  | 'other';

/** A container that could not be started; `message` is one line: what failed, then what to do. */
export class ContainerStartError extends Error {
  constructor(
    readonly failure: ContainerFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ContainerStartError';
  }
}

/** What is being started, for the messages: "the testbed container", "LocalStack". */
export interface ContainerDescription {
  what: string;
  image: string;
  /** What to do when the image is missing, e.g. 'build it with "npm run image:local"'. */
  imageHint: string;
  /** Added when the container exits while starting, e.g. what a newer image needs. */
  exitHint?: string;
}

/** `DOCKER_HOST=unix:///path` naming a socket that does not exist; undefined otherwise. */
export function dockerHostProblem(env: Env = process.env): string | undefined {
  const host = env.DOCKER_HOST?.trim();
  if (!host || !host.startsWith('unix://')) return undefined;
  const socket = host.slice('unix://'.length);
  return fs.existsSync(socket) ? undefined : `DOCKER_HOST=${host} names a socket that does not exist`;
}

/**
 * Turns whatever Testcontainers or Docker threw into a {@link ContainerStartError} with one line
 * that says what failed and what to do. `phase` is where it happened, when the caller knows.
 */
export function explainContainerFailure(
  err: unknown,
  subject: ContainerDescription,
  opts: { phase?: 'runtime' | 'image' | 'reaper'; env?: Env } = {},
): ContainerStartError {
  if (err instanceof ContainerStartError) return err;
  const env = opts.env ?? process.env;
  const raw = err instanceof Error ? err.message : String(err);
  const first = firstLine(raw);
  const cant = `Could not start ${subject.what} (${subject.image})`;

  if (opts.phase === 'runtime' || /could not find a working container runtime strategy/i.test(raw)) {
    const where = dockerHostProblem(env) ?? (env.DOCKER_HOST ? `nothing answered at DOCKER_HOST=${env.DOCKER_HOST}` : 'no Docker daemon was found');
    return new ContainerStartError(
      'docker-unavailable',
      `${cant}: ${where}. Start Docker (or point DOCKER_HOST at its socket), or use --target embedded, which needs no Docker.`,
      { cause: err },
    );
  }
  if (opts.phase === 'reaper' || /ryuk/i.test(raw)) {
    return new ContainerStartError(
      'ryuk-unavailable',
      `${cant}: Testcontainers could not start its Ryuk clean-up container (${first}). ` +
        'Where that image cannot be pulled, set TESTCONTAINERS_RYUK_DISABLED=true.',
      { cause: err },
    );
  }
  if (opts.phase === 'image' || /no such image|pull access denied|manifest unknown|repository does not exist|not found: manifest/i.test(raw)) {
    return new ContainerStartError(
      'image-not-found',
      `${cant}: the image is not on this machine and could not be pulled (${first}). ${capitalise(subject.imageHint)}.`,
      { cause: err },
    );
  }
  if (/container exited|log stream ended|waiting for container ports to be bound/i.test(raw)) {
    return containerExited(subject, { lastLine: lastLogLine(raw) }, err);
  }
  if (/not accessible after|timed out|timeout/i.test(raw)) {
    return new ContainerStartError(
      'startup-timeout',
      `${cant}: it did not become ready in time (${first}). Check "docker logs" of the container, or allow more time with withStartupTimeout().`,
      { cause: err },
    );
  }
  return new ContainerStartError('other', `${cant}: ${first}`, { cause: err });
}

/** The container stopped before it was ready: its exit code and last log line when known. */
export function containerExited(
  subject: ContainerDescription,
  detail: { exitCode?: number; lastLine?: string },
  cause?: unknown,
): ContainerStartError {
  const code = detail.exitCode === undefined ? '' : ` with code ${detail.exitCode}`;
  const last = detail.lastLine ? `; its last log line: ${JSON.stringify(detail.lastLine)}` : '';
  return new ContainerStartError(
    'container-exited',
    `Could not start ${subject.what} (${subject.image}): the container exited while starting${code}${last}. ` +
      `Run "docker run --rm ${subject.image}" to see its whole output${subject.exitHint ? `; ${subject.exitHint}` : ''}.`,
    { cause },
  );
}

function firstLine(text: string): string {
  return (text.split('\n').find((l) => l.trim() !== '') ?? text).trim();
}

/** "Container exited during HTTP healthCheck, last 50 logs: a\nb\nc" -> "c". */
function lastLogLine(message: string): string | undefined {
  const logs = /last \d+ logs:([\s\S]*)$/.exec(message)?.[1];
  if (!logs) return undefined;
  const lines = logs.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.at(-1);
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// ---------------------------------------------------------------- the container

/** What to do when the testbed image is missing. */
export function testbedImageHint(image: string): string {
  if (image === DEFAULT_TESTBED_IMAGE) {
    return 'build it with "npm run image:local" (or "docker build -t lambda-testbed:local ."), or set TESTBED_IMAGE to an image you have';
  }
  const how = ImageName.fromString(image).tag === 'local' ? 'build' : 'build or pull';
  return `${how} ${image}, or set TESTBED_IMAGE to an image you have (build the default one with "npm run image:local")`;
}

/**
 * The lambda-testbed image as a Testcontainers container: port 4566, ready when
 * `/_testbed/health` answers 200, stopped at once (with the container's last log line) if it
 * exits while starting. The published port is bound to 127.0.0.1 when Docker runs on this machine.
 */
export class TestbedContainer extends GenericContainer {
  private readonly image: string;
  private createdId: string | undefined;

  constructor(image: string = DEFAULT_TESTBED_IMAGE) {
    super(image);
    this.image = image;
    this.withExposedPorts(TESTBED_PORT)
      .withWaitStrategy(Wait.forHttp(TESTBED_HEALTH_PATH, TESTBED_PORT, { abortOnContainerExit: true }).forStatusCode(200))
      .withStartupTimeout(DEFAULT_STARTUP_TIMEOUT_MS);
  }

  /** `real` (the image's default) or `compressed` (idle waits are jumped; what scenario runs use). */
  withTimeMode(mode: TimeMode): this {
    if (!TIME_MODES.includes(mode)) throw new Error(`Unknown time mode ${JSON.stringify(mode)}: expected "real" or "compressed"`);
    return this.withEnvironment({ TESTBED_TIME: mode });
  }

  /** The environment the container is created with (settings such as TESTBED_TIME). */
  getEnvironment(): Readonly<Record<string, string>> {
    return { ...this.environment };
  }

  protected override async beforeContainerCreated(): Promise<void> {
    // Docker publishes on every interface by default; the cloud runs any code it is given, so keep
    // it on loopback when Docker is local (a remote daemon's ports must stay reachable).
    const client = await getContainerRuntimeClient();
    if (!isLoopbackHost(client.info.containerRuntime.host)) return;
    const bindings = this.hostConfig.PortBindings as Record<string, Array<{ HostIp?: string; HostPort?: string }>> | undefined;
    for (const list of Object.values(bindings ?? {})) for (const b of list) b.HostIp = '127.0.0.1';
  }

  protected override async containerCreated(containerId: string): Promise<void> {
    this.createdId = containerId;
  }

  override async start(): Promise<StartedTestbedContainer> {
    const subject: ContainerDescription = { what: 'the testbed container', image: this.image, imageHint: testbedImageHint(this.image) };
    await preflight(this.image, subject, { neverPull: this.imageName.tag === 'local' });
    let started: StartedTestContainer;
    try {
      started = await super.start();
    } catch (err) {
      const exit = this.createdId ? await exitedContainer(this.createdId) : undefined;
      if (this.createdId) await removeContainer(this.createdId);
      throw exit ? containerExited(subject, exit, err) : explainContainerFailure(err, subject);
    }
    return new StartedTestbedContainer(started);
  }
}

export class StartedTestbedContainer extends AbstractStartedContainer {
  constructor(startedTestContainer: StartedTestContainer) {
    super(startedTestContainer);
  }

  getPort(): number {
    return this.startedTestContainer.getMappedPort(TESTBED_PORT);
  }

  /** `http://host:port`: the endpoint every AWS client and the admin API (`/_testbed/*`) use. */
  getEndpoint(): string {
    // Published on 127.0.0.1 only when Docker is local; "localhost" could resolve to ::1 first.
    const host = isLoopbackHost(this.getHost()) ? '127.0.0.1' : this.getHost();
    return `http://${host.includes(':') ? `[${host}]` : host}:${this.getPort()}`;
  }

  /** The same as {@link getEndpoint}, under the name testcontainers-node modules use. */
  getConnectionUri(): string {
    return this.getEndpoint();
  }

  /** Stops with a grace period (SIGTERM, then SIGKILL after `timeout` ms) and removes the container. */
  override stop(options: Partial<StopOptions> = {}): Promise<StoppedTestContainer> {
    return super.stop({ timeout: DEFAULT_STOP_TIMEOUT_MS, ...options });
  }
}

// ---------------------------------------------------------------- helpers shared with the LocalStack target

/**
 * Checks, before anything is created, that Docker answers, that the image is there (pulling it
 * unless `neverPull`) and that Testcontainers' Ryuk clean-up container runs (unless
 * TESTCONTAINERS_RYUK_DISABLED=true), so that each failure gets its own message.
 */
export async function preflight(
  image: string,
  subject: ContainerDescription,
  opts: { neverPull?: boolean; env?: Env } = {},
): Promise<void> {
  const env = opts.env ?? process.env;
  const problem = dockerHostProblem(env);
  if (problem) throw explainContainerFailure(new Error(problem), subject, { phase: 'runtime', env });
  let client: Awaited<ReturnType<typeof getContainerRuntimeClient>>;
  try {
    client = await getContainerRuntimeClient();
  } catch (err) {
    throw explainContainerFailure(err, subject, { phase: 'runtime', env });
  }
  const name = ImageName.fromString(image);
  let present: boolean;
  try {
    present = await client.image.exists(name);
  } catch (err) {
    throw explainContainerFailure(err, subject, { env });
  }
  if (!present) await obtainImage(client, name, subject, opts.neverPull === true, env);
  await startReaper(client, subject, env);
}

async function obtainImage(
  client: Awaited<ReturnType<typeof getContainerRuntimeClient>>,
  name: ImageName,
  subject: ContainerDescription,
  neverPull: boolean,
  env: Env,
): Promise<void> {
  const image = name.string;
  if (neverPull) {
    throw new ContainerStartError(
      'image-not-found',
      `Could not start ${subject.what}: image ${image} is not on this machine (":local" images are built, never pulled). ${capitalise(subject.imageHint)}.`,
    );
  }
  try {
    await client.image.pull(name);
  } catch (err) {
    throw explainContainerFailure(err, subject, { phase: 'image', env });
  }
}

async function startReaper(client: Awaited<ReturnType<typeof getContainerRuntimeClient>>, subject: ContainerDescription, env: Env): Promise<void> {
  try {
    await getReaper(client); // started once per process; returns at once when disabled
  } catch (err) {
    throw explainContainerFailure(err, subject, { phase: 'reaper', env });
  }
}

/**
 * The exit code and last log line of a container that has stopped; undefined while it runs or once it
 * is gone. (A container that exits before its ports are bound is left by Testcontainers to us.)
 */
async function exitedContainer(id: string): Promise<{ exitCode?: number; lastLine?: string } | undefined> {
  try {
    const client = await getContainerRuntimeClient();
    const container = client.container.getById(id);
    const info = await client.container.inspect(container);
    if (info.State.Running) return undefined;
    const stream = await client.container.logs(container, { tail: 20 });
    const lines: string[] = [];
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2000);
      stream.on('data', (d: string) => lines.push(...String(d).split('\n')));
      stream.on('end', () => {
        clearTimeout(timer);
        resolve();
      });
      stream.on('error', () => resolve());
    });
    return { exitCode: info.State.ExitCode, lastLine: lines.map((l) => l.trim()).filter(Boolean).at(-1) };
  } catch {
    return undefined;
  }
}

async function removeContainer(id: string): Promise<void> {
  try {
    const client = await getContainerRuntimeClient();
    await client.container.getById(id).remove({ force: true, v: true });
  } catch {
    /* already removed (Testcontainers removes it after a failed wait) */
  }
}

function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '127.0.0.1' || host === '::1' || host === '[::1]';
}
