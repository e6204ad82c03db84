/**
 * http-api-echo: answers any HTTP API request with `{ "event": <the event> }` as a proxy response
 * (statusCode 200, JSON body), so it works behind payload format 1.0, which needs a statusCode, as
 * well as 2.0.
 */
export const handler = async (event: unknown): Promise<unknown> => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ event }),
});
