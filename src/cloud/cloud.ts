/**
 * The composition root of the embedded cloud: the clock, the services, the router, the execution
 * environments and the admin endpoints, behind one HTTP endpoint.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { handleAdmin } from './admin/admin';
import { Clock, type TimeMode } from './clock';
import { CloudDeliverer } from './deliver';
import { EnvironmentManager } from './lambda/runtime/manager';
import { lambdaService } from './lambda/routes';
import { LambdaService } from './lambda/service';
import { FrontDoors } from './frontdoors';
import { Router } from './protocols';
import type { RawRequest, RawResponse } from './protocols/types';
import { listen, type HttpEndpoint } from './server';
import { eventsService, EventsStore } from './services/events';
import { iamService } from './services/iam';
import { KinesisStore, kinesisService } from './services/kinesis';
import { IamStore } from './services/iam/store';
import { logsService, LogsStore } from './services/logs';
import { snsService, SnsStore } from './services/sns';
import { SqsStore, sqsJsonService, sqsOperations, sqsQueryService } from './services/sqs';
import { stsService } from './services/sts';

export interface CloudOptions {
  port?: number;
  host?: string;
  dataDir?: string;
  /** Idle execution environments are shut down after this long (virtual ms). Default 10 min. */
  keepAliveMs?: number;
  /** How long new/updated functions stay Pending/InProgress (virtual ms). Default 0. */
  stateTransitionMs?: number;
  /** The account's concurrent executions limit (default 1000, as AWS; new accounts get 10). */
  accountConcurrency?: number;
  /** How time runs: `real` (default) or `compressed` (idle gaps are jumped when someone waits). */
  timeMode?: TimeMode;
}

export class Cloud {
  readonly clock: Clock;
  readonly dataDir: string;
  readonly environments: EnvironmentManager;
  logs!: LogsStore;
  sqs!: SqsStore;
  sns!: SnsStore;
  events!: EventsStore;
  kinesis!: KinesisStore;
  /** The one in-process deliverer (destinations, DLQs, SNS subscriptions, EventBridge targets). */
  deliverer!: CloudDeliverer;
  lambda!: LambdaService;
  router!: Router;
  /** The HTTP front doors (Function URLs, API Gateway, ALB...), chosen by Host before the router. */
  frontdoors!: FrontDoors;
  private http?: HttpEndpoint;
  private endpointUrl = '';
  private readonly ownsDataDir: boolean;

  constructor(private readonly opts: CloudOptions = {}) {
    this.clock = new Clock(opts.timeMode ?? 'real');
    this.ownsDataDir = !opts.dataDir;
    this.dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-testbed-'));
    fs.mkdirSync(this.dataDir, { recursive: true });
    this.environments = new EnvironmentManager({
      clock: this.clock,
      dataDir: this.dataDir,
      endpoint: () => this.endpointUrl,
      keepAliveMs: opts.keepAliveMs,
      logSink: { put: (region, accountId, group, stream, events) => this.logs.put(region, accountId, group, stream, events) },
    });
    this.build();
  }

  /** Fresh state for every service. */
  private build(): void {
    const previous = this.lambda && {
      stateTransitionMs: this.lambda.stateTransitionMs,
      accountConcurrency: this.lambda.accountConcurrency,
      asyncConcurrencyPerFunction: this.lambda.async.queue.concurrencyPerFunction,
      mappings: { maxConcurrentBatches: this.lambda.mappings.maxConcurrentBatches, transitionMs: this.lambda.mappings.transitionMs },
      kinesis: { stateTransitionMs: this.kinesis.stateTransitionMs, shardLimits: this.kinesis.shardLimits, shardLimit: this.kinesis.shardLimit },
    };
    this.logs = new LogsStore(this.clock);
    this.sqs = new SqsStore(this.clock);
    this.kinesis = new KinesisStore(this.clock);
    if (previous) Object.assign(this.kinesis, previous.kinesis);
    this.deliverer = new CloudDeliverer(this.clock, this.sqs);
    this.lambda = new LambdaService({
      deliverer: this.deliverer,
      sqs: this.sqs,
      kinesis: this.kinesis,
      clock: this.clock,
      dataDir: this.dataDir,
      environments: this.environments,
      stateTransitionMs: previous?.stateTransitionMs ?? this.opts.stateTransitionMs ?? 0,
      accountConcurrency: previous?.accountConcurrency ?? this.opts.accountConcurrency,
    });
    this.deliverer.lambda = this.lambda.async;
    if (previous) this.lambda.async.queue.concurrencyPerFunction = previous.asyncConcurrencyPerFunction;
    if (previous) Object.assign(this.lambda.mappings, previous.mappings);
    const iam = new IamStore();
    this.events = new EventsStore(this.clock, this.deliverer);
    this.deliverer.events = this.events;
    this.sns = new SnsStore(this.clock, this.deliverer);
    this.sns.endpointUrl = () => this.endpoint;
    this.deliverer.sns = this.sns;
    this.frontdoors = new FrontDoors();
    const sqsOps = sqsOperations(this.sqs);
    this.router = new Router(this.clock)
      .register(lambdaService(this.lambda))
      .register(logsService(this.logs))
      .register(iamService(iam))
      .register(stsService(iam))
      .register(sqsJsonService(this.sqs, sqsOps))
      .register(sqsQueryService(this.sqs, sqsOps))
      .register(snsService(this.sns))
      .register(eventsService(this.events))
      .register(kinesisService(this.kinesis));
  }

  get endpoint(): string {
    return this.endpointUrl;
  }

  async start(): Promise<this> {
    const host = this.opts.host ?? '127.0.0.1';
    this.http = await listen((req, endpoint) => this.handle(req, endpoint), this.opts.port ?? 4566, host);
    // Bound to every interface (in a container): its own URLs (functions' AWS_ENDPOINT_URL, SNS links) use loopback.
    const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
    this.endpointUrl = `http://${urlHost.includes(':') ? `[${urlHost}]` : urlHost}:${this.http.port}`;
    return this;
  }

  get port(): number {
    return this.http?.port ?? 0;
  }

  async handle(req: RawRequest, endpoint: string): Promise<RawResponse> {
    // A request being served is activity: compressed time does not jump under it (a long poll
    // releases its section while it waits).
    const release = this.clock.busy();
    try {
      const door = this.frontdoors.dispatch(req, endpoint);
      if (door) return await door;
      if (req.path.startsWith('/_testbed/') || req.path.startsWith('/_localstack/')) {
        const r = await handleAdmin(this, req);
        if (r) return r;
      }
      return await this.router.dispatch(req, endpoint);
    } finally {
      release();
    }
  }

  async reset(): Promise<void> {
    this.sqs.clear();
    this.sns.clear();
    this.events.clear();
    this.kinesis.clear();
    await this.lambda.reset();
    this.build();
  }

  async stop(): Promise<void> {
    await this.http?.close();
    this.http = undefined;
    this.lambda.mappings.stopAll();
    await this.environments.shutdown();
    this.sqs.clear();
    this.sns.clear();
    this.events.clear();
    this.kinesis.clear();
    this.clock.clear();
    if (this.ownsDataDir) fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}
