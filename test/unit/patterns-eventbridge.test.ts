/**
 * EventBridge event patterns: matching (src/cloud/patterns). The first table is AWS's recorded
 * TestEventPattern results [rec: LocalStack tests/aws/services/events/test_events_patterns, recorded
 * against AWS]; the later cases come from the EventBridge docs and event-ruler's documented behaviour.
 */
import { compileEventPattern, JsonNumber, parseEventJson } from '../../src/cloud/patterns';

const matches = (pattern: unknown, event: unknown) =>
  compileEventPattern(typeof pattern === 'string' ? pattern : JSON.stringify(pattern)).matches(event);

// [label, pattern, event, TestEventPattern Result]  [rec]
const RECORDED: [string, unknown, unknown, boolean][] = [
  ['arrays', {"resources":["arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f","arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f","arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f"]}, {"resources":["arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate","arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f"]}, true],
  ['arrays_NEG', {"resources":["arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f","arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f","arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f"]}, {"resources":["arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate"]}, false],
  ['arrays_empty_null_NEG', {"resources":[null]}, {"resources":[]}, false],
  ['boolean', {"boolean":[false]}, {"boolean":false}, true],
  ['boolean_NEG', {"boolean":[false]}, {"boolean":true}, false],
  ['complex_many_rules', {"source":[{"exists":true}],"detail-type":[{"prefix":"core.app"}],"detail":{"description":["this-is-event-details"],"amount":[200],"salary":[2000,4000],"env":["dev","prod"],"user":["user1","user2","user3"],"admins":["skyli",{"prefix":"hey"},{"prefix":"ad"}],"test1":[{"anything-but":200}],"test2":[{"anything-but":"test2"}],"test3":[{"anything-but":["test3","test33"]}],"test4":[{"anything-but":{"prefix":"test4"}}],"num-test1":[{"numeric":["<",200]}],"num-test2":[{"numeric":["<=",200]}],"num-test3":[{"numeric":[">",200]}],"num-test4":[{"numeric":[">=",200]}],"num-test5":[{"numeric":[">=",200,"<=",500]}],"num-test6":[{"numeric":[">",200,"<",500]}],"num-test7":[{"numeric":[">=",200,"<",500]}]}}, {"EventBusName":"my-event-bus-name","source":"core.update-account-command","detail-type":"core.app.backend","detail":{"description":"this-is-event-details","amount":200,"salary":2000,"env":"prod","user":"user3","admins":"admin","test1":300,"test2":"test22","test3":"test333","test4":"this test4","ip":"10.102.1.100","num-test1":100,"num-test2":200,"num-test3":300,"num-test4":200,"num-test5":500,"num-test6":300,"num-test7":300}}, true],
  ['complex_multi_match', {"time":[{"prefix":"2022-07-13"}],"detail":{"state":[{"anything-but":"initializing"}],"c-count":[{"numeric":[">",0,"<=",5]}],"d-count":[{"numeric":["<",10]}],"x-limit":[{"anything-but":[100,200,300]}]}}, {"time":"2022-07-13T13:48:01Z","detail":{"state":"processing","c-count":3,"d-count":9,"x-limit":999}}, true],
  ['complex_multi_match_NEG', {"time":[{"prefix":"2022-07-13"}],"detail":{"state":[{"anything-but":"initializing"}],"c-count":[{"numeric":[">",0,"<=",5]}],"d-count":[{"numeric":["<",10]}],"x-limit":[{"anything-but":[100,200,300]}]}}, {"time":"2022-07-13T13:48:01Z","detail":{"state":"processing","c-count":3,"d-count":9,"x-limit":300}}, false],
  ['complex_or', {"detail":{"$or":[{"c-count":[{"numeric":[">",0,"<=",5]}]},{"d-count":[{"numeric":["<",10]}]},{"x-limit":[{"numeric":["=",301.8]}]}]}}, {"detail":{"c-count":0,"d-count":0,"x-limit":901.8}}, true],
  ['complex_or_NEG', {"detail":{"$or":[{"c-count":[{"numeric":[">",0,"<=",5]}]},{"d-count":[{"numeric":["<",10]}]},{"x-limit":[{"numeric":["=",301.8]}]}]}}, {"detail":{"c-count":0,"d-count":10,"x-limit":901.8}}, false],
  ['content_anything_but_ignorecase', {"detail":{"state":[{"anything-but":{"equals-ignore-case":"initializing"}}]}}, {"detail":{"state":"pending"}}, true],
  ['content_anything_but_ignorecase_NEG', {"detail":{"state":[{"anything-but":{"equals-ignore-case":"initializing"}}]}}, {"detail":{"state":"INITIALIZING"}}, false],
  ['content_anything_but_ignorecase_list', {"detail":{"state":[{"anything-but":{"equals-ignore-case":["initializing","stopped"]}}]}}, {"detail":{"state":"pending"}}, true],
  ['content_anything_but_ignorecase_list_NEG', {"detail":{"state":[{"anything-but":{"equals-ignore-case":["initializing","stopped"]}}]}}, {"detail":{"state":"Stopped"}}, false],
  ['content_anything_but_ignorecase_list_missing_NEG', {"detail":{"state":[{"anything-but":{"equals-ignore-case":["initializing","stopped"]}}]}}, {"detail":{}}, false],
  ['content_anything_but_ignorecase_list_null', {"detail":{"state":[{"anything-but":{"equals-ignore-case":["initializing","stopped"]}}]}}, {"detail":{"state":null}}, true],
  ['content_anything_but_ignorecase_missing_NEG', {"detail":{"state":[{"anything-but":{"equals-ignore-case":"initializing"}}]}}, {"detail":{}}, false],
  ['content_anything_but_ignorecase_null', {"detail":{"state":[{"anything-but":{"equals-ignore-case":"initializing"}}]}}, {"detail":{"state":null}}, true],
  ['content_anything_but_number', {"detail":{"x-limit":[{"anything-but":123}]}}, {"detail":{"x-limit":789}}, true],
  ['content_anything_but_number_NEG', {"detail":{"x-limit":[{"anything-but":123}]}}, {"detail":{"x-limit":123}}, false],
  ['content_anything_but_number_list', {"detail":{"x-limit":[{"anything-but":[100,200,300]}]}}, {"detail":{"x-limit":999}}, true],
  ['content_anything_but_number_list_NEG', {"detail":{"x-limit":[{"anything-but":[100,200,300]}]}}, {"detail":{"x-limit":100}}, false],
  ['content_anything_but_number_zero', {"detail":{"x-limit":[{"anything-but":0}]}}, {"detail":{"x-limit":789}}, true],
  ['content_anything_but_string', {"detail":{"state":[{"anything-but":"initializing"}]}}, {"detail":{"state":"pending"}}, true],
  ['content_anything_but_string_NEG', {"detail":{"state":[{"anything-but":"initializing"}]}}, {"detail":{"state":"initializing"}}, false],
  ['content_anything_but_string_list', {"detail":{"state":[{"anything-but":["stopped","overloaded"]}]}}, {"detail":{"state":"pending"}}, true],
  ['content_anything_but_string_list_NEG', {"detail":{"state":[{"anything-but":["stopped","overloaded"]}]}}, {"detail":{"state":"stopped"}}, false],
  ['content_anything_but_string_list_missing_NEG', {"detail":{"state":[{"anything-but":["stopped","overloaded"]}]}}, {"detail":{}}, false],
  ['content_anything_but_string_list_null', {"detail":{"state":[{"anything-but":["stopped","running"]}]}}, {"detail":{"state":null}}, true],
  ['content_anything_but_string_missing_NEG', {"detail":{"state":[{"anything-but":"initializing"}]}}, {"detail":{}}, false],
  ['content_anything_but_string_null', {"detail":{"state":[{"anything-but":"initializing"}]}}, {"detail":{"state":null}}, true],
  ['content_anything_prefix', {"detail":{"state":[{"anything-but":{"prefix":"init"}}]}}, {"detail":{"state":"post-init"}}, true],
  ['content_anything_prefix_NEG', {"detail":{"state":[{"anything-but":{"prefix":"init"}}]}}, {"detail":{"state":"init-prefix"}}, false],
  ['content_anything_prefix_int_value', {"detail":{"state":[{"anything-but":{"prefix":"init"}}]}}, {"detail":{"state":12}}, true],
  ['content_anything_prefix_list', {"detail":{"state":[{"anything-but":{"prefix":["init","test"]}}]}}, {"detail":{"state":"post-init"}}, true],
  ['content_anything_prefix_list_NEG', {"detail":{"state":[{"anything-but":{"prefix":["init","post"]}}]}}, {"detail":{"state":"post-init"}}, false],
  ['content_anything_prefix_list_int', {"detail":{"state":[{"anything-but":{"prefix":["init","test"]}}]}}, {"detail":{"state":12}}, true],
  ['content_anything_prefix_list_missing_NEG', {"detail":{"state":[{"anything-but":{"prefix":["init","post"]}}]}}, {"detail":{}}, false],
  ['content_anything_prefix_list_null', {"detail":{"state":[{"anything-but":{"prefix":["init","test"]}}]}}, {"detail":{"state":null}}, true],
  ['content_anything_prefix_missing_NEG', {"detail":{"state":[{"anything-but":{"prefix":"init"}}]}}, {"detail":{}}, false],
  ['content_anything_prefix_null', {"detail":{"state":[{"anything-but":{"prefix":"init"}}]}}, {"detail":{"state":null}}, true],
  ['content_anything_suffix', {"detail":{"FileName":[{"anything-but":{"suffix":".txt"}}]}}, {"detail":{"FileName":"file.txt.bak"}}, true],
  ['content_anything_suffix_NEG', {"detail":{"FileName":[{"anything-but":{"suffix":".txt"}}]}}, {"detail":{"FileName":"file.txt"}}, false],
  ['content_anything_suffix_list', {"detail":{"FileName":[{"anything-but":{"suffix":[".txt",".jpg"]}}]}}, {"detail":{"FileName":"file.txt.bak"}}, true],
  ['content_anything_suffix_list_NEG', {"detail":{"FileName":[{"anything-but":{"suffix":[".txt",".jpg"]}}]}}, {"detail":{"FileName":"file.jpg"}}, false],
  ['content_anything_suffix_list_missing_NEG', {"detail":{"FileName":[{"anything-but":{"suffix":[".txt",".jpg"]}}]}}, {"detail":{}}, false],
  ['content_anything_suffix_list_null', {"detail":{"FileName":[{"anything-but":{"suffix":[".txt",".jpg"]}}]}}, {"detail":{"FileName":null}}, true],
  ['content_anything_suffix_missing_NEG', {"detail":{"FileName":[{"anything-but":{"suffix":".txt"}}]}}, {"detail":{}}, false],
  ['content_anything_suffix_null', {"detail":{"FileName":[{"anything-but":{"suffix":".txt"}}]}}, {"detail":{"FileName":null}}, true],
  ['content_anything_wildcard', {"detail":{"FilePath":[{"anything-but":{"wildcard":"*/dir/*"}}]}}, {"detail":{"FilePath":"dir/init/file"}}, true],
  ['content_anything_wildcard_NEG', {"detail":{"FilePath":[{"anything-but":{"wildcard":"*/init/*"}}]}}, {"detail":{"FilePath":"dir/init/file"}}, false],
  ['content_anything_wildcard_empty', {"detail":{"FilePath":[{"anything-but":{"wildcard":""}}]}}, {"detail":{"FilePath":"dir/init/file"}}, true],
  ['content_anything_wildcard_int', {"detail":{"FilePath":[{"anything-but":{"wildcard":"*/dir/*"}}]}}, {"detail":{"FilePath":123}}, true],
  ['content_anything_wildcard_list', {"detail":{"state":[{"anything-but":{"wildcard":["*/init/*","*/dir/*"]}}]}}, {"detail":{"state":"dir/post/dir"}}, true],
  ['content_anything_wildcard_list_NEG', {"detail":{"state":[{"anything-but":{"wildcard":["*/init/*","*/dir/*"]}}]}}, {"detail":{"state":"dir/init/dir"}}, false],
  ['content_anything_wildcard_list_missing_NEG', {"detail":{"state":[{"anything-but":{"wildcard":["*/init/*","*/dir/*"]}}]}}, {"detail":{}}, false],
  ['content_anything_wildcard_list_null', {"detail":{"state":[{"anything-but":{"wildcard":["*/init/*","*/dir/*"]}}]}}, {"detail":{"state":null}}, true],
  ['content_anything_wildcard_missing_NEG', {"detail":{"FilePath":[{"anything-but":{"wildcard":"*/init/*"}}]}}, {"detail":{}}, false],
  ['content_anything_wildcard_null', {"detail":{"FilePath":[{"anything-but":{"wildcard":"*/dir/*"}}]}}, {"detail":{"FilePath":null}}, true],
  ['content_exists', {"detail":{"state":[{"exists":true}]}}, {"detail":{"instance-id":"i-abcd1111","state":"pending"}}, true],
  ['content_exists_NEG', {"detail":{"state":[{"exists":true}]}}, {"detail":{"c-count":{"c1":100}}}, false],
  ['content_exists_false', {"detail":{"level1":{"level2:":{"level3":{"level4":[{"exists":false}]}}}}}, {"detail":{"level1":{"level2":"l2 value"}}}, true],
  ['content_exists_false_NEG', {"detail":{"level1":{"level2":{"level3":{"level4":[{"exists":false}]}}}}}, {"detail":{"level1":{"level2":{"level3":{"level4":"l4 value"}}}}}, false],
  ['content_ignorecase', {"detail-type":[{"equals-ignore-case":"ec2 instance state-change notification"}]}, {"detail-type":["EC2 Instance State-change Notification"]}, true],
  ['content_ignorecase_NEG', {"detail-type":[{"equals-ignore-case":"I do not match"}]}, {"detail-type":["EC2 Instance State-change Notification"]}, false],
  ['content_ignorecase_empty', {"detail":{"value":[{"equals-ignore-case":""}]}}, {"detail-type":"random-value","detail":{"value":""}}, true],
  ['content_ignorecase_empty_NEG', {"detail":{"value":[{"equals-ignore-case":""}]}}, {"detail-type":"random-value","detail":{"value":"test-value"}}, false],
  ['content_ip_address', {"detail":{"sourceIPAddress":[{"cidr":"10.0.0.0/24"}]}}, {"detail":{"sourceIPAddress":"10.0.0.255"}}, true],
  ['content_ip_address_NEG', {"detail":{"sourceIPAddress":[{"cidr":"10.0.0.0/24"}]}}, {"detail":{"sourceIPAddress":"10.0.0.256"}}, false],
  ['content_ip_address_bad_type_NEG', {"detail":{"sourceIPAddress":[{"cidr":"10.0.0.0/24"}]}}, {"detail":{"sourceIPAddress":123}}, false],
  ['content_ip_address_v6', {"detail":{"sourceIPAddress":[{"cidr":"2001:db8:1234:1a00::/64"}]}}, {"detail":{"sourceIPAddress":"2001:0db8:1234:1a00:0000:0000:0000:0000"}}, true],
  ['content_ip_address_v6_NEG', {"detail":{"sourceIPAddress":[{"cidr":"2001:db8:1234:1a00::/64"}]}}, {"detail":{"sourceIPAddress":"2001:0db8:123f:1a01:0000:0000:0000:0000"}}, false],
  ['content_numeric_and', {"detail":{"c-count":[{"numeric":[">",0,"<=",5]}],"d-count":[{"numeric":["<",10]}],"x-limit":[{"numeric":["=",301.8]}]}}, {"detail":{"c-count":3,"d-count":9,"x-limit":301.8}}, true],
  ['content_numeric_and_NEG', {"detail":{"c-count":[{"numeric":[">",0,"<=",5]}],"d-count":[{"numeric":["<",10]}],"x-limit":[{"numeric":["=",301.8]}]}}, {"detail":{"c-count":42,"d-count":9,"x-limit":301.8}}, false],
  ['content_prefix', {"time":[{"prefix":"2022-07-13"}]}, {"time":"2022-07-13T13:48:01Z"}, true],
  ['content_prefix_NEG', {"time":[{"prefix":"2022-07-99"}]}, {"time":"2022-07-13T13:48:01Z"}, false],
  ['content_prefix_empty', {"source":[{"prefix":""}]}, {"source":"test-source","detail":{"state":"pending"}}, true],
  ['content_prefix_ignorecase', {"detail":{"service":[{"prefix":{"equals-ignore-case":"EventB"}}]}}, {"detail":{"service":"EvEnTb"}}, true],
  ['content_suffix', {"FileName":[{"suffix":".png"}]}, {"FileName":"image.png"}, true],
  ['content_suffix_NEG', {"FileName":[{"suffix":".PNG"}]}, {"FileName":"image.png"}, false],
  ['content_suffix_empty', {"source":[{"suffix":""}]}, {"source":"test-source","detail":{"state":"pending"}}, true],
  ['content_suffix_ignorecase', {"detail":{"FileName":[{"suffix":{"equals-ignore-case":".png"}}]}}, {"detail":{"FileName":"image.PNG"}}, true],
  ['content_suffix_ignorecase_NEG', {"detail":{"FileName":[{"suffix":{"equals-ignore-case":".png"}}]}}, {"detail":{"FileName":"image.jpg"}}, false],
  ['content_wildcard_empty_NEG', {"EventBusArn":[{"wildcard":""}]}, {"EventBusArn":"arn:aws:events:us-east-1:123456789012:event-bus/myEventBus"}, false],
  ['content_wildcard_nonrepeating', {"FileName":[{"wildcard":"/Users/*/doc.txt"}]}, {"FileName":"/Users/ls_user/dir/dir/dir/dir/dir/doc.txt"}, true],
  ['content_wildcard_nonrepeating_NEG', {"FileName":[{"wildcard":"/Users/*/doc.txt"}]}, {"FileName":"/Users/ls_user/dir/dir/dir/dir/dir/notmatchingdoc.txt"}, false],
  ['content_wildcard_repeating', {"FileName":[{"wildcard":"/Users/*/dir/dir/dir/dir/dir/doc.txt"}]}, {"FileName":"/Users/ls_user/dir/dir/dir/dir/dir/doc.txt"}, true],
  ['content_wildcard_repeating_NEG', {"FileName":[{"wildcard":"/Users/*/dir/dir/dir/dir/dir/doc.txt"}]}, {"FileName":"/Users/ls_user/dir/dir/dir/dir/otherdir/doc.txt"}, false],
  ['content_wildcard_simplified', {"EventBusArn":[{"wildcard":"arn:aws:events:us-east-1:*:event-bus/*"}]}, {"EventBusArn":"arn:aws:events:us-east-1:123456789012:event-bus/myEventBus"}, true],
  ['dot_joining_event', {"detail":{"state":{"status":["running"]}}}, {"detail":{"state.status":"running"}}, true],
  ['dot_joining_event_NEG', {"detail":{"state":{"status":["running"]}}}, {"detail":{"state.status":{"status":"running"}}}, false],
  ['dot_joining_pattern', {"detail":{"state.status":["running"]}}, {"detail":{"state":{"status":"running"}}}, true],
  ['dot_joining_pattern_NEG', {"detail":{"state.status":{"status":["running"]}}}, {"detail":{"state":{"status":"running"}}}, false],
  ['dynamodb', {"dynamodb":{"NewImage":{"homemade":{"N":["1234"]}}}}, {"source":"order","detail-type":"Test","dynamodb":{"NewImage":{"homemade":{"S":"ABCD","N":"1234"}}}}, true],
  ['exists_dynamodb', {"dynamodb":{"presentKey":{"S":[{"exists":true}]}}}, {"dynamodb":{"id":{"S":"test1234"},"presentKey":{"S":"test123"}}}, true],
  ['exists_dynamodb_NEG', {"dynamodb":{"presentKey":[{"exists":true}]}}, {"dynamodb":{"id":{"S":"test1234"},"presentKey":{"S":"test123"}}}, false],
  ['exists_list_empty_NEG', {"resources":[{"exists":true}]}, {"version":"0","id":"3e3c153a-8339-4e30-8c35-687ebef853fe","detail-type":"EC2 Instance Launch Successful","source":"aws.autoscaling","time":"2015-11-11T21:31:47Z","region":"us-east-1","resources":[],"detail":{"eventVersion":"","responseElements":null}}, false],
  ['key_case_sensitive_NEG', {"MY_KEY":["my-value"]}, {"my_key":"my-value"}, false],
  ['list_within_dict', {"detail":{"automations":{"id":[{"exists":true}]}}}, {"id":"1","detail":{"automations":[{"key1":"value1"},{"id":"match-does-exist"},{"key2":"value2"}]}}, true],
  ['minimal', {"id":["1"]}, {"id":"1"}, true],
  ['nested_json_NEG', {"detail":{"my-key":["my-value"]}}, {"detail":"{\"my-key\": \"my-value\"}"}, false],
  ['null_value', {"detail":{"responseElements":[null]}}, {"version":"0","id":"3e3c153a-8339-4e30-8c35-687ebef853fe","detail-type":"EC2 Instance Launch Successful","source":"aws.autoscaling","time":"2015-11-11T21:31:47Z","region":"us-east-1","resources":[],"detail":{"eventVersion":"","responseElements":null}}, true],
  ['null_value_NEG', {"detail":{"responseElements":[null]}}, {"version":"0","id":"3e3c153a-8339-4e30-8c35-687ebef853fe","detail-type":"EC2 Instance Launch Successful","source":"aws.autoscaling","time":"2015-11-11T21:31:47Z","region":"us-east-1","resources":[],"detail":{"eventVersion":"","responseElements":"null"}}, false],
  ['number_comparison_float', {"number":[300]}, {"number":300}, true],
  ['numeric-int-float', {"number":[{"numeric":[">",100]}]}, {"number":101}, true],
  ['numeric-null_NEG', {"number":[{"numeric":[">",100]}]}, {"number":null}, false],
  ['numeric-string_NEG', {"number":[{"numeric":[">",100]}]}, {"number":"300"}, false],
  ['operator_multiple_list', {"my_key":[{"exists":true},{"prefix":"IGNORED"},{"suffix":"IGNORED"}]}, {"my_key":"my-value"}, true],
  ['or-anything-but', {"dynamodb":{"NewImage":{"homemade":{"S":[{"anything-but":["roses"]},{"exists":false}]}}}}, {"source":"order","detail-type":"Test","dynamodb":{"NewImage":{"homemade":{"S":"ABCD","N":"1234"}}}}, true],
  ['or-exists-parent', {"dynamodb":{"NewImage":{"homemade":{"S":[{"anything-but":["roses"]},{"exists":false}]}}}}, {"source":"order","detail-type":"Test","dynamodb":{"NewImage":{"purchased":{"N":"789"}}}}, true],
  ['or-exists', {"dynamodb":{"NewImage":{"homemade":{"S":[{"anything-but":["roses"]},{"exists":false}]}}}}, {"source":"order","detail-type":"Test","dynamodb":{"NewImage":{"homemade":{"N":"789"}}}}, true],
  ['or-numeric-anything-but', {"dynamodb":{"NewImage":{"numericFilter":{"N":[{"numeric":[">",100]},{"anything-but":"101"}]}}}}, {"source":"order","detail-type":"Test","dynamodb":{"Keys":{"id":{"S":"id_value_1"}},"NewImage":{"id":{"S":"id_value_1"},"numericFilter":{"N":"42"}}}}, true],
  ['or-numeric-anything-but_NEG', {"dynamodb":{"NewImage":{"numericFilter":{"N":[{"numeric":[">",100]},{"anything-but":"101"}]}}}}, {"source":"order","detail-type":"Test","dynamodb":{"Keys":{"id":{"S":"id_value_1"}},"NewImage":{"id":{"S":"id_value_1"},"numericFilter":{"N":"101"}}}}, false],
  ['prefix', {"dynamodb":{"Keys":{"PK":{"S":[{"prefix":"COMPANY"}]},"SK":{"S":[{"prefix":"PRODUCT"}]}}}}, {"source":"order","detail-type":"Test","dynamodb":{"Keys":{"SK":{"S":"PRODUCT#CHOCOLATE#DARK#1000"},"PK":{"S":"COMPANY#1000"}},"NewImage":{"quantity":{"N":"50"},"company_id":{"S":"1000"},"fabric":{"S":"Florida Chocolates"},"price":{"N":"15"},"stores":{"N":"5"},"product_id":{"S":"1000"},"SK":{"S":"PRODUCT#CHOCOLATE#DARK#1000"},"PK":{"S":"COMPANY#1000"},"state":{"S":"FL"},"type":{"S":""}}}}, true],
  ['sample1', {"source":["order"],"detail-type":["Test"]}, {"source":"order","detail-type":"Test"}, true],
  ['string', {"string":["A CamelCase string with an emoji 🚀 and trailing whitespace "]}, {"string":"A CamelCase string with an emoji 🚀 and trailing whitespace "}, true],
  ['string_empty', {"detail":{"eventVersion":[""]}}, {"version":"0","id":"3e3c153a-8339-4e30-8c35-687ebef853fe","detail-type":"EC2 Instance Launch Successful","source":"aws.autoscaling","time":"2015-11-11T21:31:47Z","region":"us-east-1","resources":[],"detail":{"eventVersion":"","responseElements":null}}, true],
];

