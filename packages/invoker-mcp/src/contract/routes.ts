// The HTTP API's route table: every route with the zod schemas its handler validates with and
// answers. The OpenAPI document is generated from this table, and a test checks that every route the
// app serves is in it. Resource routes also exist under /orgs/{org_id} (SPEC section 4).
import { z } from 'zod';
import {
  ApiKeySchema,
  CreateApiKeyRequestSchema,
  CreatedApiKeySchema,
  CreateOrgRequestSchema,
  MeSchema,
  OrgSchema,
} from './account.js';
import { LoginOtpRequestSchema, LoginPollRequestSchema, LoginPollSchema, LoginSessionRequestSchema, LoginSessionSchema, LoginVerifyRequestSchema } from './login.js';
import {
  DeployListSchema,
  DeployRequestSchema,
  ListDeploysQuerySchema,
  PublishRequestSchema,
  RenameRequestSchema,
  SiteSchema,
  SubmissionPageSchema,
  SubmissionsQuerySchema,
  SubmitResponseSchema,
  UpdateRequestSchema,
  VersionListSchema,
} from './sites.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteSpec {
  method: HttpMethod;
  /** Hono-style path (`:id`), as the app registers it. */
  path: string;
  summary: string;
  tag: 'sites' | 'forms' | 'keys' | 'orgs' | 'account' | 'auth' | 'platform';
  auth: 'key' | 'none';
  /** Also served under /orgs/{org_id}. */
  scoped: boolean;
  body?: z.ZodType;
  query?: z.ZodType;
  /** Success status and body (undefined body: no content). */
  status: number;
  response?: z.ZodType;
  /** Content type of a non-JSON success response. */
  responseType?: string;
}

const OrgListSchema = z.object({ orgs: z.array(OrgSchema) });
const KeyListSchema = z.object({ keys: z.array(ApiKeySchema) });

