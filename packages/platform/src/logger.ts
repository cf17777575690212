// The log the platform writes to (stderr in `serve`): one line per event. A type only, so the store,
// the services and the server can all take one without importing each other.
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
