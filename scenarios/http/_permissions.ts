/**
 * Resource-policy statements the front-door suites give their functions, added once: a statement
 * that is already there (from an earlier test or run on the same target) is kept.
 */
import { AddPermissionCommand, ResourceConflictException, type AddPermissionCommandInput } from '@aws-sdk/client-lambda';
import { getTestbed } from '../_support/testbed';

const tb = getTestbed();

/** AddPermission; a ResourceConflictException (the statement id is taken) means it is there. */
export async function addPermissionOnce(input: AddPermissionCommandInput): Promise<void> {
  try {
    await tb.clients.lambda.send(new AddPermissionCommand(input));
  } catch (e) {
    if (!(e instanceof ResourceConflictException)) throw e;
  }
}

/** Let API Gateway (any API of the account) invoke the function. */
export function allowApiGateway(functionName: string): Promise<void> {
  return addPermissionOnce({ FunctionName: functionName, StatementId: 'apigateway-invoke', Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' });
}

/** The statements AWS documents for a public (AuthType NONE) function URL. */
export async function allowPublicAccess(functionName: string, qualifier?: string): Promise<void> {
  await addPermissionOnce({ FunctionName: functionName, Qualifier: qualifier, StatementId: 'FunctionURLAllowPublicAccess', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE' });
  await addPermissionOnce({ FunctionName: functionName, Qualifier: qualifier, StatementId: 'FunctionURLInvokeAllowPublicAccess', Action: 'lambda:InvokeFunction', Principal: '*', InvokedViaFunctionUrl: true });
}
