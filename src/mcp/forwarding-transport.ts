// An MCP transport fed by the stdio front: messages arrive through deliver(), the server's output
// goes to the sink the front gives it (stdout, minus answers the front already sent).
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

export class ForwardingTransport implements Transport {
  onmessage?: (message: JSONRPCMessage) => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;

  constructor(private readonly sink: (message: JSONRPCMessage) => void) {}

  async start(): Promise<void> {}

  async send(message: JSONRPCMessage): Promise<void> {
    this.sink(message);
  }

  async close(): Promise<void> {
    this.onclose?.();
  }

  deliver(message: unknown): void {
    this.onmessage?.(message as JSONRPCMessage);
  }
}
