// A JSON API request with a key to a real `serve`, through httpRequest (so the answer is recorded for
// the OpenAPI conformance check); the body parsed when the answer is JSON.
import { httpRequest, type HttpResult } from './platform.js';

export async function keyedCall(port: number, key: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: any; res: HttpResult }> {
  const res = await httpRequest(port, {
    method,
    path,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const isJson = res.body !== '' && String(res.headers['content-type'] ?? '').includes('json');
  return { status: res.status, json: isJson ? (JSON.parse(res.body) as unknown) : undefined, res };
}
