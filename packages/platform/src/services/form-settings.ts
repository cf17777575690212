// A site's form settings (SPEC section 13: PATCH /deploy/{id}/forms): notification mail and its
// extra addresses (each confirms first), uploads, proof of work, retention.
import { createHash, randomBytes } from 'node:crypto';
import type { FormSettings, FormSettingsRequest } from 'invoker-mcp/contract/forms.js';
import type { FormSettingsRecord } from '../store/store.js';
import type { ServiceAdapters, ServiceDeps } from './deps.js';
import { siteNotFound } from './next-steps.js';
import { ownedSite } from './sites.js';

export type FormSettingsDeps = Pick<ServiceDeps, 'store' | 'urls' | 'now' | 'forms'>;

/** Confirmation links carry a random token; the store keeps only its hash. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function confirmUrl(deps: Pick<ServiceDeps, 'urls'>, token: string): string {
  return `${deps.urls.publicUrl}/forms/confirm?token=${token}`;
}

export type FormSettingsService = ReturnType<typeof formSettingsService>;

export function formSettingsService(deps: FormSettingsDeps, adapters: Pick<ServiceAdapters, 'mailer'>) {
  const settingsJson = async (orgId: string, record: FormSettingsRecord): Promise<FormSettings> => {
    const recipients = (await deps.store.listNotifyRecipients(orgId, record.siteId)) ?? [];
    return {
      notify: record.notify,
      notify_emails: recipients.map((r) => r.email),
      unconfirmed_emails: recipients.filter((r) => r.confirmedAt === null).map((r) => r.email),
      accept_uploads: record.acceptUploads,
      form_protection: record.formProtection,
      retention_days: record.retentionDays,
    };
  };

  /** A confirmation mail for each new address; addresses left out are removed. */
  const syncRecipients = async (orgId: string, siteId: string, slug: string, emails: string[]): Promise<void> => {
    const wanted = new Set(emails.map((e) => e.trim().toLowerCase()));
    const current = (await deps.store.listNotifyRecipients(orgId, siteId)) ?? [];
    for (const r of current) if (!wanted.has(r.email)) await deps.store.removeNotifyRecipient(siteId, r.email);
    for (const email of wanted) {
      const token = randomBytes(24).toString('base64url');
      if (!(await deps.store.addNotifyRecipient(siteId, email, tokenHash(token), deps.now().toISOString()))) continue;
      await adapters.mailer.sendText?.({
        to: email,
        subject: `Confirm form notifications for ${slug}`,
        text:
          `Someone asked for this address to receive the form submissions of the site "${slug}" on Invoker.\n\n` +
          `To start receiving them, open this page and press Confirm:\n${confirmUrl(deps, token)}\n\n` +
          'If you did not expect this, ignore the mail: nothing is sent to you until you confirm.\n',
      });
    }
  };

  return {
    async get(orgId: string, siteId: string): Promise<FormSettings> {
      const site = await ownedSite(deps.store, orgId, siteId);
      return settingsJson(orgId, await deps.store.getFormSettings(site.id));
    },

    /** Fields left out keep their values. */
    async update(orgId: string, siteId: string, patch: FormSettingsRequest): Promise<FormSettings> {
      const site = await ownedSite(deps.store, orgId, siteId);
      const current = await deps.store.getFormSettings(site.id);
      const saved = await deps.store.saveFormSettings(
        orgId,
        site.id,
        {
          notify: patch.notify ?? current.notify,
          acceptUploads: patch.accept_uploads ?? current.acceptUploads,
          formProtection: patch.form_protection ?? current.formProtection,
          retentionDays: patch.retention_days === undefined ? current.retentionDays : patch.retention_days,
        },
        deps.now().toISOString(),
      );
      if (!saved) throw siteNotFound();
      if (patch.notify_emails) await syncRecipients(orgId, site.id, site.slug, patch.notify_emails);
      return settingsJson(orgId, saved);
    },

    /** What the confirmation page shows: the address and site, or null for a token that names none. */
    async confirmation(token: string): Promise<{ email: string; confirmed: boolean } | null> {
      const found = await deps.store.findNotifyRecipient(tokenHash(token));
      return found ? { email: found.email, confirmed: found.confirmed } : null;
    },

    /** The page's POST: true once confirmed (again: still true). */
    async confirm(token: string): Promise<boolean> {
      if (await deps.store.confirmNotifyRecipient(tokenHash(token), deps.now().toISOString())) return true;
      return (await deps.store.findNotifyRecipient(tokenHash(token)))?.confirmed ?? false;
    },
  };
}