describe('EventBridge patterns: recorded TestEventPattern results', () => {
  it.each(RECORDED)('%s', (_label, pattern, event, expected) => {
    expect(matches(pattern, event)).toBe(expected);
  });

  it('a key given twice: the last one counts [rec]', () => {
    const pattern = '{"detail": {"location": [{"prefix": "us-"}], "location": [{"anything-but": "us-east"}]}}';
    expect(matches(pattern, { detail: { location: 'eu-central-1' } })).toBe(true);
    expect(matches(pattern, { detail: { location: 'us-east' } })).toBe(false);
  });

  it('escaped characters in exact values are literal [rec]', () => {
    const pattern = String.raw`{"detail": {"escape_star": ["*"], "escape_backslash": ["\\"]}}`;
    expect(matches(pattern, { detail: { escape_star: '*', escape_backslash: '\\' } })).toBe(true);
    expect(matches(pattern, { detail: { escape_star: 'x', escape_backslash: '\\' } })).toBe(false);
  });

  it('source and detail-type [rec]', () => {
    const event = { id: '1', source: 'order', 'detail-type': 'Test', account: '1', region: 'us-east-1', time: 't' };
    expect(matches({ source: ['order'], 'detail-type': ['Test'] }, event)).toBe(true);
    expect(matches({ source: ['shipment'], 'detail-type': ['Test'] }, event)).toBe(false);
  });
});

