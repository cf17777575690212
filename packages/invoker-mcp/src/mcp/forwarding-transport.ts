// An MCP transport fed by the stdio front: messages arrive through deliver(), the server's output
// goes to the sink the front gives it (stdout, minus answers the front already sent).
import { parseJSONRPCMessage, type JSONRPCMessage, type Transport } from '@modelcontextprotocol/server';

export class ForwardingTransport implements Transport {
  onmessage?: Transport['onmessage'];
  onclose?: () => void;
  onerror?: (error: Error) => void;
  private closed = false;

  constructor(private readonly sink: (message: JSONRPCMessage) => void) {}

  async start(): Promise<void> {}

  async send(message: JSONRPCMessage): Promise<void> {
    if (!this.closed) this.sink(message);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.();
  }

  /** Checked as the SDK's stdio transport checks each line: what is not JSON-RPC is reported, not served. */
  deliver(message: unknown): void {
    if (this.closed) return;
    let parsed: JSONRPCMessage;
    try {
      parsed = parseJSONRPCMessage(message);
    } catch {
      this.onerror?.(new Error('ignored a message on stdin that is not JSON-RPC 2.0'));
      return;
    }
    this.onmessage?.(parsed);
  }
}
