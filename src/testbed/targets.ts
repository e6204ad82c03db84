/**
 * Targets: where a scenario suite's functions are deployed and triggered.
 *
 * - `embedded`   our own cloud (src/cloud), started in-process on an ephemeral 127.0.0.1 port
 * - `localstack` LocalStack started by Testcontainers (see localstack/README.md)
 * - `container`  our cloud's image (lambda-testbed:local, or TESTBED_IMAGE) started by Testcontainers
 *                (src/testbed/container.ts); reached as an endpoint, its capabilities probed
 * - a URL        any running AWS-compatible endpoint (`docker compose up`, `testbed serve`, ...)
 *
 * Scenarios only see a {@link StartedTarget}: an endpoint, a region, credentials and the
 * capabilities beyond plain AWS APIs that the target offers.
 */
import { LocalstackContainer, StartedLocalStackContainer } from '@testcontainers/localstack';
import {
  DEFAULT_TESTBED_IMAGE,
  preflight,
  explainContainerFailure,
  TestbedContainer,
  type ContainerDescription,
  type TimeMode,
} from './container';

export type TargetSpec = 'embedded' | 'localstack' | 'container' | string; /* http(s)://host:port */
/** How scenarios see a target; the `container` target is our cloud reached as an `endpoint`. */
export type TargetKind = 'embedded' | 'localstack' | 'endpoint';
export const TARGET_NAMES = ['embedded', 'localstack', 'container'] as const;

export interface TargetCapabilities {
  /** GET /_testbed/invocations (per-invocation introspection). */
  invocations: boolean;
  /** POST /_testbed/reset. */
  reset: boolean;
  /** POST /_testbed/config (runtime knobs such as how long functions stay Pending). */
  config: boolean;
  /** GET/POST /_testbed/clock and /_testbed/clock/advance: a virtual clock that can jump idle time. */
  clock: boolean;
  /**
   * AWS features LocalStack's free edition lacks, which the embedded cloud has: EventBridge target
   * RetryPolicy and DeadLetterConfig (retries, DLQ messages with their attributes).
   */
  eventbridgeRetryPolicy: boolean;
  /** Lambda's recursive loop detection (a chain stopped after 16 rounds) and PutFunctionRecursionConfig. */
  recursionDetection: boolean;
  /**
   * Event source mapping settings LocalStack's free edition lacks: BisectBatchOnFunctionError,
   * ParallelizationFactor, TumblingWindowInSeconds, ScalingConfig.MaximumConcurrency.
   */
  mappingExtras: boolean;
  /**
   * Function URLs as AWS serves them where LocalStack's free edition differs: the resource policy
   * checked for AuthType NONE and SigV4 required for AWS_IAM, the CORS configuration answered by the
   * URL, the event's cookies and comma-joined repeated headers, set-cookie lines from `cookies`,
   * malformed responses and Lambda's refusals (429, 413) answered as AWS does.
   */
  functionUrlFidelity: boolean;
  /**
   * Application Load Balancers with Lambda targets (ELBv2 API and the load balancer's front door),
   * which LocalStack's free edition does not have.
   */
  alb: boolean;
  /**
   * Response streaming: InvokeWithResponseStream and RESPONSE_STREAM Function URLs streaming a
   * streamified handler's output, which LocalStack's free edition does not implement.
   */
  responseStreaming: boolean;
  /**
   * API Gateway HTTP APIs (apigatewayv2 with ProtocolType HTTP and their `execute-api` front door),
   * which LocalStack's free edition does not have.
   */
  httpApis: boolean;
  /**
   * CloudFront distributions with Lambda@Edge (the CloudFront API and `<id>.cloudfront.localhost`),
   * which LocalStack's free edition does not have.
   */
  cloudfront: boolean;
  /**
   * API Gateway REST APIs where LocalStack's free edition differs: Lambda authorizers (TOKEN,
   * REQUEST, their cache), usage plan quotas, the resource policy checked for
   * apigateway.amazonaws.com, and the integration timeout (504).
   */
  restApiFidelity: boolean;
  /**
   * S3's virtual-hosted addressing under `<bucket>.s3.localhost` (resolved to loopback without DNS);
   * LocalStack answers it under its own domain (`<bucket>.s3.localhost.localstack.cloud`) instead.
   */
  s3VirtualHosts: boolean;
}
export type Capability = keyof TargetCapabilities;

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** What a started target looks like to everything else; serialisable except for stop(). */
export interface TargetInfo {
  kind: TargetKind;
  endpoint: string;
  region: string;
  credentials: Credentials;
  capabilities: TargetCapabilities;
}

