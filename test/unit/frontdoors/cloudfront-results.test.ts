/**
 * What a Lambda@Edge function may return, checked as CloudFront checks it: JSON objects, header
 * shapes, read-only and disallowed headers per event, URIs and query strings, replaced bodies,
 * generated responses (status, encoding, size limits, 204), origins.
 */
import type { CfRequest, CfResponse } from '../../../src/cloud/frontdoors/cloudfront/event';
import { MESSAGES, isResponseResult, parseResult, readHeaders, readRequest, readResponse } from '../../../src/cloud/frontdoors/cloudfront/results';

const viewerRequest = (): CfRequest => ({
  clientIp: '127.0.0.1',
  headers: { host: [{ key: 'Host', value: 'e1.cloudfront.localhost' }], 'user-agent': [{ key: 'User-Agent', value: 'curl' }] },
  method: 'GET',
  querystring: 'a=1',
  uri: '/index.html',
});

const originResponse = (): CfResponse => ({
  status: '200',
  statusDescription: 'OK',
  headers: { 'content-type': [{ key: 'Content-Type', value: 'text/html' }], via: [{ key: 'Via', value: '1.1 origin' }] },
});

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('parseResult', () => {
  it('takes a JSON object', () => {
    expect(parseResult(Buffer.from('{"uri":"/"}'))).toEqual({ uri: '/' });
  });

  it.each([
    ['not JSON', 'oops', MESSAGES.notParsable],
    ['a string', '"text"', MESSAGES.notObject],
    ['null', 'null', MESSAGES.notObject],
    ['an array', '[]', MESSAGES.notObject],
  ])('refuses %s', (_what, payload, message) => {
    expect(() => parseResult(Buffer.from(payload))).toThrow(message);
  });

  it('a result with a status is a generated response', () => {
    expect(isResponseResult({ status: '200' })).toBe(true);
    expect(isResponseResult({ uri: '/' })).toBe(false);
  });
});

describe('readHeaders', () => {
  it('keeps entries, with or without key, under lower-case names', () => {
    expect(readHeaders({ 'X-A': [{ value: '1' }], b: [{ key: 'B', value: '2' }] })).toEqual({ 'x-a': [{ value: '1' }], b: [{ key: 'B', value: '2' }] });
  });

  it.each([
    ['headers that are not an object', [], MESSAGES.headersNotObject],
    ['an entry that is not a list', { a: { key: 'A', value: '1' } }, MESSAGES.headerNotArray],
    ['a value that is not a string', { a: [{ key: 'A', value: 1 }] }, MESSAGES.headerEntry],
    ['a key for another name', { a: [{ key: 'B', value: '1' }] }, MESSAGES.headerKey],
    ['a line break in a value', { location: [{ value: '/x\r\nSet-Cookie: a=1' }] }, MESSAGES.invalidHeader],
    ['a name that is not a token', { 'bad name': [{ value: '1' }] }, MESSAGES.invalidHeader],
  ])('refuses %s', (_what, headers, message) => {
    expect(() => readHeaders(headers)).toThrow(message);
  });
});

describe('readRequest', () => {
  it('takes the changed uri, query string and headers; method and clientIp stay', () => {
    const original = viewerRequest();
    const result = { ...clone(original), uri: '/new', querystring: 'b=2', method: 'DELETE', clientIp: '9.9.9.9' };
    result.headers['x-added'] = [{ key: 'X-Added', value: 'yes' }];
    const { request, body } = readRequest(result, 'viewer-request', original, false);
    expect(request).toEqual({ ...original, uri: '/new', querystring: 'b=2', headers: { ...original.headers, 'x-added': [{ key: 'X-Added', value: 'yes' }] } });
    expect(body).toBeUndefined();
  });

  it.each([
    ['viewer-request', 'host'],
    ['viewer-request', 'via'],
    ['origin-request', 'if-none-match'],
    ['origin-request', 'accept-encoding'],
  ] as const)('refuses a %s that adds, changes or removes the read-only %s', (event, name) => {
    const original = viewerRequest();
    const added = clone(original);
    added.headers[name] = [{ value: 'x' }];
    expect(() => readRequest(added as never, event, original, false)).toThrow(MESSAGES.readOnlyHeader);
    if (name === 'host') {
      const removed = clone(original);
      delete removed.headers.host;
      expect(() => readRequest(removed as never, event, original, false)).toThrow(MESSAGES.readOnlyHeader);
    }
  });

  it('refuses disallowed headers, and CloudFront-Viewer-Country in the viewer request', () => {
    const original = viewerRequest();
    for (const name of ['x-edge-anything', 'x-cache', 'connection', 'x-amz-cf-id']) {
      const r = clone(original);
      r.headers[name] = [{ value: '1' }];
      expect(() => readRequest(r as never, 'origin-request', original, false)).toThrow(MESSAGES.disallowedHeader);
    }
    const country = clone(original);
    country.headers['cloudfront-viewer-country'] = [{ value: 'FR' }];
    expect(() => readRequest(country as never, 'viewer-request', original, false)).toThrow(MESSAGES.disallowedHeader);
    expect(() => readRequest(country as never, 'origin-request', original, false)).not.toThrow();
  });

  it.each([
    ['a uri without the leading slash', { uri: 'index.html' }, MESSAGES.uri],
    ['a uri with a space', { uri: '/a b' }, MESSAGES.uri],
    ['a uri of 8192 characters with its query', { uri: `/${'a'.repeat(8190)}` }, MESSAGES.uri],
    ['a query string with a fragment', { querystring: 'a=1#top' }, MESSAGES.querystring],
    ['no uri at all (the whole event returned)', { uri: undefined }, MESSAGES.notRequestOrResponse],
  ])('refuses %s', (_what, change, message) => {
    const original = viewerRequest();
    expect(() => readRequest({ ...clone(original), ...change } as never, 'viewer-request', original, false)).toThrow(message);
  });

  it('replaces the body with IncludeBody and action "replace" (text or base64), truncating at the event limit', () => {
    const original = { ...viewerRequest(), body: { inputTruncated: false, action: 'read-only' as const, encoding: 'base64' as const, data: 'b2xk' } };
    const text = readRequest({ ...clone(original), body: { action: 'replace', encoding: 'text', data: 'new' } }, 'origin-request', original, true);
    expect(text.body?.toString()).toBe('new');
    const b64 = readRequest({ ...clone(original), body: { action: 'replace', data: Buffer.from('bin').toString('base64') } }, 'origin-request', original, true);
    expect(b64.body?.toString()).toBe('bin');
    const big = readRequest({ ...clone(original), body: { action: 'replace', encoding: 'text', data: 'x'.repeat(41 * 1024) } }, 'viewer-request', original, true);
    expect(big.body?.length).toBe(40 * 1024);
    const readOnly = readRequest({ ...clone(original), body: { action: 'read-only', encoding: 'text', data: 'ignored' } }, 'origin-request', original, true);
    expect(readOnly.body).toBeUndefined();
    expect(() => readRequest({ ...clone(original), body: { action: 'replace', encoding: 'base64', data: '%%%' } }, 'origin-request', original, true)).toThrow(MESSAGES.bodyEncoding);
  });

  it('takes a new origin in origin requests and refuses a malformed one', () => {
    const original = { ...viewerRequest(), origin: { custom: { customHeaders: {}, domainName: 'a.localhost', keepaliveTimeout: 5, path: '', port: 80, protocol: 'http' as const, readTimeout: 30, sslProtocols: ['TLSv1.2'] } } };
    const moved = readRequest({ ...clone(original), origin: { custom: { ...original.origin.custom, domainName: 'b.localhost', port: 8080 } } }, 'origin-request', original, false);
    expect(moved.request.origin).toEqual({ custom: { ...original.origin.custom, domainName: 'b.localhost', port: 8080 } });
    for (const bad of [{ custom: { domainName: '' } }, { custom: { domainName: 'x', port: 81 } }, { custom: { domainName: 'x', path: 'nope' } }, { custom: {}, s3: {} }, 'x']) {
      expect(() => readRequest({ ...clone(original), origin: bad } as never, 'origin-request', original, false)).toThrow(MESSAGES.origin);
    }
  });
});