describe('EventBridge patterns: numbers', () => {
  it('an exact number matches the same value in any notation (300.0 against [300]) [rec §0]', () => {
    expect(matches({ n: [300] }, parseEventJson('{"n": 300.0}'))).toBe(true);
    expect(matches({ n: [300] }, parseEventJson('{"n": 3.0e2}'))).toBe(true);
    expect(matches('{"n": [3.0e2]}', { n: 300 })).toBe(true);
    expect(matches({ n: [300] }, { n: 301 })).toBe(false);
  });

  it('a number never matches a string and the other way round [rec]', () => {
    expect(matches({ n: [300] }, { n: '300' })).toBe(false);
    expect(matches({ n: ['300'] }, { n: 300 })).toBe(false);
    expect(matches({ n: [{ numeric: ['>', 100] }] }, { n: '300' })).toBe(false);
  });

  it('numbers a double cannot hold exactly match only the same text [obs]', () => {
    const big = '{"account": [123456789012345678901]}';
    expect(matches(big, parseEventJson('{"account": 123456789012345678901}'))).toBe(true);
    expect(matches(big, parseEventJson('{"account": 123456789012345678900}'))).toBe(false);
    expect(matches('{"n": [0.1]}', { n: 0.1 })).toBe(true);
  });

  it('numeric ranges: open and closed ends', () => {
    const p = { c: [{ numeric: ['>', 0, '<=', 5] }] };
    expect([0, 0.000001, 5, 5.0000001].map((c) => matches(p, { c }))).toEqual([false, true, true, false]);
    const q = { c: [{ numeric: ['>=', 10, '<', 20] }] };
    expect([9.99, 10, 19.99, 20].map((c) => matches(q, { c }))).toEqual([false, true, true, false]);
    expect(matches({ c: [{ numeric: ['<', -1e300] }] }, { c: -1e301 })).toBe(true);
    expect(matches('{"x": [{"numeric": ["=", 3.018e2]}]}', { x: 301.8 })).toBe(true);
    expect(matches({ x: [{ numeric: ['=', 301.8] }] }, { x: 301.80001 })).toBe(false);
  });

  it('anything-but numbers exclude by value; strings and other types pass', () => {
    const p = { x: [{ 'anything-but': [100, 200] }] };
    expect(matches(p, parseEventJson('{"x": 100.0}'))).toBe(false);
    expect(matches(p, { x: '100' })).toBe(true);
    expect(matches(p, { x: true })).toBe(true);
    expect(matches(p, { x: null })).toBe(true);
  });
});

