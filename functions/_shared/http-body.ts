/**
 * The JSON control event in an HTTP front door's event body (base64-decoded when isBase64Encoded),
 * for the functions that run `control` behind a door: undefined when there is none.
 */
export function controlEventIn(event: unknown): { action: string } | undefined {
  if (event === null || typeof event !== 'object') return undefined;
  const { body, isBase64Encoded } = event as { body?: unknown; isBase64Encoded?: unknown };
  if (typeof body !== 'string') return undefined;
  const text = isBase64Encoded === true ? Buffer.from(body, 'base64').toString('utf8') : body;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && typeof (parsed as { action?: unknown }).action === 'string' ? (parsed as { action: string }) : undefined;
  } catch {
    return undefined;
  }
}
