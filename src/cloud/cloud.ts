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
import { albDoor } from './frontdoors/alb';
import { cloudfrontDoor } from './frontdoors/cloudfront';
import { functionUrlDoor } from './frontdoors/function-url';
import { httpApiDoor } from './frontdoors/http-api';
import { restApiDoor } from './frontdoors/rest-api';
import { ApiGatewayStore, apigatewayService } from './services/apigateway';
import { ApiGatewayV2Store, apigatewayv2Service } from './services/apigatewayv2';
import { CloudFrontStore, cloudfrontApiDoor } from './services/cloudfront';
import { Router } from './protocols';
import type { RawRequest, RawResponse } from './protocols/types';
import { listen, type HttpEndpoint } from './server';
import { eventsService, EventsStore } from './services/events';
import { iamService } from './services/iam';
import { KinesisStore, kinesisService } from './services/kinesis';
import { IamStore } from './services/iam/store';
import { logsService, LogsStore } from './services/logs';
import { Elbv2Store, elbv2Service } from './services/elbv2';
import { S3Store, s3Door } from './services/s3';
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
  /** S3 buckets and objects (a front door: s3.localhost, <bucket>.s3.localhost, SigV4 scope s3). */
  s3!: S3Store;
  /** Load balancers, listeners, rules and target groups (the ELBv2 API and the ALB door read them). */
  elbv2!: Elbv2Store;
  /** CloudFront distributions (the API and the viewer door read them). */
  cloudfront!: CloudFrontStore;
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
    this.s3 = new S3Store(this.clock, this.dataDir, this.deliverer);
    this.deliverer.s3 = this.s3;
    this.lambda = new LambdaService({
      deliverer: this.deliverer,
      sqs: this.sqs,
      kinesis: this.kinesis,
      code: this.s3,
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
    this.s3.links = { lambda: this.lambda, sqs: this.sqs, sns: this.sns };
    this.frontdoors = new FrontDoors();
    this.elbv2 = new Elbv2Store(this.clock, this.lambda);
    this.frontdoors.register(albDoor(this.elbv2));
    this.frontdoors.register(functionUrlDoor(this.lambda));
    this.cloudfront?.clear();
    this.cloudfront = new CloudFrontStore(this.clock);
    this.frontdoors.register(cloudfrontApiDoor(this.cloudfront, this.lambda)).register(cloudfrontDoor(this.cloudfront, this.lambda, this.logs));
    // REST APIs (v1): the execute-api door for the ids it knows.
    const apigw = new ApiGatewayStore(this.clock);
    this.frontdoors.register(restApiDoor(apigw, this.lambda));
    // HTTP APIs: after the REST API door (both answer <api-id>.execute-api.localhost; this one answers unknown ids).
    const apigwv2 = new ApiGatewayV2Store(this.clock);
    this.frontdoors.register(httpApiDoor(apigwv2, this.lambda));
    this.frontdoors.register(s3Door(this.s3));
    const sqsOps = sqsOperations(this.sqs);
    this.router = new Router(this.clock)
      .register(lambdaService(this.lambda))
      .register(apigatewayService(apigw))
      .register(apigatewayv2Service(apigwv2))
      .register(logsService(this.logs))
      .register(iamService(iam))
      .register(stsService(iam))
      .register(sqsJsonService(this.sqs, sqsOps))
      .register(sqsQueryService(this.sqs, sqsOps))
      .register(snsService(this.sns))
      .register(eventsService(this.events))
      .register(kinesisService(this.kinesis))
      .register(elbv2Service(this.elbv2));
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
    this.s3.clear();
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
    this.s3.clear();
    this.clock.clear();
    if (this.ownsDataDir) fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}
