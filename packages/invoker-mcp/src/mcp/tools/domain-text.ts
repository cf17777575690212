// How the domain tools word a domain for the model: its status and, while pending, the DNS records
// to create, spelled out so they can be copied into a DNS host's form.
import type { Domain } from '../../contract/domains.js';

export function domainText(d: Domain, siteId: string): string {
  if (d.status === 'verified') return `${d.domain} is verified (${d.verified_by}): ${d.url} serves ${siteId}'s live version.`;
  const records = d.dns_records.map((r) => `- ${r.type} ${r.name} → ${r.value} (${r.purpose})`);
  const checks = (d.checks ?? []).map((c) => `- ${c.method}: ${c.detail}`);
  return [
    `${d.domain} is pending on ${siteId}. Create these DNS records, then call add_domain again to verify:`,
    ...records,
    `Or: once DNS points here, ${d.verification.http.url} answers the token and verifies it.`,
    ...(checks.length ? ['Last check:', ...checks] : []),
  ].join('\n');
}
