// The dashboard's form posts and their fields: one table, read by the handlers (session.ts readForm,
// sign-in.ts) and by the security suite, which fuzzes every field listed here. Fields are optional
// strings because a browser may leave any out; each handler says what is wrong with a bad value.
// Signed-in forms also carry the session's `_csrf` token, checked by readForm.
import { z } from 'zod';

const field = (max: number) => z.string().max(max).optional();

export const DASHBOARD_FORMS = {
  signIn: { path: '/dashboard/login', signedIn: false, fields: z.object({ email: field(254) }) },
  signInCode: { path: '/dashboard/login/code', signedIn: false, fields: z.object({ code: field(20) }) },
  publish: { path: '/dashboard/sites/:id/publish', signedIn: true, fields: z.object({ version: field(20) }) },
  rename: { path: '/dashboard/sites/:id/slug', signedIn: true, fields: z.object({ slug: field(100) }) },
  deleteSite: { path: '/dashboard/sites/:id/delete', signedIn: true, fields: z.object({}) },
  deleteSubmission: { path: '/dashboard/sites/:id/submissions/:submissionId/delete', signedIn: true, fields: z.object({}) },
  createKey: { path: '/dashboard/keys', signedIn: true, fields: z.object({ name: field(200) }) },
  revokeKey: { path: '/dashboard/keys/:keyId/revoke', signedIn: true, fields: z.object({}) },
  createOrg: { path: '/dashboard/orgs', signedIn: true, fields: z.object({ name: field(200) }) },
  switchOrg: { path: '/dashboard/org', signedIn: true, fields: z.object({ org_id: field(100) }) },
  logout: { path: '/dashboard/logout', signedIn: true, fields: z.object({}) },
  // The claim page of an anonymous deploy (pages-claim.ts): its token rides along in every form.
  claimEmail: { path: '/dashboard/claim/:id/email', signedIn: false, fields: z.object({ email: field(254), token: field(200) }) },
  claimCode: { path: '/dashboard/claim/:id/code', signedIn: false, fields: z.object({ code: field(20), token: field(200) }) },
  claimKeep: { path: '/dashboard/claim/:id', signedIn: true, fields: z.object({ token: field(200) }) },
  revokeApp: { path: '/dashboard/apps/:grantId/revoke', signedIn: true, fields: z.object({}) },
  formSettings: {
    path: '/dashboard/sites/:id/forms',
    signedIn: true,
    fields: z.object({ notify: field(1), notify_emails: field(3000), accept_uploads: field(1), form_protection: field(10), retention_days: field(10) }),
  },
  createWebhook: {
    path: '/dashboard/sites/:id/webhooks',
    signedIn: true,
    fields: z.object({ url: field(2000), type: field(10), ev_submission: field(1), ev_published: field(1), ev_deleted: field(1) }),
  },
  deleteWebhook: { path: '/dashboard/sites/:id/webhooks/:webhookId/delete', signedIn: true, fields: z.object({}) },
  addDomain: { path: '/dashboard/sites/:id/domains', signedIn: true, fields: z.object({ domain: field(300) }) },
  removeDomain: { path: '/dashboard/sites/:id/domains/:domain/delete', signedIn: true, fields: z.object({}) },
  sitePassword: { path: '/dashboard/sites/:id/password', signedIn: true, fields: z.object({ password: field(400) }) },
  removeSitePassword: { path: '/dashboard/sites/:id/password/remove', signedIn: true, fields: z.object({}) },
  resetCounter: { path: '/dashboard/sites/:id/counters/:name/reset', signedIn: true, fields: z.object({}) },
  deleteCounter: { path: '/dashboard/sites/:id/counters/:name/delete', signedIn: true, fields: z.object({}) },
} as const;

export type DashboardForm = (typeof DASHBOARD_FORMS)[keyof typeof DASHBOARD_FORMS];
