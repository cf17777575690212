// A real DNS server on loopback (the dns2 package, over UDP) for the domain-verification tests: the
// platform's resolver is pointed at it with INVOKER_DNS_SERVERS. A test sets the A and TXT records
// it needs; a name with none gets an answer without records (NODATA), as a real server gives.
import dns2 from 'dns2';

export interface DnsServer {
  /** `127.0.0.1:{port}`, for INVOKER_DNS_SERVERS. */
  address: string;
  a: Map<string, string>;
  txt: Map<string, string[]>;
  close(): Promise<void>;
}

export async function startDnsServer(): Promise<DnsServer> {
  const a = new Map<string, string>();
  const txt = new Map<string, string[]>();
  const { Packet } = dns2;
  const server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      const response = Packet.createResponseFromRequest(request);
      // dns2's typings ask each answer for a toBuffer() that its encoder never calls.
      const answer = (record: { name: string; type: number; class: number; ttl: number; address?: string; data?: string }) =>
        response.answers.push(record as unknown as (typeof response.answers)[number]);
      for (const question of request.questions) {
        const name = question.name.toLowerCase();
        const address = a.get(name);
        if (question.type === Packet.TYPE.A && address) answer({ name: question.name, type: Packet.TYPE.A, class: Packet.CLASS.IN, ttl: 1, address });
        if (question.type === Packet.TYPE.TXT) {
          for (const data of txt.get(name) ?? []) answer({ name: question.name, type: Packet.TYPE.TXT, class: Packet.CLASS.IN, ttl: 1, data });
        }
      }
      send(response);
    },
  });
  const listening = new Promise<void>((resolve) => server.on('listening', () => resolve()));
  await server.listen({ udp: { port: 0, address: '127.0.0.1' } });
  await listening;
  const port = (server.addresses().udp as { port: number }).port;
  return {
    address: `127.0.0.1:${port}`,
    a,
    txt,
    close: async () => {
      await server.close();
    },
  };
}
