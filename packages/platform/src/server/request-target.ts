// Reading a request target the same way on both transports (the Hono app and the node:http lane).

/** The path part of a request target or URL path: everything before the query or fragment. */
export function pathOfTarget(target: string): string {
  const end = target.search(/[?#]/);
  return end === -1 ? target : target.slice(0, end);
}
