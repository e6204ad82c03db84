/**
 * AddPermission / RemovePermission: the queue's Policy attribute as AWS builds it (AWS-recorded in
 * LocalStack's test_sqs.snapshot.json, test_sqs_permission_lifecycle):
 *
 *   {"Version":"2008-10-17","Id":"<queue arn>/SQSDefaultPolicy","Statement":[{"Sid":"<label>",
 *    "Effect":"Allow","Principal":{"AWS":"arn:aws:iam::<account>:root"},"Action":"SQS:<action>",
 *    "Resource":"<queue arn>"}]}
 *
 * with `Principal.AWS` and `Action` a string for one value and a list for several. Removing the last
 * statement removes the Policy attribute.
 */
import { invalidParameterValue, missingParameter, sqsError } from './errors';

/** Actions a permission may grant (besides `*`). */
export const GRANTABLE_ACTIONS = [
  'SendMessage',
  'ReceiveMessage',
  'DeleteMessage',
  'ChangeMessageVisibility',
  'GetQueueAttributes',
  'GetQueueUrl',
  'ListDeadLetterSourceQueues',
  'PurgeQueue',
];

/** Actions only the queue owner may call: naming one is refused with its own reason. */
export const OWNER_ONLY_ACTIONS = [
  'AddPermission',
  'CancelMessageMoveTask',
  'CreateQueue',
  'DeleteQueue',
  'ListMessageMoveTasks',
  'ListQueues',
  'ListQueueTags',
  'RemovePermission',
  'StartMessageMoveTask',
  'TagQueue',
  'UntagQueue',
];

export const MAX_PERMISSION_ACTIONS = 7;
const LABEL_RE = /^[A-Za-z0-9_-]{1,80}$/;

interface Statement {
  Sid?: string;
  [k: string]: unknown;
}

interface PolicyDoc {
  Version?: string;
  Id?: string;
  Statement?: Statement | Statement[];
  [k: string]: unknown;
}

function statementsOf(doc: PolicyDoc): Statement[] {
  if (Array.isArray(doc.Statement)) return doc.Statement;
  return doc.Statement ? [doc.Statement] : [];
}

function parse(policy: string | undefined): PolicyDoc | undefined {
  if (!policy) return undefined;
  try {
    const doc = JSON.parse(policy) as unknown;
    return typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as PolicyDoc) : undefined;
  } catch {
    return undefined;
  }
}

/** Validate AddPermission's members (in AWS's order: label, actions, accounts). */
export function checkPermissionInput(label: unknown, accountIds: unknown, actions: unknown): { label: string; accountIds: string[]; actions: string[] } {
  if (label === undefined || label === null) throw missingParameter('Label');
  const l = String(label);
  if (!LABEL_RE.test(l)) {
    throw invalidParameterValue(`Value ${l} for parameter Label is invalid. Reason: Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length.`);
  }
  const acts = Array.isArray(actions) ? actions.map(String) : [];
  if (acts.length === 0) throw missingParameter('Actions');
  if (acts.length > MAX_PERMISSION_ACTIONS) {
    throw sqsError('OverLimit', `${acts.length} Actions were found, maximum allowed is ${MAX_PERMISSION_ACTIONS}.`);
  }
  for (const a of acts) {
    if (OWNER_ONLY_ACTIONS.includes(a)) {
      throw invalidParameterValue(`Value SQS:${a} for parameter ActionName is invalid. Reason: Only the queue owner is allowed to invoke this action.`);
    }
    if (a !== '*' && !GRANTABLE_ACTIONS.includes(a)) {
      throw invalidParameterValue(`Value SQS:${a} for parameter ActionName is invalid. Reason: Please refer to the appropriate WSDL for a list of valid actions.`);
    }
  }
  const accounts = Array.isArray(accountIds) ? accountIds.map(String) : [];
  if (accounts.length === 0) throw invalidParameterValue('Value [] for parameter PrincipalId is invalid. Reason: Unable to verify.');
  return { label: l, accountIds: accounts, actions: acts };
}

/** The Policy attribute after AddPermission (the label must be new). */
export function addPermission(policy: string | undefined, queueArn: string, label: string, accountIds: string[], actions: string[]): string {
  const doc: PolicyDoc = parse(policy) ?? { Version: '2008-10-17', Id: `${queueArn}/SQSDefaultPolicy`, Statement: [] };
  const statements = statementsOf(doc);
  if (statements.some((s) => s.Sid === label)) {
    throw invalidParameterValue(`Value ${label} for parameter Label is invalid. Reason: Already exists.`);
  }
  const principals = [...new Set(accountIds)].map((a) => `arn:aws:iam::${a}:root`);
  const granted = [...new Set(actions)].map((a) => `SQS:${a}`);
  statements.push({
    Sid: label,
    Effect: 'Allow',
    Principal: { AWS: principals.length === 1 ? principals[0] : principals },
    Action: granted.length === 1 ? granted[0] : granted,
    Resource: queueArn,
  });
  doc.Statement = statements;
  return JSON.stringify(doc);
}

/** The Policy attribute after RemovePermission ('' once no statement is left). */
export function removePermission(policy: string | undefined, label: string): string {
  const doc = parse(policy);
  const statements = doc ? statementsOf(doc) : [];
  if (!doc || !statements.some((s) => s.Sid === label)) {
    throw invalidParameterValue(`Value ${label} for parameter Label is invalid. Reason: can't find label.`);
  }
  const left = statements.filter((s) => s.Sid !== label);
  if (left.length === 0) return '';
  doc.Statement = left;
  return JSON.stringify(doc);
}
