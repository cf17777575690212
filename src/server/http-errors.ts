// The HTTP boundary of the error vocabulary: every failure leaves as
// `{"error": "…", "code": "…"}` with its status. Bad input is never a 5xx.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import type { ErrorBody } from '../contract/account.js';
import { AppError, httpStatus, toAppError } from '../errors.js';
import type { Logger } from './context.js';

/** Status, extra headers and body of an error answer: one shape for the Hono app and the node:http lane. */
export function errorAnswer(error: AppError): { status: ContentfulStatusCode; headers: Record<string, string>; body: ErrorBody } {
  const headers: Record<string, string> = {};
  const retryAfter = error.details.retryAfterSeconds;
  if (typeof retryAfter === 'number') headers['Retry-After'] = String(retryAfter);
  return { status: httpStatus(error.code) as ContentfulStatusCode, headers, body: { error: error.message, code: error.code } };
}

export function errorResponse(c: Context, error: AppError): Response {
  const answer = errorAnswer(error);
  for (const [k, v] of Object.entries(answer.headers)) c.header(k, v);
  return c.json(answer.body, answer.status);
}

export function onError(log: Logger) {
  return (err: Error, c: Context): Response => {
    if (err instanceof HTTPException) {
      const status = err.status;
      if (status === 413) {
        return errorResponse(c, new AppError('too_large', 'The request body is too large. Send fewer or smaller files.'));
      }
      return errorResponse(c, new AppError(status === 401 ? 'unauthenticated' : 'invalid_input', err.message || 'Bad request.'));
    }
    const appError = toAppError(err);
    if (appError.code === 'internal') log.error(`${c.req.method} ${c.req.path} failed: ${err.stack ?? err.message}`);
    return errorResponse(c, appError);
  };
}

/** A zod failure as one readable sentence naming the fields. */
export function describeZodError(error: ZodError): string {
  const parts = error.issues.slice(0, 5).map((issue) => {
    const where = issue.path.length ? issue.path.join('.') : 'body';
    return `${where}: ${issue.message}`;
  });
  return `Invalid request (${parts.join('; ')}). Fix these fields and try again.`;
}
