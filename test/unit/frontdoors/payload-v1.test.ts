/**
 * Payload format 1.0 (frontdoors/payloads/v1.ts): the event's maps and the response mapping rules
 * ([rec] = LocalStack's AWS-recorded test_aws_proxy_response_payload_format_validation).
 */
import { buildV1Event, mapV1Response, matchesBinaryMediaType, v1HeaderMaps, v1QueryMaps } from '../../../src/cloud/frontdoors/payloads/v1';

const j = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('the event', () => {
  it('keeps every header value in multiValueHeaders and the last in headers, first casing', () => {
    expect(v1HeaderMaps([['X-A', '1'], ['x-a', '2'], ['Host', 'h']])).toEqual({ headers: { 'X-A': '2', Host: 'h' }, multiValueHeaders: { 'X-A': ['1', '2'], Host: ['h'] } });
    expect(v1HeaderMaps([])).toEqual({ headers: null, multiValueHeaders: null });
  });

  it('keeps the last query value in queryStringParameters [rec]', () => {
    expect(v1QueryMaps([['price', '10'], ['price', '20'], ['c', 'x']])).toEqual({
      queryStringParameters: { price: '20', c: 'x' },
      multiValueQueryStringParameters: { price: ['10', '20'], c: ['x'] },
    });
    expect(v1QueryMaps([])).toEqual({ queryStringParameters: null, multiValueQueryStringParameters: null });
  });

  it('builds the event in AWS key order with nulls for empty parts', () => {
    const e = buildV1Event({
      resource: '/{proxy+}',
      path: '/a',
      httpMethod: 'GET',
      headerLines: [],
      queryPairs: [],
      pathParameters: {},
      stageVariables: undefined,
      requestContext: { stage: 's' },
      body: Buffer.alloc(0),
      base64: false,
    });
    expect(Object.keys(e)).toEqual([
      'resource',
      'path',
      'httpMethod',
      'headers',
      'multiValueHeaders',
      'queryStringParameters',
      'multiValueQueryStringParameters',
      'pathParameters',
      'stageVariables',
      'requestContext',
      'body',
      'isBase64Encoded',
    ]);
    expect(e).toMatchObject({ headers: null, pathParameters: null, stageVariables: null, body: null, isBase64Encoded: false });
  });

  it('base64-encodes a binary body', () => {
    const e = buildV1Event({ resource: '/', path: '/', httpMethod: 'POST', headerLines: [], queryPairs: [], requestContext: {}, body: Buffer.from([255, 0]), base64: true });
    expect(e).toMatchObject({ body: '/wA=', isBase64Encoded: true });
  });

  it('matches binary media types with wildcards', () => {
    expect(matchesBinaryMediaType('image/png; q=1', ['image/*'])).toBe(true);
    expect(matchesBinaryMediaType('application/json', ['*/*'])).toBe(true);
    expect(matchesBinaryMediaType('application/json', ['image/png'])).toBe(false);
    expect(matchesBinaryMediaType(undefined, ['*/*'])).toBe(false);
  });
});

describe('the response', () => {
  it('maps statusCode (number or numeric string), headers and body [rec]', () => {
    expect(mapV1Response(j({ statusCode: '201', headers: { a: 'b', t: true, n: 1 }, body: 'x' }), { decodeBase64: false })).toEqual({
      status: 201,
      headerLines: [
        ['a', 'b'],
        ['t', 'true'],
        ['n', '1'],
      ],
      body: Buffer.from('x'),
    });
    expect(mapV1Response(j({}), { decodeBase64: false })).toEqual({ status: 200, headerLines: [], body: Buffer.alloc(0) });
    expect(mapV1Response(j({ statusCode: 200, headers: null }), { decodeBase64: false })).toMatchObject({ status: 200, headerLines: [] });
  });

  it('sends multiValueHeaders first, then the headers value, under the multiValueHeaders name [rec]', () => {
    const out = mapV1Response(j({ multiValueHeaders: { 'tesT-Multi': ['value-multi'] }, headers: { 'test-multi': 'value-solo', other: 'o' } }), { decodeBase64: false });
    expect(out).toMatchObject({
      headerLines: [
        ['tesT-Multi', 'value-multi'],
        ['tesT-Multi', 'value-solo'],
        ['other', 'o'],
      ],
    });
  });

  it('decodes a base64 body only when asked [rec]', () => {
    const payload = j({ body: Buffer.from('test-data').toString('base64'), isBase64Encoded: true });
    expect((mapV1Response(payload, { decodeBase64: false }) as { body: Buffer }).body.toString()).toBe('dGVzdC1kYXRh');
    expect((mapV1Response(payload, { decodeBase64: true }) as { body: Buffer }).body.toString()).toBe('test-data');
    expect(mapV1Response(j({ body: '***', isBase64Encoded: true }), { decodeBase64: true })).toHaveProperty('malformed');
  });

  it.each([
    ['not JSON', Buffer.from('{oops')],
    ['a string', j('justAString')],
    ['an array', j([1])],
    ['null', j(null)],
    ['an unknown member', j({ statusCode: 200, wrongValue: 'value' })],
    ['a statusCode that is not a number', j({ statusCode: 'test' })],
    ['a statusCode out of range', j({ statusCode: 99 })],
    ['headers that are not an object', j({ headers: 'x' })],
    ['a header holding an object', j({ headers: { a: { b: 1 } } })],
    ['multiValueHeaders values that are not lists', j({ multiValueHeaders: { a: 'b' } })],
    ['an object body', j({ body: { a: 1 } })],
  ])('calls %s malformed [rec]', (_, payload) => {
    expect(mapV1Response(payload, { decodeBase64: false })).toHaveProperty('malformed');
  });
});
