// Putting content on a running serve over HTTP (undici), for benchmarks that need a live site.
import { request } from 'undici';

export async function apiDeploy(
  url: string,
  key: string,
  body: Record<string, unknown>,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await request(`${url}/deploy`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    bodyTimeout: 0,
    headersTimeout: 0,
  });
  const json = (await res.body.json()) as Record<string, unknown>;
  if (res.statusCode >= 300) throw new Error(`POST /deploy answered ${res.statusCode}: ${JSON.stringify(json)}`);
  return { status: res.statusCode, json };
}

export async function getBytes(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Buffer }> {
  const res = await request(url, { headers });
  return { status: res.statusCode, body: Buffer.from(await res.body.arrayBuffer()) };
}
