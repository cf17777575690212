// What an HTTP route can answer: status → media type → body schema, and the headers that come with
// it. The route table (routes.ts) lists each route's own answers; answersOf() adds the ones every
// route gets from the middleware in front of it (key check, org scope, body limits, the rate limit,
// the failure boundary), so the OpenAPI document and the conformance test see one complete list.
import { z } from 'zod';
import { httpStatus, type ErrorCode } from '../errors.js';
import { ErrorBodySchema } from './account.js';

export const JSON_TYPE = 'application/json';
export const HTML_TYPE = 'text/html';
export const CSV_TYPE = 'text/csv';
export const FORM_TYPE = 'application/x-www-form-urlencoded';
export const MULTIPART_TYPE = 'multipart/form-data';

export type HeaderName = 'Retry-After' | 'RateLimit-Policy' | 'RateLimit' | 'Location' | 'X-Request-Id' | 'Content-Disposition' | 'WWW-Authenticate';

/** One status of a route: its meaning, its bodies by media type, its headers. */
export interface Answer {
  description: string;
  /** Media type → body schema; 'text' is a body its media type describes (a page, a CSV file, an icon). No content: no body. */
  content?: Record<string, z.ZodType | 'text'>;
  /** Headers this answer always carries. */
  headers?: HeaderName[];
  /** Headers it carries when the answer got far enough (the RateLimit pair once the request was counted). */
  mayHave?: HeaderName[];
}

export type Answers = Record<number, Answer>;

/**
 * Named schemas: the OpenAPI document lists each once under components/schemas and refers to it
 * by name, so generated clients get one type per name. Every response body is registered here.
 */
export const API_SCHEMAS = z.registry<{ id: string }>();

export function named<S extends z.ZodType>(id: string, schema: S): S {
  API_SCHEMAS.add(schema, { id });
  return schema;
}

const ERROR_NAMES: Partial<Record<ErrorCode, string>> = {
  invalid_input: 'InvalidInputError',
  unauthenticated: 'UnauthenticatedError',
  forbidden: 'ForbiddenError',
  not_found: 'NotFoundError',
  conflict: 'ConflictError',
  too_large: 'TooLargeError',
  rate_limited: 'RateLimitedError',
  upstream: 'UpstreamError',
};

export const ErrorSchema = named('Error', ErrorBodySchema);

/** The error body of one code: its status answers with no other code. */
const errorBodies = new Map<ErrorCode, z.ZodType>();
export function errorBody(code: ErrorCode): z.ZodType {
  let schema = errorBodies.get(code);
  if (!schema) {
    const name = ERROR_NAMES[code];
    if (!name) throw new Error(`no error body for ${code}: a failure inside the server is internalFailure()`);
    // Error with its code fixed: generated clients get one Error type and a subtype per status.
    schema = named(name, z.intersection(ErrorSchema, z.looseObject({ code: z.literal(code) })));
    errorBodies.set(code, schema);
  }
  return schema;
}

/** 500: a failure inside the server, with the id it was logged under (SPEC section 10). */
export const InternalErrorSchema = named(
  'InternalError',
  z.intersection(ErrorSchema, z.looseObject({ code: z.literal('internal'), request_id: z.string().regex(/^req_[0-9A-Za-z]{16}$/) })),
);

export function json(schema: z.ZodType, description: string, headers?: HeaderName[]): Answer {
  return { description, content: { [JSON_TYPE]: schema }, ...(headers ? { headers } : {}) };
}

/** The JSON error of `code`, at the status httpStatus() gives it. */
export function failure(code: ErrorCode, description: string, headers?: HeaderName[]): [number, Answer] {
  return [httpStatus(code), json(errorBody(code), description, headers)];
}

/** A failure a browser form post gets as the page again (text/html), and an API caller as the JSON error. */
export function failureOrPage(code: ErrorCode, description: string, headers?: HeaderName[]): [number, Answer] {
  const [status, answer] = failure(code, description, headers);
  return [status, { ...answer, content: { ...answer.content, [HTML_TYPE]: 'text' } }];
}

export function page(description: string): Answer {
  return { description, content: { [HTML_TYPE]: 'text' } };
}

export const noContent = (description: string): Answer => ({ description });

/** The route facts the middleware's answers depend on. */
export interface AnswerFacts {
  method: string;
  auth: 'key' | 'none';
  /** Answered before the rate limit and the store: only the HTTP server's own header limit can refuse it. */
  bare?: boolean;
  answers: Answers;
}

/**
 * Every answer of a route at one of its paths (Hono style, `/orgs/:org/deploy`): its own, and the
 * answers of what stands in front of it, in the order it stands (main.ts, app.ts): the HTTP
 * server's header limit, the path check, the key check, the org scope, the body limit, the rate
 * limit, and the boundary that turns a failure into a 500.
 */
export function answersOf(route: AnswerFacts, path: string): Answers {
  const all: Answers = {};
  const add = ([status, answer]: [number, Answer]) => {
    all[status] = all[status] ? mergeAnswers(all[status] as Answer, answer) : { ...answer };
  };
  for (const [status, answer] of Object.entries(route.answers)) add([Number(status), answer]);
  if (!route.bare) {
    if (route.auth === 'key') add(failure('unauthenticated', 'Missing, malformed, unknown or revoked API key.'));
    if (path.startsWith('/orgs/:org')) add(failure('not_found', 'No organization with that id within reach of the key ("c" is its own).'));
    add(failure('rate_limited', 'Over INVOKER_RATE_LIMIT requests a minute from your address. Wait Retry-After seconds.', ['Retry-After']));
    add([500, json(InternalErrorSchema, 'A failure inside the server (a bug, or a store that is down), logged under request_id.', ['X-Request-Id'])]);
    // Everything so far answers a request the rate limit counted: it carries the budget's headers.
    for (const answer of Object.values(all)) answer.mayHave = [...new Set([...(answer.mayHave ?? []), 'RateLimit-Policy', 'RateLimit'] as HeaderName[])];
    // Before the rate limit: the path check and the body limit.
    if (path.includes('/:')) add(failure('not_found', 'A path that names nothing: a parameter with a control character in it.'));
    if (route.method !== 'GET') add(failure('too_large', "The body is over this route's limit (SPEC section 10), refused before it is read."));
  }
  // The HTTP server's own limit, before any route: node's 16 KB for the request line and headers.
  add([431, json(errorBody('too_large'), 'The request line and headers are over 16 KB (a long query or cookie): send less.')]);
  return all;
}

/** Two causes of one status: either body, and only the headers both always carry. */
function mergeAnswers(a: Answer, b: Answer): Answer {
  const always = (a.headers ?? []).filter((h) => (b.headers ?? []).includes(h));
  const sometimes = [...(a.headers ?? []), ...(b.headers ?? []), ...(a.mayHave ?? []), ...(b.mayHave ?? [])].filter((h) => !always.includes(h));
  for (const [type, schema] of Object.entries(b.content ?? {})) {
    const mine = a.content?.[type];
    if (mine !== undefined && mine !== schema) throw new Error(`two bodies of ${type} for one status (${a.description} / ${b.description}): name one schema for both`);
  }
  return {
    description: `${a.description} Or: ${b.description}`,
    ...(a.content || b.content ? { content: { ...b.content, ...a.content } } : {}),
    ...(always.length ? { headers: always } : {}),
    ...(sometimes.length ? { mayHave: [...new Set(sometimes)] } : {}),
  };
}