export interface StartedTarget extends TargetInfo {
  /** The container behind the target, when one was started for it. */
  container?: { image: string; id: string };
  stop(): Promise<void>;
}

export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_CREDENTIALS: Credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
export const DEFAULT_LOCALSTACK_IMAGE = 'localstack/localstack:4.14.0';
export const NO_CAPABILITIES: TargetCapabilities = { invocations: false, reset: false, config: false, clock: false, eventbridgeRetryPolicy: false, recursionDetection: false, mappingExtras: false, functionUrlFidelity: false, alb: false, responseStreaming: false, httpApis: false, cloudfront: false, restApiFidelity: false, s3VirtualHosts: false };
export const ALL_CAPABILITIES: TargetCapabilities = { invocations: true, reset: true, config: true, clock: true, eventbridgeRetryPolicy: true, recursionDetection: true, mappingExtras: true, functionUrlFidelity: true, alb: true, responseStreaming: true, httpApis: true, cloudfront: true, restApiFidelity: true, s3VirtualHosts: true };

type Env = Record<string, string | undefined>;

/** cli value > TESTBED_TARGET > 'embedded'. Validates the value. */
export function resolveTargetSpec(cliValue?: string, env: Env = process.env): TargetSpec {
  const raw = firstNonEmpty(cliValue, env.TESTBED_TARGET) ?? 'embedded';
  return parseTargetSpec(raw);
}

/** Normalises and validates one target spec; throws a readable error for anything else. */
export function parseTargetSpec(raw: string): TargetSpec {
  const value = raw.trim();
  const lower = value.toLowerCase();
  if ((TARGET_NAMES as readonly string[]).includes(lower)) return lower;
  if (/^https?:\/\//i.test(value)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new Error(`Invalid target URL: ${JSON.stringify(raw)}`);
    }
    return url.origin; // drops paths and trailing slashes: the endpoint is the origin
  }
  throw new Error(
    `Unknown target ${JSON.stringify(raw)}: expected "embedded", "localstack", "container" or an http(s)://host:port URL`,
  );
}

export function targetKindOf(spec: TargetSpec): TargetKind {
  if (spec === 'embedded' || spec === 'localstack') return spec;
  return 'endpoint'; // a URL, or the container target (our cloud at the container's mapped port)
}

export function resolveRegion(env: Env = process.env): string {
  return firstNonEmpty(env.TESTBED_REGION, env.AWS_REGION, env.AWS_DEFAULT_REGION) ?? DEFAULT_REGION;
}

export interface StartTargetOptions {
  region?: string;
  env?: Env;
}

export async function startTarget(spec: TargetSpec, opts: StartTargetOptions = {}): Promise<StartedTarget> {
  const env = opts.env ?? process.env;
  const region = opts.region ?? resolveRegion(env);
  const parsed = parseTargetSpec(spec);
  if (parsed === 'container') return startContainerTarget({ env, region });
  switch (targetKindOf(parsed)) {
    case 'embedded':
      return startEmbeddedTarget({ region });
    case 'localstack':
      return new LocalStackTarget({ env }).withRegion(region).start();
    case 'endpoint':
      return connectEndpointTarget(parsed, { region });
  }
}

// ---------------------------------------------------------------- embedded

export async function startEmbeddedTarget(opts: { region?: string; port?: number; timeMode?: 'real' | 'compressed' } = {}): Promise<StartedTarget> {
  // Loaded lazily so that the other targets do not pay for (or depend on) the cloud's modules.
  const { startCloud } = await import('../cloud');
  // Scenario runs use compressed time: idle waits (long polls, retries, windows) pass at once.
  const cloud = await startCloud({ port: opts.port ?? 0, host: '127.0.0.1', timeMode: opts.timeMode ?? 'compressed' });
  return {
    kind: 'embedded',
    endpoint: cloud.endpoint,
    region: opts.region ?? DEFAULT_REGION,
    credentials: { ...DEFAULT_CREDENTIALS },
    capabilities: { ...ALL_CAPABILITIES },
    stop: () => cloud.stop(),
  };
}

// ---------------------------------------------------------------- endpoint

