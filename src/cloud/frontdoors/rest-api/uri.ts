/**
 * Stage variables in integration and authorizer URIs: `${stageVariables.name}` is replaced by the
 * stage's value (empty when the stage has none) when the request runs [doc: "Use stage variables
 * for a REST API"], e.g. `...:function:${stageVariables.fn}/invocations`.
 */
export function renderStageVariables(text: string, variables: Record<string, string>): string {
  return text.replace(/\$\{stageVariables\.([A-Za-z0-9_]+)\}/g, (_, name: string) => variables[name] ?? '');
}
