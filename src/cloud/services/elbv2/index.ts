/**
 * Elastic Load Balancing v2 (API version 2015-12-01) on the query protocol, the only one it speaks
 * [model]: `Action=<Op>&Version=2015-12-01&...` form posts signed for `elasticloadbalancing`, XML
 * answers in the namespace http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/, each result in
 * `<OpResult>` (an empty one for operations without output). Application Load Balancers with Lambda
 * target groups; the front door that serves them is frontdoors/alb/.
 */
import type { Operation, QueryServiceDef } from '../../protocols/types';
import { listenerOperations } from './listeners';
import { loadBalancerOperations } from './load-balancers';
import { ruleOperations } from './rules';
import type { Elbv2Store } from './store';
import { tagOperations } from './tags';
import { targetGroupOperations } from './target-groups';
import { targetOperations } from './targets';

export { Elbv2Store } from './store';

export const ELBV2_VERSION = '2015-12-01';
export const ELBV2_NAMESPACE = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';

export function elbv2Operations(store: Elbv2Store): Record<string, Operation> {
  return {
    ...loadBalancerOperations(store),
    ...targetGroupOperations(store),
    ...targetOperations(store),
    ...listenerOperations(store),
    ...ruleOperations(store),
    ...tagOperations(store),
  };
}

export function elbv2Service(store: Elbv2Store): QueryServiceDef {
  return {
    protocol: 'query',
    signingName: 'elasticloadbalancing',
    version: ELBV2_VERSION,
    xmlNamespace: ELBV2_NAMESPACE,
    operations: elbv2Operations(store),
  };
}
