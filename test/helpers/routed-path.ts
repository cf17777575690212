// The path the platform's router sees for a request target: the WHATWG URL parser's reading, which
// resolves dot segments (`/deploy/..` is `/`) as the server's own URL does. A target it cannot read
// is kept as sent, without its query.
export function routedPath(target: string): string {
  try {
    // Appended, not resolved against a base: `//orgs` is a path here, not a host.
    return new URL(`http://localhost${target.startsWith('/') ? '' : '/'}${target}`).pathname;
  } catch {
    return target.split(/[?#]/)[0] as string;
  }
}
