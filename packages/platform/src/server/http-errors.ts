// The HTTP boundary of the error vocabulary: every failure leaves as
// `{"error": "…", "code": "…"}` with its status. Bad input is never a 5xx.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import type { ErrorBody } from 'invoker-mcp/contract/account.js';
import { newId } from 'invoker-mcp/contract/ids.js';
import { AppError, httpStatus, toAppError } from 'invoker-mcp/errors.js';
import type { Logger } from './context.js';

export interface ErrorAnswer {
  status: ContentfulStatusCode;
  headers: Record<string, string>;
  body: ErrorBody;
}

/** Status, extra headers and body of an error answer: one shape for the Hono app and the node:http lane. */
export function errorAnswer(error: AppError): ErrorAnswer {
  const headers: Record<string, string> = {};
  const retryAfter = error.details.retryAfterSeconds;
  if (typeof retryAfter === 'number') headers['Retry-After'] = String(retryAfter);
  return { status: httpStatus(error.code) as ContentfulStatusCode, headers, body: { error: error.message, code: error.code } };
}

/**
 * A request that failed inside the server (a bug, or a store that is down): logged under a new request
 * id, which the answer carries too, so a report can be matched to the stack. The answer names no
 * internals; the log line has them.
 */
export function failureAnswer(log: Logger, what: string, e: unknown): ErrorAnswer {
  const requestId = newId('req');
  const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
  // The request line is the client's text: escape line breaks so it cannot forge log lines.
  log.error(`request ${requestId}: ${escapeControls(what)} failed: ${detail}`);
  return {
    status: 500,
    headers: { 'X-Request-Id': requestId },
    body: {
      error: `Unexpected error on the server (request ${requestId}). Try again; if it keeps failing, report the request id to the operator.`,
      code: 'internal',
      request_id: requestId,
    },
  };
}

function escapeControls(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Any thrown value as the answer to send: bad input as its 4xx, anything else as a logged failure. */
export function answerFor(log: Logger, what: string, e: unknown): ErrorAnswer {
  const error = toAppError(e);
  return error.code === 'internal' || error.code === 'config' ? failureAnswer(log, what, e) : errorAnswer(error);
}

export function errorResponse(c: Context, error: AppError): Response {
  return answerResponse(c, errorAnswer(error));
}

export function answerResponse(c: Context, answer: ErrorAnswer): Response {
  for (const [k, v] of Object.entries(answer.headers)) c.header(k, v);
  return c.json(answer.body, answer.status);
}

/** The answer to whatever a handler or middleware threw: hono's own exceptions, AppErrors, bugs. */
export function thrownAnswer(log: Logger, c: Context, err: unknown): ErrorAnswer {
  if (err instanceof HTTPException) {
    const status = err.status;
    if (status === 413) return errorAnswer(new AppError('too_large', 'The request body is too large. Send fewer or smaller files.'));
    return errorAnswer(new AppError(status === 401 ? 'unauthenticated' : 'invalid_input', err.message || 'Bad request.'));
  }
  return answerFor(log, `${c.req.method} ${c.req.path}`, err);
}

export function onError(log: Logger) {
  return (err: Error, c: Context): Response => answerResponse(c, thrownAnswer(log, c, err));
}

/** A zod failure as one readable sentence naming the fields. */
export function describeZodError(error: ZodError): string {
  const parts = error.issues.slice(0, 5).map((issue) => {
    const where = issue.path.length ? issue.path.join('.') : 'body';
    return `${where}: ${issue.message}`;
  });
  return `Invalid request (${parts.join('; ')}). Fix these fields and try again.`;
}