describe('EventBridge patterns: strings', () => {
  it('prefix and suffix, also ignoring case [doc]', () => {
    expect(matches({ s: [{ prefix: { 'equals-ignore-case': 'EventB' } }] }, { s: 'eventbridge' })).toBe(true);
    expect(matches({ s: [{ prefix: { 'equals-ignore-case': 'EventB' } }] }, { s: 'Event' })).toBe(false);
    expect(matches({ s: [{ suffix: { 'equals-ignore-case': 'tbridge' } }] }, { s: 'EVENTBRIDGE' })).toBe(true);
    expect(matches({ s: [{ suffix: '.png' }] }, { s: 'a.PNG' })).toBe(false);
    expect(matches({ s: [{ prefix: 'a' }] }, { s: 1 })).toBe(false);
  });

  it('equals-ignore-case folds case character by character', () => {
    expect(matches({ s: [{ 'equals-ignore-case': 'ÉCOLE' }] }, { s: 'école' })).toBe(true);
    expect(matches({ s: [{ 'equals-ignore-case': 'alice' }] }, { s: 'ALICE ' })).toBe(false);
  });

  it('"exactly" is exact string matching', () => {
    expect(matches({ s: [{ exactly: 'a' }] }, { s: 'a' })).toBe(true);
    expect(matches({ s: [{ exactly: '10.0.0.1' }] }, { s: '10.0.0.01' })).toBe(false);
  });

  it('wildcards: any run of characters, escapes, strings only [doc]', () => {
    expect(matches({ f: [{ wildcard: '*.png' }] }, { f: '.png' })).toBe(true);
    expect(matches({ f: [{ wildcard: 'dir/*/file*' }] }, { f: 'dir/a/b/file' })).toBe(true);
    expect(matches({ f: [{ wildcard: 'a*b*c' }] }, { f: 'aXbYbZ' })).toBe(false);
    expect(matches({ f: [{ wildcard: String.raw`a\*` }] }, { f: 'a*' })).toBe(true);
    expect(matches({ f: [{ wildcard: String.raw`a\*` }] }, { f: 'ab' })).toBe(false);
    expect(matches({ f: [{ wildcard: String.raw`a\\*` }] }, { f: 'a\\xyz' })).toBe(true);
    expect(matches({ f: [{ wildcard: '*' }] }, { f: 12 })).toBe(false);
    expect(matches({ f: [{ 'anything-but': { wildcard: '*' } }] }, { f: 12 })).toBe(true);
  });

  it('IP address strings in a pattern match the same address in any notation', () => {
    expect(matches({ ip: ['2001:db8::1'] }, { ip: '2001:0db8:0000:0000:0000:0000:0000:0001' })).toBe(true);
    expect(matches({ ip: ['10.0.0.1'] }, { ip: '10.0.0.1' })).toBe(true);
    expect(matches({ ip: ['10.0.0.1'] }, { ip: '10.0.0.2' })).toBe(false);
    expect(matches({ ip: [{ cidr: '10.0.0.0/8' }] }, { ip: '11.0.0.1' })).toBe(false);
    expect(matches({ ip: [{ cidr: '10.0.0.0/8' }] }, { ip: '2001:db8::1' })).toBe(false);
    expect(matches({ ip: [{ cidr: '::ffff:a00:0/8' }] }, { ip: '10.1.2.3' })).toBe(true); // IPv4-mapped IPv6 is IPv4
  });
});

