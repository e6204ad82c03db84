/**
 * The mapping-template subset (rest-api/templates.ts) and the non-proxy mapping rules
 * (rest-api/mock.ts): passthrough behaviors, MOCK status codes, selection patterns, response
 * templates and parameters.
 */
import { mapRequest, mapResponse, mockStatusCode, selectIntegrationResponse } from '../../../src/cloud/frontdoors/rest-api/mock';
import { jsonPath, renderTemplate, type TemplateInput } from '../../../src/cloud/frontdoors/rest-api/templates';
import type { Integration } from '../../../src/cloud/services/apigateway/types';

const input: TemplateInput = {
  body: '{"a": {"b": [1, {"c": "x"}]}, "s": "it\'s"}',
  params: { path: { id: '42' }, querystring: { q: 'v', id: 'shadowed' }, header: { 'X-Token': 't' } },
  context: { requestId: 'rid', stage: 'dev', identity: { sourceIp: '1.2.3.4', user: null }, authorizer: { principalId: 'p' } },
  stageVariables: { env: 'prod' },
};
const render = (t: string) => renderTemplate(t, input).text;

describe('templates', () => {
  it('reads $input, $context and $stageVariables', () => {
    expect(render("$input.params('id') $input.params('q') $input.params('x-token')")).toBe('42 v t');
    expect(render('$input.params().path.id $input.params().querystring.get(\'q\') ${input.params().header.X-Token}')).toBe('42 v t');
    expect(render("$input.json('$.a.b[1]') $input.path('$.a.b[0]') $input.json('$.nope')|")).toBe('{"c":"x"} 1 |');
    expect(render('$input.body')).toBe(input.body);
    expect(render('$context.requestId/$context.identity.sourceIp/$context.authorizer.principalId/${context.stage}')).toBe('rid/1.2.3.4/p/dev');
    expect(render('[$context.identity.user]')).toBe('[]');
    expect(render('$stageVariables.env')).toBe('prod');
  });

  it('leaves unknown references as written and $! ones empty', () => {
    expect(render('$foo.bar and $!foo and $context.nope')).toBe('$foo.bar and  and $context.nope');
    expect(render('price: $5')).toBe('price: $5');
  });

  it('runs $util functions', () => {
    expect(render("$util.escapeJavaScript($input.path('$.s'))")).toBe("it\\'s");
    expect(render("$util.base64Encode('hi') $util.base64Decode('aGk=') $util.urlEncode('a b') $util.urlDecode('a%20b')")).toBe('aGk= hi a%20b a b');
  });

  it('applies responseOverride #set lines and drops comments', () => {
    const r = renderTemplate("## comment\n#set($context.responseOverride.status = 201)\n#set($context.responseOverride.header.X-A = 'v')\n#* block *#ok", input);
    expect(r).toEqual({ text: 'ok', statusOverride: 201, headerOverrides: { 'X-A': 'v' } });
  });

  it('follows the JSONPath subset', () => {
    expect(jsonPath({ a: [{ b: 1 }] }, '$.a[0].b')).toBe(1);
    expect(jsonPath({ 'a-b': 2 }, "$['a-b']")).toBe(2);
    expect(jsonPath({ a: 1 }, '$')).toEqual({ a: 1 });
    expect(jsonPath({ a: 1 }, 'a')).toBeUndefined();
  });
});

const integration = (o: Partial<Integration>): Integration => ({
  type: 'MOCK',
  passthroughBehavior: 'WHEN_NO_MATCH',
  timeoutInMillis: 29000,
  cacheNamespace: 'x',
  cacheKeyParameters: [],
  integrationResponses: {},
  ...o,
});

describe('request mapping', () => {
  const templates = { 'application/json': '{"statusCode": 200}' };
  it('uses the template of the Content-Type, application/json by default', () => {
    expect(mapRequest(integration({ requestTemplates: templates }), undefined, input)).toEqual({ kind: 'body', body: '{"statusCode": 200}' });
    expect(mapRequest(integration({ requestTemplates: templates }), 'application/json; charset=utf-8', input)).toEqual({ kind: 'body', body: '{"statusCode": 200}' });
  });

  it('follows the passthrough behaviors', () => {
    expect(mapRequest(integration({ requestTemplates: templates }), 'text/plain', input)).toEqual({ kind: 'body', body: input.body });
    expect(mapRequest(integration({ requestTemplates: templates, passthroughBehavior: 'WHEN_NO_TEMPLATES' }), 'text/plain', input)).toEqual({ kind: 'unsupported-media-type' });
    expect(mapRequest(integration({ passthroughBehavior: 'WHEN_NO_TEMPLATES' }), 'text/plain', input)).toEqual({ kind: 'body', body: input.body });
    expect(mapRequest(integration({ passthroughBehavior: 'NEVER' }), 'text/plain', input)).toEqual({ kind: 'unsupported-media-type' });
  });

  it("reads MOCK's statusCode, also from CDK's {statusCode: 200}", () => {
    expect(mockStatusCode('{"statusCode": 404}')).toBe(404);
    expect(mockStatusCode('{statusCode: 200}')).toBe(200);
    expect(mockStatusCode('{"statusCode": "200"}')).toBeUndefined();
    expect(mockStatusCode('')).toBeUndefined();
  });
});

describe('integration responses', () => {
  const responses = {
    '200': { statusCode: '200' },
    '400': { statusCode: '400', selectionPattern: '4\\d{2}' },
    '500': { statusCode: '500', selectionPattern: '.*Error.*' },
  };

  it('selects by whole-value pattern, else the default', () => {
    expect(selectIntegrationResponse(responses, '404')?.statusCode).toBe('400');
    expect(selectIntegrationResponse(responses, '4044')?.statusCode).toBe('200');
    expect(selectIntegrationResponse(responses, 'TypeError: x')?.statusCode).toBe('500');
    expect(selectIntegrationResponse({ '400': responses['400'] }, '200')).toBeUndefined();
  });

  it('renders the template the client accepts, with static and body parameters', () => {
    const r = {
      statusCode: '200',
      responseTemplates: { 'application/json': '{"json": true}', 'text/html': '<p>$input.path(\'$.name\')</p>' },
      responseParameters: { 'method.response.header.X-Static': "'s'", 'method.response.header.X-Name': 'integration.response.body.name' },
    };
    expect(mapResponse(r, '{"name": "n"}', 'text/html', input)).toEqual({
      status: 200,
      headers: [
        ['X-Static', 's'],
        ['X-Name', 'n'],
      ],
      body: '<p>n</p>',
    });
    expect(mapResponse(r, '{"name": "n"}', undefined, input).body).toBe('{"json": true}');
    expect(mapResponse({ statusCode: '202' }, 'raw', undefined, input)).toEqual({ status: 202, headers: [], body: 'raw' });
  });
});