describe('readResponse', () => {
  it('reads a generated response; status may be a number; the body defaults to text', () => {
    const out = readResponse({ status: 302, statusDescription: 'Found', headers: { location: [{ key: 'Location', value: '/x' }] }, body: 'moved' }, 'viewer-request');
    expect(out.response).toEqual({ status: '302', statusDescription: 'Found', headers: { location: [{ key: 'Location', value: '/x' }] } });
    expect(out.body?.toString()).toBe('moved');
    expect(readResponse({ status: '200', body: 'aGk=', bodyEncoding: 'base64' }, 'origin-request').body?.toString()).toBe('hi');
  });

  it.each([
    ['no status', { body: 'x' }, MESSAGES.notRequestOrResponse],
    ['a status below 200', { status: '199' }, MESSAGES.status],
    ['a status above 599', { status: 600 }, MESSAGES.status],
    ['a status that is not a number', { status: 'OK' }, MESSAGES.status],
    ['a body that is not a string', { status: '200', body: { a: 1 } }, MESSAGES.body],
    ['an unknown body encoding', { status: '200', body: 'x', bodyEncoding: 'gzip' }, MESSAGES.bodyEncoding],
    ['a 204 with a body', { status: '204', body: 'x' }, MESSAGES.noContentBody],
    ['more than 40 KB', { status: '200', body: 'x'.repeat(40 * 1024) , headers: { a: [{ value: 'b' }] } }, MESSAGES.body],
  ])('refuses a viewer-request response with %s', (_what, result, message) => {
    expect(() => readResponse(result as never, 'viewer-request')).toThrow(message);
  });

  it('an origin-request response may be up to 1 MB', () => {
    expect(readResponse({ status: '200', body: 'x'.repeat(1000 * 1024) }, 'origin-request').body?.length).toBe(1000 * 1024);
    expect(() => readResponse({ status: '200', body: 'x'.repeat(1024 * 1024 + 1) }, 'origin-request')).toThrow(MESSAGES.body);
  });

  it('in response events, read-only headers stay (Via, Transfer-Encoding; Warning in viewer responses)', () => {
    const original = originResponse();
    const via = clone(original);
    via.headers.via = [{ value: 'changed' }];
    expect(() => readResponse(via as never, 'origin-response', original)).toThrow(MESSAGES.readOnlyHeader);
    const warning = clone(original);
    warning.headers.warning = [{ value: '199 x' }];
    expect(() => readResponse(warning as never, 'viewer-response', original)).toThrow(MESSAGES.readOnlyHeader);
    expect(() => readResponse(warning as never, 'origin-response', original)).not.toThrow();
  });

  it('keeps the status description when the status is unchanged, and the body only when one is given', () => {
    const original = originResponse();
    const same = readResponse({ ...clone(original), statusDescription: undefined } as never, 'origin-response', original);
    expect(same.response.statusDescription).toBe('OK');
    expect(same.body).toBeUndefined();
    const replaced = readResponse({ ...clone(original), body: 'new' }, 'origin-response', original);
    expect(replaced.body?.toString()).toBe('new');
  });
});
