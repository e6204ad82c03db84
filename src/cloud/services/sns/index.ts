/**
 * SNS (API version 2010-03-31) on the query protocol, the only one it speaks [model]:
 * `Action=<Op>&Version=2010-03-31&...` form posts (or GETs: the SubscribeURL and UnsubscribeURL
 * in delivered messages are followed as unsigned GETs), XML answers in the namespace
 * http://sns.amazonaws.com/doc/2010-03-31/. Operations take the generic decoder's nested input
 * (protocols/query.ts) and return the XML tree of their result.
 */
import type { Operation, QueryServiceDef } from '../../protocols/types';
import { permissionOperations } from './permissions';
import { publishOperations } from './publish';
import type { SnsStore } from './store';
import { subscriptionOperations } from './subscriptions';
import { topicOperations } from './topics';

export { SnsStore } from './store';
export { snsCertificateResponse } from './signing';

export const SNS_VERSION = '2010-03-31';
export const SNS_NAMESPACE = 'http://sns.amazonaws.com/doc/2010-03-31/';

/** Operations without output: `<OpResponse><ResponseMetadata>` only [rec]. */
const NO_OUTPUT = [
  'DeleteTopic',
  'SetTopicAttributes',
  'Unsubscribe',
  'SetSubscriptionAttributes',
  'AddPermission',
  'RemovePermission',
];

export function snsOperations(store: SnsStore): Record<string, Operation> {
  return { ...topicOperations(store), ...subscriptionOperations(store), ...publishOperations(store), ...permissionOperations(store) };
}

export function snsService(store: SnsStore): QueryServiceDef {
  return {
    protocol: 'query',
    signingName: 'sns',
    version: SNS_VERSION,
    xmlNamespace: SNS_NAMESPACE,
    operations: snsOperations(store),
    noResultWrapper: NO_OUTPUT,
    // The SubscribeURL / UnsubscribeURL carry no Version.
    versionOptional: true,
  };
}
