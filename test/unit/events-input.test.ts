/**
 * What an EventBridge target receives: Input, InputPath (the JSONPath subset) and InputTransformer,
 * checked against AWS's recorded outputs (LocalStack's test_events_inputs.snapshot.json, [rec]).
 */
import type { Target } from '@aws-sdk/client-eventbridge';
import { placeholdersOf, targetInput, transform } from '../../src/cloud/services/events/input';
import { compileJsonPath } from '../../src/cloud/services/events/jsonpath';
import type { IngestedEvent } from '../../src/cloud/services/events/types';

// the detail of AWS's recordings (SPECIAL_EVENT_DETAIL)
const DETAIL = {
  command: 'update-account',
  payload: { acc_id: '0a787ecb-4015', sf_id: 'baz' },
  listsingle: ['HIGH'],
  listmulti: ['ACTIVE', 'INACTIVE'],
  valid: true,
  count: 3,
};

const INGESTED_AT = Date.parse('2024-06-11T08:33:12.345Z');

const ingested: IngestedEvent = {
  event: {
    version: '0',
    id: '5a3b1c2d-0000-4000-8000-000000000001',
    'detail-type': 'core.update-account-command',
    source: 'core.update-account-command',
    account: '000000000000',
    time: '2024-06-11T08:33:12Z',
    region: 'us-east-1',
    resources: [],
    detail: DETAIL,
  },
  ingestedAt: INGESTED_AT,
};

const rule = { name: 'my-rule', arn: 'arn:aws:events:us-east-1:000000000000:rule/my-bus/my-rule' };

const PATHS = {
  userId: '$.detail.payload.acc_id',
  payload: '$.detail.payload',
  systemstring: '$.detail.awsAccountId', // not in the event
  listsingle: '$.detail.listsingle',
  listmulti: '$.detail.listmulti',
  valid: '$.detail.valid',
  count: '$.detail.count',
};

function body(template: string, paths: Record<string, string> = PATHS): string | undefined {
  const r = transform({ InputTemplate: template, InputPathsMap: paths }, ingested, rule);
  return r.ok ? r.body : undefined;
}

describe('JSONPath subset', () => {
  it('selects by dot names (with dashes), indices and wildcards', () => {
    const doc = { 'detail-type': 'x', a: { b: [{ c: 1 }, { c: 2 }], 'd/e': 5 } };
    expect(compileJsonPath('$')!.select(doc)).toBe(doc);
    expect(compileJsonPath('$.detail-type')!.select(doc)).toBe('x');
    expect(compileJsonPath('$.a.b[1].c')!.select(doc)).toBe(2);
    expect(compileJsonPath('$.a.d/e')!.select(doc)).toBe(5);
    expect(compileJsonPath('$.a.b[*].c')!.select(doc)).toEqual([1, 2]);
    expect(compileJsonPath('$.a.*')!.select({ a: { x: 1, y: 2 } })).toEqual([1, 2]);
    expect(compileJsonPath('$.a.b[5]')!.select(doc)).toBeUndefined();
    expect(compileJsonPath('$.nope.deeper')!.select(doc)).toBeUndefined();
    expect(compileJsonPath('$.a.b[*].zzz')!.select(doc)).toBeUndefined();
  });

  it.each(['detail', '$..detail', "$['detail']", '$.a b', '$.a[-1]', '$.', '$.a[?(@.x)]'])('refuses %s', (p) => {
    expect(compileJsonPath(p)).toBeUndefined();
  });
});