describe('EventBridge patterns: fields, exists, null and arrays', () => {
  it('null and "" are different values [doc]', () => {
    expect(matches({ v: [null] }, { v: '' })).toBe(false);
    expect(matches({ v: [''] }, { v: null })).toBe(false);
    expect(matches({ v: [null] }, {})).toBe(false);
  });

  it('exists looks at leaves only; null is a value [doc]', () => {
    expect(matches({ d: { c: [{ exists: false }] } }, { d: { c: { c1: 100 } } })).toBe(true);
    expect(matches({ d: { c: [{ exists: true }] } }, { d: { c: { c1: 100 } } })).toBe(false);
    expect(matches({ d: { c: [{ exists: true }] } }, { d: { c: null } })).toBe(true);
    expect(matches({ d: { c: [{ exists: false }] } }, { d: { c: [] } })).toBe(true);
  });

  it('keys are case sensitive and nested objects must nest the same way', () => {
    expect(matches({ a: { b: ['x'] } }, { a: { B: 'x' } })).toBe(false);
    expect(matches({ a: { b: ['x'] } }, { a: 'x' })).toBe(false);
  });

  it('array elements are alternatives; objects in arrays keep their fields together [obs: event-ruler]', () => {
    const event = {
      employees: [
        { firstName: 'John', lastName: 'Doe' },
        { firstName: 'Anna', lastName: 'Smith' },
        { firstName: 'Peter', lastName: 'Jones' },
      ],
    };
    expect(matches({ employees: { firstName: ['Anna'] } }, event)).toBe(true);
    expect(matches({ employees: { firstName: ['Anna'], lastName: ['Smith'] } }, event)).toBe(true);
    expect(matches({ employees: { firstName: ['Anna'], lastName: ['Jones'] } }, event)).toBe(false);
    const nested = { employees: [[{ firstName: 'John', lastName: 'Doe' }, { firstName: 'Anna', lastName: 'Smith' }], [{ firstName: 'Peter', lastName: 'Jones' }]] };
    expect(matches({ employees: { firstName: ['Peter'], lastName: ['Jones'] } }, nested)).toBe(true);
    expect(matches({ employees: { firstName: ['Anna'], lastName: ['Jones'] } }, nested)).toBe(false);
  });

  it('fields outside the array combine with any element', () => {
    const event = { kind: 'k', items: [{ id: 1 }, { id: 2 }] };
    expect(matches({ kind: ['k'], items: { id: [2] } }, event)).toBe(true);
  });

  it('events that are not objects match nothing', () => {
    expect(matches({ a: [{ exists: false }] }, [1])).toBe(false);
    expect(matches({ a: [{ exists: false }] }, 'x')).toBe(false);
    expect(matches({ a: [{ exists: false }] }, {})).toBe(true);
  });
});