export const ROUTES: readonly RouteSpec[] = [
  { method: 'POST', path: '/deploy', summary: 'Create a site, or a new version of a site you own by slug', tag: 'sites', auth: 'key', scoped: true, body: DeployRequestSchema, status: 201, response: SiteSchema },
  { method: 'GET', path: '/deploys', summary: 'List sites, newest first (cursor pagination)', tag: 'sites', auth: 'key', scoped: true, query: ListDeploysQuerySchema, status: 200, response: DeployListSchema },
  { method: 'GET', path: '/deploy/:id', summary: 'Get a site\'s status', tag: 'sites', auth: 'key', scoped: true, status: 200, response: SiteSchema },
  { method: 'PUT', path: '/deploy/:id', summary: 'Upload a new version (slug and URL unchanged)', tag: 'sites', auth: 'key', scoped: true, body: UpdateRequestSchema, status: 200, response: SiteSchema },
  { method: 'POST', path: '/deploy/:id/publish', summary: 'Make a version live (the newest by default; an older one is a rollback)', tag: 'sites', auth: 'key', scoped: true, body: PublishRequestSchema, status: 200, response: SiteSchema },
  { method: 'GET', path: '/deploy/:id/versions', summary: 'Version history', tag: 'sites', auth: 'key', scoped: true, status: 200, response: VersionListSchema },
  { method: 'PATCH', path: '/deploy/:id/slug', summary: 'Rename; the old slug is freed at once', tag: 'sites', auth: 'key', scoped: true, body: RenameRequestSchema, status: 200, response: SiteSchema },
  { method: 'DELETE', path: '/deploy/:id', summary: 'Delete a site, its versions and its submissions', tag: 'sites', auth: 'key', scoped: true, status: 204 },
  { method: 'POST', path: '/submit/:id', summary: 'Form capture (public; JSON, urlencoded or multipart)', tag: 'forms', auth: 'none', scoped: false, status: 200, response: SubmitResponseSchema },
  { method: 'GET', path: '/submit/:id/thanks', summary: 'The built-in thank-you page', tag: 'forms', auth: 'none', scoped: false, status: 200, responseType: 'text/html' },
  { method: 'GET', path: '/submissions/:id', summary: 'A page of submissions, newest first', tag: 'forms', auth: 'key', scoped: true, query: SubmissionsQuerySchema, status: 200, response: SubmissionPageSchema },
  { method: 'GET', path: '/submissions/:id/export.csv', summary: 'All submissions as CSV (formula cells escaped)', tag: 'forms', auth: 'key', scoped: true, status: 200, responseType: 'text/csv' },
  { method: 'DELETE', path: '/submissions/:id/:submissionId', summary: 'Delete one submission', tag: 'forms', auth: 'key', scoped: true, status: 204 },
  { method: 'GET', path: '/me', summary: 'The key\'s user, org and key', tag: 'account', auth: 'key', scoped: true, status: 200, response: MeSchema },
  { method: 'GET', path: '/api-keys', summary: 'List the org\'s API keys', tag: 'keys', auth: 'key', scoped: true, status: 200, response: KeyListSchema },
  { method: 'POST', path: '/api-keys', summary: 'Create an API key (the only response that holds the full key)', tag: 'keys', auth: 'key', scoped: true, body: CreateApiKeyRequestSchema, status: 201, response: CreatedApiKeySchema },
  { method: 'DELETE', path: '/api-keys/:keyId', summary: 'Revoke an API key', tag: 'keys', auth: 'key', scoped: true, status: 204 },
  { method: 'GET', path: '/orgs', summary: 'List sub-organizations', tag: 'orgs', auth: 'key', scoped: true, status: 200, response: OrgListSchema },
  { method: 'POST', path: '/orgs', summary: 'Create a sub-organization (one level)', tag: 'orgs', auth: 'key', scoped: true, body: CreateOrgRequestSchema, status: 201, response: OrgSchema },
  { method: 'GET', path: '/orgs/:org', summary: 'The organization', tag: 'orgs', auth: 'key', scoped: false, status: 200, response: OrgSchema },
  { method: 'DELETE', path: '/orgs/:org/orgs/:subOrgId', summary: 'Delete a sub-organization with its keys and sites', tag: 'orgs', auth: 'key', scoped: false, status: 204 },
  { method: 'POST', path: '/auth/session', summary: 'Start a browser sign-in (device-style; expires_in says for how long)', tag: 'auth', auth: 'none', scoped: false, body: LoginSessionRequestSchema, status: 201, response: LoginSessionSchema },
  { method: 'POST', path: '/auth/session/poll', summary: 'Poll a sign-in: pending, slow_down, expired, or once complete with the key', tag: 'auth', auth: 'none', scoped: false, body: LoginPollRequestSchema, status: 200, response: LoginPollSchema },
  { method: 'GET', path: '/auth/login', summary: 'The sign-in page (opening it changes nothing)', tag: 'auth', auth: 'none', scoped: false, status: 200, responseType: 'text/html' },
  { method: 'POST', path: '/auth/otp', summary: 'Mail a 6-digit code for a sign-in (a form post gets the next page as HTML)', tag: 'auth', auth: 'none', scoped: false, body: LoginOtpRequestSchema, status: 200, response: z.object({ status: z.literal('code_sent'), email: z.string() }) },
  { method: 'POST', path: '/auth/verify', summary: 'Check the emailed code; too many wrong codes end the sign-in (a form post gets HTML)', tag: 'auth', auth: 'none', scoped: false, body: LoginVerifyRequestSchema, status: 200, response: z.object({ status: z.literal('verified'), email: z.string() }) },
  { method: 'POST', path: '/auth/logout', summary: 'Revoke the calling key', tag: 'auth', auth: 'key', scoped: false, status: 204 },
  { method: 'GET', path: '/openapi.json', summary: 'This document', tag: 'platform', auth: 'none', scoped: false, status: 200 },
  { method: 'GET', path: '/healthz', summary: 'Liveness', tag: 'platform', auth: 'none', scoped: false, status: 200, response: z.object({ ok: z.boolean() }) },
];

/** Every concrete path the table describes: each scoped route also under /orgs/:org. */
export function allRoutePaths(routes: readonly RouteSpec[] = ROUTES): Array<{ method: HttpMethod; path: string; spec: RouteSpec }> {
  return routes.flatMap((spec) => [
    { method: spec.method, path: spec.path, spec },
    ...(spec.scoped ? [{ method: spec.method, path: `/orgs/:org${spec.path}`, spec }] : []),
  ]);
}
