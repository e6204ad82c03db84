/**
 * The HTTP front doors: Function URLs, API Gateway REST and HTTP APIs, the Application Load
 * Balancer (and later CloudFront and S3's virtual-hosted buckets). They are chosen before the AWS
 * API router, by the Host header under names that resolve to loopback without DNS
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

/** A door's answer: undefined = not mine, let the next door (or the AWS API) take it. */
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
    // The AWS APIs are reached on an IP or a plain name: only *.localhost names and the path
    // forms can be a door's, so those requests pay one check.
    if (
      !host.endsWith('.localhost') &&
      !req.path.startsWith('/restapis/') &&
      !req.path.startsWith('/_aws/') &&
      // CloudFront's API (REST-XML, which the router does not speak): services/cloudfront.
      !req.path.startsWith('/2020-05-31/') &&
      // S3 path-style requests, told by their signature: the SigV4 scope (header or presigned
      // query), or S3's own SigV2 forms (`Authorization: AWS ...`, ?AWSAccessKeyId=): services/s3.
      !req.headers.authorization?.includes('/s3/aws4_request') &&
      !req.headers.authorization?.startsWith('AWS ') &&
      !req.query.has('X-Amz-Credential') &&
      !req.query.has('AWSAccessKeyId')
    ) {
      return undefined;
    }
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
