/**
 * The HTTP front doors: Function URLs, API Gateway REST and HTTP APIs, the Application Load
 * Balancer, CloudFront (its viewers and its REST-XML API) and S3. They are chosen before the AWS
 * API router, each door by its own test: the Host header under names that resolve to loopback without DNS
 * (`<url-id>.lambda-url.<region>.localhost`, `<api-id>.execute-api.localhost`,
 * `<name>-<id>.<region>.elb.localhost`), or by LocalStack's path forms
 * (`/restapis/<id>/<stage>/_user_request_/<path>`, `/_aws/execute-api/<id>/<stage>/<path>`).
 *
 *   index.ts     the registry: which door takes a request (this file)
 *   http.ts      what every door shares: host parsing, header lists, AWS's error answers
 *   invoke.ts    a door's synchronous invocation of a function (outcome kinds, integration timeout)
 *   payloads/    the event formats: v2.0 (Function URLs, HTTP APIs), v1.0 (REST APIs, HTTP APIs)
 *
 * A door never sees the AWS API: it is handed the request, the host name (lower-case, without the
 * port) and the cloud's endpoint, and answers the HTTP response itself.
 */
import type { RawRequest, RawResponse } from '../protocols/types';
import { hostName } from './http';

export interface DoorRequest {
  req: RawRequest;
  /** The Host header's name, lower-case, without the port ("abc.lambda-url.us-east-1.localhost"). */
  host: string;
  /** The cloud's base URL as the caller reached it ("http://127.0.0.1:4566"). */
  endpoint: string;
  /** The port the caller reached the cloud on (the URLs and DNS names the APIs return carry it). */
  port: string;
}

/**
 * A door's answer: undefined = not mine, let the next door (or the AWS API) take it. Every request
 * the AWS APIs get is offered to every door first, so a door tells its own requests apart at once
 * (a host suffix, a path prefix, a signature's service) and does nothing else for the others.
 */
export type DoorHandler = (r: DoorRequest) => Promise<RawResponse> | undefined;

export interface FrontDoor {
  name: string;
  /** Takes the request when its host (or path form) is this door's; cheap when it is not. */
  handle: DoorHandler;
}

export class FrontDoors {
  private readonly doors: FrontDoor[] = [];

  register(door: FrontDoor): this {
    this.doors.push(door);
    return this;
  }

  /** The answer of the door that takes this request, or undefined for the AWS API router. */
  dispatch(req: RawRequest, endpoint: string): Promise<RawResponse> | undefined {
    if (this.doors.length === 0) return undefined;
    const hostHeader = req.headers.host ?? '';
    const host = hostName(hostHeader);
    const port = portOf(hostHeader) ?? portOf(endpoint.replace(/^https?:\/\//, '')) ?? '80';
    const r: DoorRequest = { req, host, endpoint, port };
    for (const door of this.doors) {
      const answer = door.handle(r);
      if (answer) return answer;
    }
    return undefined;
  }
}

function portOf(hostHeader: string): string | undefined {
  const m = /:(\d+)$/.exec(hostHeader);
  return m?.[1];
}