/**
 * Detects what a running endpoint offers beyond AWS APIs. `/_testbed/health` answering 2xx means it
 * is our cloud: its `capabilities` field says which (all, when it has none); anything else (404,
 * connection refused, timeout) means plain AWS APIs only.
 */
export async function probeCapabilities(endpoint: string, timeoutMs = 2000): Promise<TargetCapabilities> {
  try {
    const res = await fetch(new URL('/_testbed/health', endpoint), { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await res.json().catch(() => undefined)) as { capabilities?: Partial<Record<Capability, unknown>> } | undefined;
    if (!res.ok) return { ...NO_CAPABILITIES };
    const declared = body?.capabilities;
    if (!declared || typeof declared !== 'object') return { ...ALL_CAPABILITIES };
    // The health document lists what this build of the testbed cloud offers.
    return capabilitiesWhere((k) => declared[k] === true);
  } catch {
    return { ...NO_CAPABILITIES };
  }
}

export async function connectEndpointTarget(url: string, opts: { region?: string } = {}): Promise<StartedTarget> {
  const endpoint = new URL(url).origin;
  return {
    kind: 'endpoint',
    endpoint,
    region: opts.region ?? DEFAULT_REGION,
    credentials: { ...DEFAULT_CREDENTIALS },
    capabilities: await probeCapabilities(endpoint),
    stop: async () => {
      /* not ours to stop */
    },
  };
}

// ---------------------------------------------------------------- container

/** TESTBED_IMAGE > lambda-testbed:local. */
export function resolveTestbedImage(env: Env = process.env): string {
  return firstNonEmpty(env.TESTBED_IMAGE) ?? DEFAULT_TESTBED_IMAGE;
}

/**
 * Our cloud's image started by Testcontainers ({@link TestbedContainer}) in compressed time, as scenario
 * runs use; its capabilities come from its /_testbed/health like any endpoint's. Stopping the target
 * stops and removes the container.
 */
export async function startContainerTarget(
  opts: { image?: string; region?: string; env?: Env; timeMode?: TimeMode; startupTimeoutMs?: number } = {},
): Promise<StartedTarget> {
  const env = opts.env ?? process.env;
  const image = opts.image ?? resolveTestbedImage(env);
  const definition = new TestbedContainer(image).withTimeMode(opts.timeMode ?? 'compressed');
  if (opts.startupTimeoutMs !== undefined) definition.withStartupTimeout(opts.startupTimeoutMs);
  const container = await definition.start();
  const endpoint = container.getEndpoint();
  return {
    kind: 'endpoint',
    endpoint,
    region: opts.region ?? resolveRegion(env),
    credentials: { ...DEFAULT_CREDENTIALS },
    capabilities: await probeCapabilities(endpoint),
    container: { image, id: container.getId() },
    stop: async () => {
      await container.stop();
    },
  };
}

// ---------------------------------------------------------------- localstack

export const DOCKER_SOCKET = '/var/run/docker.sock';

/** LocalStack settings that make Lambda and its pollers quick enough for a test suite. */
export const LOCALSTACK_SPEED_ENV: Readonly<Record<string, string>> = {
  LAMBDA_RETRY_BASE_DELAY: '1',
  LAMBDA_EVENT_SOURCE_MAPPING_POLL_INTERVAL_SEC: '1',
  LAMBDA_EVENT_SOURCE_MAPPING_MAX_BACKOFF_ON_EMPTY_POLL_SEC: '1',
  LAMBDA_EVENT_SOURCE_MAPPING_MAX_BACKOFF_ON_ERROR_SEC: '5',
  LAMBDA_KEEPALIVE_MS: '60000',
  LAMBDA_RUNTIME_ENVIRONMENT_TIMEOUT: '60',
};

export interface BindMountSpec {
  source: string;
  target: string;
  mode?: 'rw' | 'ro';
}

/** Everything the LocalStack container is created with; plain data, so it can be checked without Docker. */
export interface LocalStackContainerConfig {
  image: string;
  environment: Record<string, string>;
  bindMounts: BindMountSpec[];
  startupTimeoutMs: number;
}

/**
 * LocalStack started by Testcontainers, in the style of a testcontainers-node module:
 * `await new LocalStackTarget().withImage(img).withAuthToken(token).start()`.
 * Defaults come from the environment: TESTBED_LOCALSTACK_IMAGE and LOCALSTACK_AUTH_TOKEN.
 */
export class LocalStackTarget {
  private image: string;
  private authToken: string | undefined;
  private region: string;
  private environment: Record<string, string> = {};
  private dockerSocket: string | null = DOCKER_SOCKET;
  private startupTimeoutMs = 180_000;

  constructor(opts: { env?: Env } = {}) {
    const env = opts.env ?? process.env;
    this.image = firstNonEmpty(env.TESTBED_LOCALSTACK_IMAGE) ?? DEFAULT_LOCALSTACK_IMAGE;
    this.authToken = firstNonEmpty(env.LOCALSTACK_AUTH_TOKEN);
    this.region = resolveRegion(env);
  }

  withImage(image: string): this {
    this.image = image;
    return this;
  }
  /** Needed by LocalStack images after 4.14.0; an empty value means none. */
  withAuthToken(token: string | undefined): this {
    this.authToken = firstNonEmpty(token);
    return this;
  }
  withRegion(region: string): this {
    this.region = region;
    return this;
  }
  /** Extra LocalStack settings; they override the defaults. */
  withEnvironment(environment: Record<string, string>): this {
    this.environment = { ...this.environment, ...environment };
    return this;
  }
  /** Host path of the Docker socket LocalStack uses to run Lambda containers; null to not mount it. */
  withDockerSocket(path: string | null): this {
    this.dockerSocket = path;
    return this;
  }
  withStartupTimeout(ms: number): this {
    this.startupTimeoutMs = ms;
    return this;
  }

  config(): LocalStackContainerConfig {
    const environment: Record<string, string> = {
      AWS_DEFAULT_REGION: this.region,
      ...LOCALSTACK_SPEED_ENV,
      ...this.environment,
    };
    if (this.authToken) environment.LOCALSTACK_AUTH_TOKEN = this.authToken;
    const bindMounts: BindMountSpec[] = this.dockerSocket
      ? [{ source: this.dockerSocket, target: DOCKER_SOCKET, mode: 'rw' }]
      : [];
    return { image: this.image, environment, bindMounts, startupTimeoutMs: this.startupTimeoutMs };
  }

  /** The configured, not yet started, Testcontainers container. */
  createContainer(): LocalstackContainer {
    const cfg = this.config();
    return new LocalstackContainer(cfg.image)
      .withEnvironment(cfg.environment)
      .withBindMounts(cfg.bindMounts)
      .withStartupTimeout(cfg.startupTimeoutMs);
  }

  /** Who the error messages talk about and what they suggest. */
  describe(): ContainerDescription {
    return {
      what: 'LocalStack',
      image: this.image,
      imageHint: `pull it with "docker pull ${this.image}" where a registry is reachable, or set TESTBED_LOCALSTACK_IMAGE to an image you have`,
      exitHint: this.authToken ? undefined : 'LocalStack images after 4.14.0 need LOCALSTACK_AUTH_TOKEN',
    };
  }

  /** Starts the container; a failure is one line saying what failed and what to do (ContainerStartError). */
  async start(): Promise<StartedTarget> {
    const subject = this.describe();
    await preflight(this.image, subject);
    let container: StartedLocalStackContainer;
    try {
      container = await this.createContainer().start();
    } catch (err) {
      throw explainContainerFailure(err, subject);
    }
    return {
      kind: 'localstack',
      endpoint: container.getConnectionUri(),
      container: { image: this.image, id: container.getId() },
      region: this.region,
      credentials: { ...DEFAULT_CREDENTIALS },
      capabilities: { ...NO_CAPABILITIES },
      stop: async () => {
        await container.stop();
      },
    };
  }
}

// ---------------------------------------------------------------- helpers

/** Serialises a target's capabilities for TESTBED_CAPABILITIES ("invocations,reset"). */
export function formatCapabilities(caps: TargetCapabilities): string {
  return (Object.keys(caps) as Capability[]).filter((k) => caps[k]).join(',');
}

export function parseCapabilities(value: string | undefined): TargetCapabilities {
  const set = new Set((value ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  return capabilitiesWhere((k) => set.has(k));
}

function capabilitiesWhere(has: (capability: Capability) => boolean): TargetCapabilities {
  const caps = { ...NO_CAPABILITIES };
  for (const k of Object.keys(caps) as Capability[]) caps[k] = has(k);
  return caps;
}

function firstNonEmpty(...values: Array<string | undefined>): string | undefined {
  for (const v of values) if (v !== undefined && v.trim() !== '') return v.trim();
  return undefined;
}