describe('Input and InputPath', () => {
  const t = (extra: Partial<Target>): Target => ({ Id: 't', Arn: 'arn:aws:sqs:us-east-1:000000000000:q', ...extra });

  it('no setting: the whole event, compact, in AWS key order', () => {
    const r = targetInput(t({}), ingested, rule);
    expect(r).toEqual({ ok: true, body: JSON.stringify(ingested.event) });
    expect(Object.keys(JSON.parse((r as { body: string }).body))).toEqual(['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
  });

  it('Input is sent as given', () => {
    expect(targetInput(t({ Input: '{"custom-value": "somecustominput"}' }), ingested, rule)).toEqual({ ok: true, body: '{"custom-value": "somecustominput"}' });
  });

  it('InputPath: the selected JSON ([rec] a string arrives quoted)', () => {
    expect(targetInput(t({ InputPath: '$.detail.payload' }), ingested, rule)).toEqual({ ok: true, body: '{"acc_id":"0a787ecb-4015","sf_id":"baz"}' });
    expect(targetInput(t({ InputPath: '$.detail.payload.sf_id' }), ingested, rule)).toEqual({ ok: true, body: '"baz"' });
    expect(targetInput(t({ InputPath: '$.detail.nothing' }), ingested, rule).ok).toBe(false);
  });
});

describe('InputTransformer [rec]', () => {
  it('JSON template: values outside quotes as JSON, strings quoted', () => {
    expect(JSON.parse(body('{"method": "PUT", "path": "users-service/users/<userId>", "bod": <payload>}')!)).toEqual({
      method: 'PUT',
      path: 'users-service/users/0a787ecb-4015',
      bod: { acc_id: '0a787ecb-4015', sf_id: 'baz' },
    });
    expect(JSON.parse(body('{"id" : <userId>}')!)).toEqual({ id: '0a787ecb-4015' });
    expect(JSON.parse(body('{"id" : "<userId>"}')!)).toEqual({ id: '0a787ecb-4015' });
    expect(JSON.parse(body('{"method": "PUT", "bod": [<userId>, "hardcoded"]}')!)).toEqual({ method: 'PUT', bod: ['0a787ecb-4015', 'hardcoded'] });
    expect(JSON.parse(body('{"singlelistitem": <listsingle>}')!)).toEqual({ singlelistitem: ['HIGH'] });
    expect(JSON.parse(body('{"multi_replacement": "users/<userId>/second/<userId>"}')!)).toEqual({ multi_replacement: 'users/0a787ecb-4015/second/0a787ecb-4015' });
    expect(JSON.parse(body('{"nested": {"level1": {"level2": "users/<userId>"}}, "n": <count>, "b": <valid>}')!)).toEqual({
      nested: { level1: { level2: 'users/0a787ecb-4015' } },
      n: 3,
      b: true,
    });
  });

  it('JSON template: a path that selects nothing becomes ""', () => {
    expect(JSON.parse(body('{"detailType": <dt>, "command": <command>}', { dt: '$.detail-type', command: '$.detail.notinmessage' })!)).toEqual({
      detailType: 'core.update-account-command',
      command: '',
    });
  });

  it('JSON template: an object or list inside a JSON string is not delivered', () => {
    expect(body('{"payload": "<payload>"}')).toBeUndefined();
    expect(body('{"singlelistitem": "<listsingle>"}')).toBeUndefined();
    expect(body('{"not_valid": "users-service/users/<payload>", "bod": <payload>}')).toBeUndefined();
  });

  it('string template: text as is, objects and lists without quotes, missing values empty', () => {
    expect(body('"Payload of <payload> with path users-service/users/<userId> and <userId>"')).toBe(
      '"Payload of {acc_id:0a787ecb-4015,sf_id:baz} with path users-service/users/0a787ecb-4015 and 0a787ecb-4015"',
    );
    expect(body('"<listsingle> single list item <listmulti> multiple list items <systemstring> system account id <payload> payload <userId> user id"')).toBe(
      '"[HIGH] single list item [ACTIVE,INACTIVE] multiple list items  system account id {acc_id:0a787ecb-4015,sf_id:baz} payload 0a787ecb-4015 user id"',
    );
    expect(body('"Command is <valid>!"')).toBe('"Command is true!"');
    expect(body('"<listsingle> single list item"\n"<listmulti> multiple list items"')).toBe('"[HIGH] single list item"\n"[ACTIVE,INACTIVE] multiple list items"');
    expect(body('"{[/Check with special starting characters for event of <dt> type"', { dt: '$.detail-type' })).toBe(
      '"{[/Check with special starting characters for event of core.update-account-command type"',
    );
  });

  it('a < that is not a known placeholder stays as it is', () => {
    expect(body('"a < b and <unknown> and <userId>"')).toBe('"a < b and <unknown> and 0a787ecb-4015"');
  });

  it('reserved variables', () => {
    expect(body('"Message <aws.events.rule-arn> <aws.events.rule-name> <aws.events.event.ingestion-time>"', {})).toBe(
      `"Message ${rule.arn} my-rule 2024-06-11T08:33:12.345Z"`,
    );
    const out = JSON.parse(body('{"originalEvent": <aws.events.event>, "originalEventJson": <aws.events.event.json>}', {})!);
    expect(Object.keys(out.originalEvent)).toEqual(['id', 'account', 'detailType', 'time', 'source', 'region', 'resources', 'version']);
    expect(out.originalEvent).toMatchObject({ id: ingested.event.id, detailType: 'core.update-account-command', time: '2024-06-11T08:33:12.345Z', version: '0' });
    expect(out.originalEventJson).toEqual(ingested.event);
  });

  it('placeholdersOf lists each placeholder once', () => {
    expect(placeholdersOf('<a> <b.c> <a> <d-e> < f>')).toEqual(['a', 'b.c', 'd-e']);
  });
});
