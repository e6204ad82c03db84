/**
 * What the ALB suites share: a load balancer set up the way the AWS docs walk through it (create the
 * load balancer and a lambda target group, AddPermission for elasticloadbalancing.amazonaws.com with
 * the target group as SourceArn, RegisterTargets, an HTTP listener forwarding to the group), the URL
 * it answers at (its DNS name on the target's port), and requests that drive the `alb-target`
 * function through their body.
 */
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ModifyTargetGroupAttributesCommand,
  RegisterTargetsCommand,
  type Action,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { AddPermissionCommand } from '@aws-sdk/client-lambda';
import { httpRequest, type HttpRequestOptions, type HttpResponse } from '../../src/testbed/http';
import { getTestbed, unique } from '../_support/testbed';

const tb = getTestbed();

export interface LoadBalancer {
  dnsName: string;
  /** http://<DNSName>:<target port> */
  url: string;
  lbArn: string;
  tgArn: string;
  listenerArn: string;
}

/** The functions the ALB suites deploy (memoized per worker by stack name). */
export const albStack = () => tb.deploy({ name: 'http-alb', functions: { target: { code: 'alb-target' }, other: { code: 'alb-target' } } });

/** A target group for a function, with the permission the load balancer needs and the function registered. */
export async function lambdaTargetGroup(functionName: string, functionArn: string, multiValueHeaders = false): Promise<string> {
  const tg = (await tb.clients.elbv2.send(new CreateTargetGroupCommand({ Name: unique('tg'), TargetType: 'lambda' }))).TargetGroups![0];
  if (multiValueHeaders) {
    await tb.clients.elbv2.send(
      new ModifyTargetGroupAttributesCommand({ TargetGroupArn: tg.TargetGroupArn, Attributes: [{ Key: 'lambda.multi_value_headers.enabled', Value: 'true' }] }),
    );
  }
  await tb.clients.lambda.send(
    new AddPermissionCommand({
      FunctionName: functionName,
      StatementId: unique('elb'),
      Action: 'lambda:InvokeFunction',
      Principal: 'elasticloadbalancing.amazonaws.com',
      SourceArn: tg.TargetGroupArn,
    }),
  );
  await tb.clients.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: functionArn }] }));
  return tg.TargetGroupArn!;
}

/** A load balancer whose HTTP listener (port 80) takes `defaultActions`, or forwards to the function. */
export async function loadBalancer(opts: { functionName: string; functionArn: string; multiValueHeaders?: boolean; defaultActions?: (tgArn: string) => Action[] }): Promise<LoadBalancer> {
  const lb = (await tb.clients.elbv2.send(new CreateLoadBalancerCommand({ Name: unique('alb') }))).LoadBalancers![0];
  const tgArn = await lambdaTargetGroup(opts.functionName, opts.functionArn, opts.multiValueHeaders);
  const listener = (
    await tb.clients.elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: lb.LoadBalancerArn,
        Protocol: 'HTTP',
        Port: 80,
        DefaultActions: opts.defaultActions?.(tgArn) ?? [{ Type: 'forward', TargetGroupArn: tgArn }],
      }),
    )
  ).Listeners![0];
  const port = new URL(tb.target.endpoint).port || '80';
  return { dnsName: lb.DNSName!, url: `http://${lb.DNSName}:${port}`, lbArn: lb.LoadBalancerArn!, tgArn, listenerArn: listener.ListenerArn! };
}

export function get(url: string, opts: HttpRequestOptions = {}): Promise<HttpResponse> {
  return httpRequest(url, opts);
}

/** POST a directive for `alb-target` (respond / throw / bigBody / sleepMs) as the JSON body. */
export function directing(url: string, directive: Record<string, unknown>): Promise<HttpResponse> {
  return httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(directive) });
}

/** The ALB event the function received (it answers `{ event }` to a request without a directive). */
export function eventOf(r: HttpResponse): Record<string, any> {
  if (r.status !== 200) throw new Error(`expected 200, got ${r.status}: ${r.text}`);
  return r.json<{ event: Record<string, any> }>().event;
}

/** The load balancer's 502 page, byte for byte as AWS sends it. */
export const BAD_GATEWAY_PAGE = '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n';
