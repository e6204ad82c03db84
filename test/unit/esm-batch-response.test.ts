/**
 * ReportBatchItemFailures: how Lambda reads a function's answer [doc]; the Kinesis success and failure
 * cases are AWS-recorded (LocalStack's test_kinesis_report_batch_item_*_scenarios) [rec], the
 * list-instead-of-object and invalid-key SQS cases too (test_report_batch_item_failures_*) [rec].
 */
import { readBatchItemFailures } from '../../src/cloud/lambda/pollers/batch-response';

const ids = new Set(['m1', 'm2', 'm3', '49590338271490256608559692538361571095921575989136588898']);
const read = (answer: string) => readBatchItemFailures(Buffer.from(answer), ids);

describe('complete success', () => {
  it.each([
    ['no answer at all', ''],
    ['null [rec]', 'null'],
    ['an empty string [rec]', '""'],
    ['an empty list [rec]', '[]'],
    ['an empty object [rec]', '{}'],
    ['an empty batchItemFailures [rec]', '{"batchItemFailures": []}'],
    ['a null batchItemFailures [rec]', '{"batchItemFailures": null}'],
    ['other members only', '{"statusCode": 200}'],
    ['whitespace', '  \n'],
  ])('%s', (_name, answer) => {
    expect(read(answer)).toEqual({ kind: 'success' });
  });
});

describe('the listed items fail', () => {
  it('keeps exactly the reported ids', () => {
    expect(read('{"batchItemFailures": [{"itemIdentifier": "m2"}, {"itemIdentifier": "m3"}]}')).toEqual({ kind: 'partial', failed: new Set(['m2', 'm3']) });
  });

  it('reads a number identifier as its text (a Kinesis sequence number)', () => {
    const v = readBatchItemFailures(Buffer.from('{"batchItemFailures": [{"itemIdentifier": 7}]}'), new Set(['7']));
    expect(v).toEqual({ kind: 'partial', failed: new Set(['7']) });
  });

  it('ignores extra members of an item and repeated ids', () => {
    expect(read('{"batchItemFailures": [{"itemIdentifier": "m1", "why": "x"}, {"itemIdentifier": "m1"}]}')).toEqual({ kind: 'partial', failed: new Set(['m1']) });
  });
});

describe('complete failure', () => {
  it.each([
    ['an unknown identifier [rec]', '{"batchItemFailures": [{"itemIdentifier": 123}]}'],
    ['an empty identifier [rec]', '{"batchItemFailures": [{"itemIdentifier": ""}]}'],
    ['a null identifier [rec]', '{"batchItemFailures": [{"itemIdentifier": null}]}'],
    ['a wrong key name [rec]', '{"batchItemFailures": [{"foo": 123}]}'],
    ['a wrong key name with null [rec]', '{"batchItemFailures": [{"foo": null}]}'],
    ['a list instead of the object [rec]', '[{"foo": "notvalid"}]'],
    ['text that is not JSON', 'not json'],
    ['a truncated object', '{"batchItemFailures": ['],
    ['a string', '"m1"'],
    ['a number', '42'],
    ['true', 'true'],
    ['batchItemFailures as an object', '{"batchItemFailures": {"itemIdentifier": "m1"}}'],
    ['an item that is not an object', '{"batchItemFailures": ["m1"]}'],
    ['a null item', '{"batchItemFailures": [null]}'],
    ['an identifier that is an object', '{"batchItemFailures": [{"itemIdentifier": {"id": "m1"}}]}'],
    ['one good and one unknown identifier', '{"batchItemFailures": [{"itemIdentifier": "m1"}, {"itemIdentifier": "zz"}]}'],
  ])('%s', (_name, answer) => {
    expect(read(answer).kind).toBe('failure');
  });
});
