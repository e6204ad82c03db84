/**
 * Event bus operations: CreateEventBus, DeleteEventBus, DescribeEventBus, ListEventBuses.
 * The `default` bus exists in every account and region and cannot be created or deleted [rec].
 */
import { AwsError } from '../../errors';
import type { Operation, RequestContext } from '../../protocols/types';
import { busAlreadyExists, busNotFound, cannotDeleteDefaultBus, validation } from './errors';
import type { EventsStore } from './store';
import { DEFAULT_BUS, type BusRecord } from './types';
import {
  BUS_NAME_RE,
  BUS_NAME_TEXT,
  busRefName,
  checkBusNameOrArn,
  checkLimit,
  checkNextToken,
  checkTagList,
  page,
  types,
  validator,
  type In,
} from './validate';

const EVENT_SOURCE_RE = /^aws\.partner(\/[.\-_A-Za-z0-9]+){2,}$/;
const KMS_RE = /^[a-zA-Z0-9_\-/:]*$/;
const INCLUDE_DETAIL = ['NONE', 'FULL'] as const;
const LOG_LEVELS = ['OFF', 'ERROR', 'INFO', 'TRACE'] as const;

/** The bus an EventBusName (name or ARN; default when absent) names in the caller's account and region. */
export function resolveBus(store: EventsStore, ctx: RequestContext, ref: string | undefined): BusRecord {
  const { name, foreign } = busRefName(ref, ctx);
  const bus = foreign ? undefined : store.bus(ctx.accountId, ctx.region, name);
  if (!bus) throw busNotFound(name);
  return bus;
}

function busView(bus: BusRecord) {
  return {
    Name: bus.name,
    Arn: bus.arn,
    Description: bus.description,
    CreationTime: new Date(bus.creationTime),
    LastModifiedTime: new Date(bus.lastModifiedTime),
  };
}

export function busOperations(store: EventsStore): Record<string, Operation> {
  return {
    CreateEventBus(input: In, ctx: RequestContext) {
      types(input, { Name: 'string', EventSourceName: 'string', Description: 'string', KmsKeyIdentifier: 'string', DeadLetterConfig: 'object', LogConfig: 'object', Tags: 'array' });
      const v = validator();
      const name = input.Name as string | undefined;
      if (v.required(name, 'name')) v.length(name, 'name', 1, 256).pattern(name, 'name', BUS_NAME_RE, BUS_NAME_TEXT);
      const source = input.EventSourceName as string | undefined;
      v.length(source, 'eventSourceName', 1, 256).pattern(source, 'eventSourceName', EVENT_SOURCE_RE, 'aws\\.partner(/[\\.\\-_A-Za-z0-9]+){2,}');
      v.length(input.Description as string | undefined, 'description', 0, 512);
      const kms = input.KmsKeyIdentifier as string | undefined;
      v.length(kms, 'kmsKeyIdentifier', 0, 2048).pattern(kms, 'kmsKeyIdentifier', KMS_RE, '^[a-zA-Z0-9_\\-/:]*$');
      const dlc = input.DeadLetterConfig as In | undefined;
      if (dlc) {
        types(dlc, { Arn: 'string' });
        v.length(dlc.Arn as string | undefined, 'deadLetterConfig.arn', 1, 1600);
      }
      const log = input.LogConfig as In | undefined;
      if (log) {
        types(log, { IncludeDetail: 'string', Level: 'string' });
        v.oneOf(log.IncludeDetail, 'logConfig.includeDetail', INCLUDE_DETAIL).oneOf(log.Level, 'logConfig.level', LOG_LEVELS);
      }
      const tags = checkTagList(v, input.Tags, 'tags');
      v.check();
      const n = name as string;
      if (store.bus(ctx.accountId, ctx.region, n)) throw busAlreadyExists(n); // [rec]; `default` too [obs]
      // [obs] (moto, measured against AWS): only partner buses have '/' in their name; this cloud has no partner event sources
      if (source !== undefined) throw new AwsError('ResourceNotFoundException', `Event source ${source} does not exist.`, 400);
      if (n.includes('/')) throw validation("Event bus name must not contain '/'.");
      const bus = store.addBus(ctx.accountId, ctx.region, n, {
        description: input.Description as string | undefined,
        kmsKeyIdentifier: kms,
        deadLetterConfig: dlc as BusRecord['deadLetterConfig'],
        logConfig: log as BusRecord['logConfig'],
      });
      const t = store.tagsOf(bus.arn);
      for (const tag of tags) t.set(tag.Key, tag.Value);
      // [rec] the ARN, and what was set
      return { EventBusArn: bus.arn, Description: bus.description, KmsKeyIdentifier: bus.kmsKeyIdentifier, DeadLetterConfig: bus.deadLetterConfig, LogConfig: bus.logConfig };
    },

    DeleteEventBus(input: In, ctx: RequestContext) {
      types(input, { Name: 'string' });
      const v = validator();
      const name = input.Name as string | undefined;
      if (v.required(name, 'name')) v.length(name, 'name', 1, 256).pattern(name, 'name', BUS_NAME_RE, BUS_NAME_TEXT);
      v.check();
      if (name === DEFAULT_BUS) throw cannotDeleteDefaultBus();
      // [rec] deleting a bus that does not exist succeeds
      const bus = store.bus(ctx.accountId, ctx.region, name as string);
      if (bus) store.removeBus(bus);
      return {};
    },

    DescribeEventBus(input: In, ctx: RequestContext) {
      types(input, { Name: 'string' });
      const v = validator();
      checkBusNameOrArn(v, input.Name, 'name');
      v.check();
      const bus = resolveBus(store, ctx, input.Name as string | undefined);
      return { ...busView(bus), KmsKeyIdentifier: bus.kmsKeyIdentifier, DeadLetterConfig: bus.deadLetterConfig, LogConfig: bus.logConfig };
    },

    ListEventBuses(input: In, ctx: RequestContext) {
      types(input, { NamePrefix: 'string', NextToken: 'string', Limit: 'number' });
      const v = validator();
      const prefix = input.NamePrefix as string | undefined;
      v.length(prefix, 'namePrefix', 1, 256).pattern(prefix, 'namePrefix', BUS_NAME_RE, BUS_NAME_TEXT);
      checkNextToken(v, input.NextToken);
      checkLimit(v, input.Limit);
      v.check();
      const buses = [...store.buses(ctx.accountId, ctx.region).values()]
        .filter((b) => prefix === undefined || b.name.startsWith(prefix))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const p = page(buses, input.NextToken, input.Limit);
      return { EventBuses: p.items.map(busView), NextToken: p.nextToken };
    },
  };
}
