// HTTP contract of custom domains (SPEC section 15): add, list, remove, and what a domain needs in
// DNS. Shared by the server routes, the API client and the MCP tools.
import { z } from 'zod';

export const AddDomainRequestSchema = z
  .object({
    domain: z.string().min(1).max(253).describe('The host name, e.g. shop.example.com or www.example.com (no scheme, no path)'),
  })
  .strict();
export type AddDomainRequest = z.infer<typeof AddDomainRequestSchema>;

export const DnsRecordSchema = z.object({
  type: z.enum(['TXT', 'CNAME', 'ALIAS']),
  name: z.string(),
  value: z.string(),
  purpose: z.string().describe('What the record is for'),
});
export type DnsRecord = z.infer<typeof DnsRecordSchema>;

export const DomainCheckSchema = z.object({
  method: z.enum(['dns_txt', 'http']),
  ok: z.boolean(),
  detail: z.string().describe('What was found: the answer of the DNS server or of the domain'),
});

export const DomainSchema = z.object({
  domain: z.string(),
  status: z.enum(['pending', 'verified']),
  /** https://{domain}/ once verified. */
  url: z.string(),
  created_at: z.string(),
  verified_at: z.string().nullable(),
  verified_by: z.enum(['dns', 'http']).nullable(),
  verification: z.object({
    token: z.string(),
    txt: z.object({ name: z.string(), value: z.string() }).describe('A TXT record holding value at name proves the domain'),
    http: z.object({ url: z.string(), body: z.string() }).describe('Or: url answering body, which the platform itself does once DNS points at it'),
  }),
  dns_records: z.array(DnsRecordSchema).describe('The records to create at the DNS host'),
  /** The checks made by this request (adding a domain the site has already checks it again). */
  checks: z.array(DomainCheckSchema).optional(),
});
export type Domain = z.infer<typeof DomainSchema>;

export const DomainListSchema = z.object({ domains: z.array(DomainSchema) });
export type DomainList = z.infer<typeof DomainListSchema>;

export const CaddyAskQuerySchema = z.object({ domain: z.string().optional().describe('The name Caddy would get a certificate for') });
export const CaddyAskSchema = z.object({ domain: z.string(), allowed: z.literal(true) });
