// OAuth's error words (RFC 6749 §5.2, RFC 7591 §3.2.2, RFC 8707, RFC 6750) on the house's one error
// vocabulary: an AppError whose code picks the HTTP status and whose details carry the OAuth error
// code, so the routes answer `{error, error_description}` and the consent page shows the message.
import { AppError, isAppError, type ErrorCode } from 'invoker-mcp/errors.js';

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'access_denied'
  | 'invalid_redirect_uri'
  | 'invalid_client_metadata'
  | 'invalid_token'
  | 'slow_down';

const STATUS_CODE: Record<OAuthErrorCode, ErrorCode> = {
  invalid_request: 'invalid_input',
  invalid_client: 'unauthenticated',
  invalid_grant: 'invalid_input',
  unauthorized_client: 'invalid_input',
  unsupported_grant_type: 'invalid_input',
  unsupported_response_type: 'invalid_input',
  invalid_scope: 'invalid_input',
  invalid_target: 'invalid_input',
  access_denied: 'forbidden',
  invalid_redirect_uri: 'invalid_input',
  invalid_client_metadata: 'invalid_input',
  invalid_token: 'unauthenticated',
  slow_down: 'rate_limited',
};

export function oauthError(oauth: OAuthErrorCode, message: string, details: Record<string, unknown> = {}): AppError {
  return new AppError(STATUS_CODE[oauth], message, { ...details, oauth });
}

/** The OAuth error code an error carries; errors of other kinds map by their house code. */
export function oauthCodeOf(error: unknown): OAuthErrorCode | 'server_error' | 'temporarily_unavailable' {
  if (!isAppError(error)) return 'server_error';
  const oauth = error.details.oauth;
  if (typeof oauth === 'string' && Object.hasOwn(STATUS_CODE, oauth)) return oauth as OAuthErrorCode;
  switch (error.code) {
    case 'invalid_input':
    case 'too_large':
      return 'invalid_request';
    case 'unauthenticated':
      return 'invalid_token';
    case 'forbidden':
    case 'not_found':
      return 'access_denied';
    case 'rate_limited':
      return 'slow_down';
    case 'upstream':
      return 'temporarily_unavailable';
    default:
      return 'server_error';
  }
}
