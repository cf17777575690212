// One error vocabulary for the whole product. Three boundaries map it: the HTTP response
// (httpStatus), the MCP tool result (server.ts) and the CLI exit code (exitCode).

export const ERROR_CODES = [
  'invalid_input',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'too_large',
  'rate_limited',
  'config',
  'upstream',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra facts for machines (e.g. retryAfterSeconds); never secrets. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

const HTTP_STATUS: Record<ErrorCode, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  config: 500,
  upstream: 502,
  internal: 500,
};

export function httpStatus(code: ErrorCode): number {
  return HTTP_STATUS[code];
}

/** The inverse, for the API client: an HTTP status the server sent back as an error code. */
export function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
    case 422:
      return 'invalid_input';
    case 401:
      return 'unauthenticated';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 409:
      return 'conflict';
    case 413:
      return 'too_large';
    case 429:
      return 'rate_limited';
    default:
      return status >= 500 ? 'upstream' : 'invalid_input';
  }
}

const EXIT_CODE: Record<ErrorCode, number> = {
  invalid_input: 2,
  config: 2,
  unauthenticated: 3,
  forbidden: 4,
  not_found: 4,
  conflict: 5,
  too_large: 5,
  rate_limited: 6,
  upstream: 7,
  internal: 1,
};

export function exitCode(code: ErrorCode): number {
  return EXIT_CODE[code];
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** Any thrown value as an AppError; unknown failures become `internal` with their message. */
export function toAppError(e: unknown): AppError {
  if (isAppError(e)) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new AppError('internal', `Unexpected error: ${message}. Please report it with the steps that led here.`);
}
