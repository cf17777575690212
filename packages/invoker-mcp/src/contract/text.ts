// Grammars for stored values that are later sent as a header, a file name or a URL (SPEC section 10:
// checked when written, so a value that could not be served is a 400 at deploy, never a failure when
// a visitor asks for it). Plain regular expressions, so the schemas that use them keep a `pattern` in
// the OpenAPI document and in the MCP tools' input schemas.
import { z } from 'zod';

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
/** A quoted-string of visible ASCII (RFC 9110 5.6.4 without obs-text, which Node refuses to send anyway). */
const QUOTED = '"(?:[\\t !#-\\[\\]-~]|\\\\[\\t -~])*"';

/**
 * RFC 9110 8.3.1: `type "/" subtype *( OWS ";" OWS [ token "=" ( token / quoted-string ) ] )`, ASCII
 * only. No control characters, no line breaks, nothing outside Latin-1: exactly what can be written
 * as a Content-Type header.
 */
export const MEDIA_TYPE = new RegExp(`^${TOKEN}/${TOKEN}(?:[ \\t]*;(?:[ \\t]*${TOKEN}=(?:${TOKEN}|${QUOTED}))?)*$`);

export function isMediaType(value: string): boolean {
  return MEDIA_TYPE.test(value);
}

/** No C0 or C1 control characters and no DEL: names and titles are one line of text. */
export const SINGLE_LINE = /^[^\u0000-\u001f\u007f-\u009f]*$/;

export const NO_CONTROL_CHARACTERS = 'must not contain control characters (line breaks, tabs, NUL)';

export const MEDIA_TYPE_MESSAGE =
  'must be a media type such as "text/css" or "text/html; charset=utf-8" (RFC 9110: ASCII, no control characters)';

/** A media type field: an optional `content_type` of a deployed file. */
export function mediaTypeSchema(description: string) {
  return z.string().max(200).regex(MEDIA_TYPE, MEDIA_TYPE_MESSAGE).describe(description);
}

/** One line of text up to `max` characters. */
export function singleLine(max: number) {
  return z.string().max(max).regex(SINGLE_LINE, NO_CONTROL_CHARACTERS);
}