describe('EventBridge patterns: $or [doc]', () => {
  const p = {
    source: ['aws.cloudwatch'],
    $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { metricType: ['MetricType'], namespace: ['AWS/EC2', 'AWS/ES'] }, { scope: ['Service'] }],
  };

  it('any branch with the shared fields', () => {
    expect(matches(p, { source: 'aws.cloudwatch', metricName: 'ReadLatency' })).toBe(true);
    expect(matches(p, { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/ES' })).toBe(true);
    expect(matches(p, { source: 'aws.cloudwatch', metricType: 'MetricType' })).toBe(false);
    expect(matches(p, { source: 'aws.events', scope: 'Service' })).toBe(false);
  });

  it('parallel $or inside a nested object', () => {
    const q = {
      $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }],
      detail: { $or: [{ source: ['aws.cloudwatch'] }, { 'detail-type': ['CloudWatch Alarm State Change'] }] },
    };
    expect(matches(q, { namespace: 'AWS/EC2', detail: { 'detail-type': 'CloudWatch Alarm State Change' } })).toBe(true);
    expect(matches(q, { namespace: 'AWS/EC2', detail: { source: 'x' } })).toBe(false);
  });
});

describe('EventBridge patterns: event values', () => {
  it('parseEventJson keeps number text; plain JavaScript events work too', () => {
    const e = parseEventJson('{"a": 1.50, "b": [1, {"c": null}]}') as { a: JsonNumber };
    expect(e.a).toBeInstanceOf(JsonNumber);
    expect(e.a.text).toBe('1.50');
    expect(JSON.stringify(e)).toBe('{"a":1.5,"b":[1,{"c":null}]}');
    expect(matches({ b: { c: [null] } }, e)).toBe(true);
  });

  it('a key "__proto__" is an ordinary field', () => {
    const e = parseEventJson('{"__proto__": {"x": "y"}}');
    expect(matches('{"__proto__": {"x": ["y"]}}', e)).toBe(true);
  });
});
