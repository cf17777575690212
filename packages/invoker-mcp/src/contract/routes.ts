// The HTTP API's route table: every route with the zod schemas its handler validates with, and
// every answer it can give (status → media type → body schema). The OpenAPI document is generated
// from this table; one test checks that every route the app serves is in it, another that every
// answer the test suites receive is one listed here and that each listed answer was seen.
// Resource routes also exist under /orgs/{org_id} (SPEC section 4). answersOf() adds the answers
// of what stands in front of every route (431, 401, the org's 404, 413, 429, 500).
import { z } from 'zod';
import { ApiKeySchema, CreateApiKeyRequestSchema, CreatedApiKeySchema, CreateOrgRequestSchema, MeSchema, OrgSchema } from './account.js';
import { OAUTH_ROUTES } from './oauth.js';
import { LoginOtpRequestSchema, LoginPollRequestSchema, LoginPollSchema, LoginSessionRequestSchema, LoginSessionSchema, LoginVerifyRequestSchema } from './login.js';
import { failure, failureOrPage, FORM_TYPE, json, MULTIPART_TYPE, named, noContent, page, CSV_TYPE, type Answer, type Answers } from './responses.js';
import {
  ChallengeSchema,
  CreatedWebhookSchema,
  CreateWebhookRequestSchema,
  DeliveryListSchema,
  FormSettingsRequestSchema,
  FormSettingsSchema,
  WebhookListSchema,
} from './forms.js';
import { AddDomainRequestSchema, CaddyAskQuerySchema, CaddyAskSchema, DomainListSchema, DomainSchema } from './domains.js';
import { CounterListSchema, CounterSchema, SitePasswordRequestSchema, SitePasswordStatusSchema } from './extras.js';
import {
  ClaimRequestSchema,
  DeployedSiteSchema,
  DeployListSchema,
  DeployRequestSchema,
  ExportLinkQuerySchema,
  ListDeploysQuerySchema,
  PatchRequestSchema,
  PublishRequestSchema,
  RenameRequestSchema,
  SiteSchema,
  SubmissionFieldsSchema,
  SubmissionJsonSchema,
  SubmissionPageSchema,
  SubmissionSchema,
  SubmissionsQuerySchema,
  SubmitResponseSchema,
  UpdateRequestSchema,
  VersionListSchema,
  VersionSchema,
} from './sites.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

export interface RouteSpec {
  method: HttpMethod;
  /** Hono-style path (`:id`), as the app registers it. */
  path: string;
  summary: string;
  tag: 'sites' | 'forms' | 'webhooks' | 'domains' | 'keys' | 'orgs' | 'account' | 'auth' | 'platform';
  auth: 'key' | 'none';
  /** Also served under /orgs/{org_id}. */
  scoped: boolean;
  /** The JSON body the handler validates. */
  body?: z.ZodType;
  /** Other media types the handler reads, each with the fields it takes. */
  forms?: Record<string, z.ZodType>;
  /** An empty body is accepted too. */
  bodyOptional?: boolean;
  query?: z.ZodType;
  /** What the handler answers (answersOf() adds the middleware's answers). */
  answers: Answers;
  /** Answered before the rate limit and the store (GET /healthz): answersOf() adds no middleware answers but the header limit. */
  bare?: boolean;
}

named('Site', SiteSchema);
named('DeployedSite', DeployedSiteSchema);
named('Version', VersionSchema);
named('Submission', SubmissionSchema);
named('Org', OrgSchema);
named('ApiKey', ApiKeySchema);
const OrgListSchema = named('OrgList', z.object({ orgs: z.array(OrgSchema) }));
const KeyListSchema = named('ApiKeyList', z.object({ keys: z.array(ApiKeySchema) }));
const OpenApiDocumentSchema = named('OpenApiDocument', z.looseObject({ openapi: z.literal('3.1.0'), info: z.looseObject({ version: z.string() }), paths: z.record(z.string(), z.unknown()) }));
const HealthSchema = named('Health', z.object({ ok: z.boolean() }));
const CodeSentSchema = named('LoginCodeSent', z.object({ status: z.literal('code_sent'), email: z.string() }));
const VerifiedSchema = named('LoginVerified', z.object({ status: z.literal('verified'), email: z.string() }));
for (const [id, schema] of [['CreatedWebhook', CreatedWebhookSchema], ['WebhookList', WebhookListSchema], ['DeliveryList', DeliveryListSchema], ['FormSettings', FormSettingsSchema], ['Challenge', ChallengeSchema]] as const) {
  named(id, schema);
}
for (const [id, schema] of [
  ['Domain', DomainSchema],
  ['DomainList', DomainListSchema],
  ['CaddyAsk', CaddyAskSchema],
  ['Counter', CounterSchema],
  ['CounterList', CounterListSchema],
  ['SitePasswordStatus', SitePasswordStatusSchema],
] as const) {
  named(id, schema);
}
for (const [id, schema] of [['DeployList', DeployListSchema], ['VersionList', VersionListSchema], ['SubmissionPage', SubmissionPageSchema], ['SubmitResponse', SubmitResponseSchema], ['Me', MeSchema], ['CreatedApiKey', CreatedApiKeySchema], ['LoginSession', LoginSessionSchema], ['LoginPoll', LoginPollSchema]] as const) {
  named(id, schema);
}

/** The answers listed as [status, answer] pairs. */
const answers = (...list: Array<[number, Answer]>): Answers => Object.fromEntries(list);
const ok = (schema: z.ZodType, description: string): [number, Answer] => [200, json(schema, description)];

const invalid = failure('invalid_input', 'The body or query is not valid: not JSON, nested deeper than 64 levels, or a field that fails the schema (the message names it).');
const site = ok(SiteSchema, 'The site.');
const siteNotFound = failure('not_found', 'No site with that id in this organization.');
const tooMuch = failure('too_large', 'A file over INVOKER_MAX_FILE_MB, a deploy over INVOKER_MAX_DEPLOY_MB, or more than INVOKER_MAX_FILES files.');
const inFlight = failure('conflict', 'The site changed twice while this deploy was in flight (renamed, deleted or redeployed by another request). Deploy again.');
const badCounterName = failure('invalid_input', 'Not a counter name: 1 to 40 characters of a-z, 0-9, _ and -.');
const noCounter = failure('not_found', 'No site with that id in this organization, or no counter of that name.');
const otpForms = { [FORM_TYPE]: LoginOtpRequestSchema };
const verifyForms = { [FORM_TYPE]: LoginVerifyRequestSchema };
/** JSON for an API caller, the next page for a browser form post. */
const jsonOrPage = (schema: z.ZodType, description: string): [number, Answer] => [200, { description, content: { ...json(schema, description).content, ...page(description).content } }];
const signInEnded: [number, Answer] = [410, page('A browser form post for a sign-in that has ended (completed, expired or failed): the page that says so.')];
const noSignIn = failureOrPage('not_found', 'No sign-in with that user code, or it has ended.');
const tooFast = failureOrPage('rate_limited', 'Too many attempts from your address or for this email address.', ['Retry-After']);

export const ROUTES: readonly RouteSpec[] = [
  { method: 'POST', path: '/deploy', summary: 'Create a site, or a new version of a site you own by slug (without a key, where INVOKER_ANONYMOUS_DEPLOYS=1: a live site that expires, with its claim token)', tag: 'sites', auth: 'key', scoped: true, body: DeployRequestSchema,
    answers: answers(
      [201, json(DeployedSiteSchema, 'A new site; an anonymous one (POST /deploy with no Authorization header, where the server allows it) also carries claim_token, claim_url and expires_at.')],
      [200, json(SiteSchema, 'A new version of your site at that slug.')],
      invalid,
      failure('forbidden', 'The organization holds INVOKER_MAX_SITES sites already: delete one first.'),
      failure('conflict', 'Another organization holds that slug (for an anonymous deploy: any site does).'),
      tooMuch,
      failure('rate_limited', 'An anonymous deploy past INVOKER_ANONYMOUS_DEPLOYS_PER_HOUR from your address.', ['Retry-After']),
    ) },
  { method: 'POST', path: '/deploy/:id/claim', summary: "Keep an anonymous site: move it into the key's organization and end its expiry (once)", tag: 'sites', auth: 'key', scoped: true, body: ClaimRequestSchema,
    answers: answers(
      ok(SiteSchema, 'The site, now in this organization, with no expiry.'),
      invalid,
      failure('forbidden', 'The claim token is not this site\'s, or the organization holds INVOKER_MAX_SITES sites already.'),
      failure('not_found', 'No anonymous site with that id: it expired, was deleted, or was never anonymous.'),
      failure('conflict', 'The site was claimed already (a claim token works once).'),
    ) },
  { method: 'GET', path: '/deploys', summary: 'List sites, newest first (cursor pagination)', tag: 'sites', auth: 'key', scoped: true, query: ListDeploysQuerySchema,
    answers: answers(ok(DeployListSchema, 'A page of sites.'), invalid) },
  { method: 'GET', path: '/deploy/:id', summary: "Get a site's status", tag: 'sites', auth: 'key', scoped: true, answers: answers(site, siteNotFound) },
  { method: 'PUT', path: '/deploy/:id', summary: 'Upload a new version (slug and URL unchanged)', tag: 'sites', auth: 'key', scoped: true, body: UpdateRequestSchema,
    answers: answers(ok(SiteSchema, 'The site with its new version.'), invalid, siteNotFound, inFlight, tooMuch) },
  { method: 'POST', path: '/deploy/:id/patch', summary: 'A new version from exact find/replace edits to the newest one (a preview unless publish: true)', tag: 'sites', auth: 'key', scoped: true, body: PatchRequestSchema,
    answers: answers(ok(SiteSchema, 'The site with its new version.'), failure('invalid_input', 'Not a valid body; a find that occurs 0 or several times (the message says how often), a file the version does not have, or one that is not text.'), siteNotFound,
      failure('conflict', 'base_version is no longer the newest version.'), failure('too_large', 'The edited file would be over INVOKER_MAX_FILE_MB, or the version over INVOKER_MAX_DEPLOY_MB.')) },
  { method: 'POST', path: '/deploy/:id/publish', summary: 'Make a version live (the newest by default; an older one is a rollback)', tag: 'sites', auth: 'key', scoped: true, body: PublishRequestSchema, bodyOptional: true,
    answers: answers(ok(SiteSchema, 'The site, that version live.'), invalid, failure('not_found', 'No site with that id in this organization, or no such version.')) },
  { method: 'GET', path: '/deploy/:id/versions', summary: 'Version history', tag: 'sites', auth: 'key', scoped: true, answers: answers(ok(VersionListSchema, 'Every version, newest first.'), siteNotFound) },
  { method: 'PATCH', path: '/deploy/:id/slug', summary: 'Rename; the old slug is freed at once', tag: 'sites', auth: 'key', scoped: true, body: RenameRequestSchema,
    answers: answers(ok(SiteSchema, 'The renamed site.'), invalid, siteNotFound, failure('conflict', 'Another site holds that slug.')) },
  { method: 'DELETE', path: '/deploy/:id', summary: 'Delete a site, its versions and its submissions', tag: 'sites', auth: 'key', scoped: true, answers: answers([204, noContent('Deleted.')], siteNotFound) },
  { method: 'POST', path: '/submit/:id', summary: 'Form capture (public; JSON, urlencoded or multipart)', tag: 'forms', auth: 'none', scoped: false,
    body: SubmissionJsonSchema, forms: { [FORM_TYPE]: SubmissionFieldsSchema, [MULTIPART_TYPE]: SubmissionFieldsSchema },
    answers: answers(
      ok(SubmitResponseSchema, 'Received (a JSON post, or one that asks for JSON). A filled honeypot gets the same answer and is not stored.'),
      [303, { description: 'Received (a plain HTML form post): to `_next` when it is a page of the same site, else to the thank-you page.', headers: ['Location'] }],
      // A plain browser form post gets each failure as a page saying what to do, with the same status.
      failureOrPage('invalid_input', 'Not JSON, urlencoded or multipart; a JSON body that is not an object; a field name over 200 characters.'),
      failureOrPage('not_found', 'The site no longer exists.'),
      failureOrPage('too_large', 'More than 100 fields, or a body over INVOKER_MAX_SUBMISSION_KB.'),
      failureOrPage('rate_limited', 'More than INVOKER_SUBMISSIONS_PER_MINUTE submissions a minute from your address to this site.', ['Retry-After']),
      failureOrPage('forbidden', 'The site\'s form is protected by proof of work (form_protection "pow") and the post carries no solved, unspent challenge in its `altcha` field.'),
    ) },
  { method: 'GET', path: '/submit/:id/challenge', summary: 'A proof-of-work challenge (ALTCHA) for a form with form_protection "pow"', tag: 'forms', auth: 'none', scoped: false,
    answers: answers(ok(ChallengeSchema, 'The challenge: find the number whose SHA-256 with the salt is `challenge`, send it base64-encoded as the `altcha` field.'), failure('not_found', 'The site no longer exists.')) },
  { method: 'GET', path: '/forms/confirm', summary: 'The page that confirms an extra notification address (opening it changes nothing)', tag: 'forms', auth: 'none', scoped: false, query: z.object({ token: z.string().optional().describe('The token of the mailed link') }),
    answers: answers([200, page('The page with its Confirm button (or: already confirmed).')], [404, page('A token that names no address.')]) },
  { method: 'POST', path: '/forms/confirm', summary: 'Confirm an extra notification address', tag: 'forms', auth: 'none', scoped: false, forms: { [FORM_TYPE]: z.object({ token: z.string().describe('The token of the mailed link') }) },
    answers: answers([200, page('Confirmed: the address gets the next mails.')], [404, page('A token that names no address.')]) },
  { method: 'GET', path: '/deploy/:id/forms', summary: "A site's form settings", tag: 'forms', auth: 'key', scoped: true, answers: answers(ok(FormSettingsSchema, 'The settings.'), siteNotFound) },
  { method: 'PATCH', path: '/deploy/:id/forms', summary: 'Change form settings: notification mail, uploads, proof of work, retention', tag: 'forms', auth: 'key', scoped: true, body: FormSettingsRequestSchema,
    answers: answers(ok(FormSettingsSchema, 'The settings after the change (new addresses are mailed a confirmation link).'), invalid, siteNotFound) },
  { method: 'GET', path: '/submissions/:id/:submissionId/files/:fileId', summary: 'Download a file uploaded with a submission (an attachment, never rendered)', tag: 'forms', auth: 'key', scoped: true,
    answers: answers([200, { description: 'The file\'s bytes as uploaded.', content: { 'application/octet-stream': 'text' }, headers: ['Content-Disposition'] }], failure('not_found', 'No such site, submission or file in this organization.')) },
  { method: 'POST', path: '/webhooks/:id', summary: 'Register a webhook for a site (the signing secret is in this answer only)', tag: 'webhooks', auth: 'key', scoped: true, body: CreateWebhookRequestSchema,
    answers: answers(
      [201, json(CreatedWebhookSchema, 'The webhook, with its whsec_ signing secret.')],
      failure('invalid_input', 'An invalid body, or a target the outbound guard refuses: not https, or a private, loopback or reserved address (also when its name resolves to one).'),
      siteNotFound,
      failure('forbidden', 'The site has INVOKER_MAX_WEBHOOKS webhooks already.'),
    ) },
  { method: 'GET', path: '/webhooks/:id', summary: "A site's webhooks, each with its newest failed attempts", tag: 'webhooks', auth: 'key', scoped: true, answers: answers(ok(WebhookListSchema, 'The webhooks.'), siteNotFound) },
  { method: 'DELETE', path: '/webhooks/:id/:webhookId', summary: 'Delete a webhook (its pending deliveries are dropped)', tag: 'webhooks', auth: 'key', scoped: true,
    answers: answers([204, noContent('Deleted.')], failure('not_found', 'No such site or webhook in this organization.')) },
  { method: 'GET', path: '/webhooks/:id/:webhookId/deliveries', summary: "A webhook's deliveries, newest first, with every attempt", tag: 'webhooks', auth: 'key', scoped: true,
    answers: answers(ok(DeliveryListSchema, 'The newest 20 deliveries.'), failure('not_found', 'No such site or webhook in this organization.')) },
  { method: 'POST', path: '/deploy/:id/domains', summary: 'Add a custom domain to a site (pending until verified); adding it again checks it again', tag: 'domains', auth: 'key', scoped: true, body: AddDomainRequestSchema,
    answers: answers(
      [201, json(DomainSchema, 'The domain, pending, with its verification token and the DNS records to create.')],
      [200, json(DomainSchema, 'The site has the domain already: checked again (checks says what was found), verified when the TXT record or the HTTP token holds.')],
      failure('invalid_input', 'An invalid body, a name that is no host name, or one of the platform\'s own names.'),
      siteNotFound,
      failure('conflict', 'Another site holds the domain verified (the first to verify a domain holds it).'),
      failure('forbidden', 'The site has INVOKER_MAX_DOMAINS domains already.'),
    ) },
  { method: 'GET', path: '/deploy/:id/domains', summary: "A site's custom domains, with their status and DNS records", tag: 'domains', auth: 'key', scoped: true, answers: answers(ok(DomainListSchema, 'The domains, by name.'), siteNotFound) },
  { method: 'DELETE', path: '/deploy/:id/domains/:domain', summary: 'Remove a custom domain: it serves nothing from the next request on', tag: 'domains', auth: 'key', scoped: true,
    answers: answers([204, noContent('Removed.')], failure('not_found', 'No such site in this organization, or the site has no such domain.')) },
  { method: 'GET', path: '/_caddy/ask', summary: "Caddy's on-demand TLS question: may a certificate be got for this name?", tag: 'domains', auth: 'none', scoped: false, query: CaddyAskQuerySchema,
    answers: answers(ok(CaddyAskSchema, 'Yes: a verified custom domain, or the host of an existing site or preview.'), failure('not_found', 'No: any other name (or none given).')) },
  // Counters and passwords (SPEC section 14). Visitors reach both on the site's hosts (docs/API.md).
  { method: 'GET', path: '/deploy/:id/counters', summary: "A site's counters (visitors read and add one at /_counter/{name} on its hosts)", tag: 'sites', auth: 'key', scoped: true,
    answers: answers(ok(CounterListSchema, 'Every counter of the site, by name.'), siteNotFound) },
  { method: 'POST', path: '/deploy/:id/counters/:name/reset', summary: 'Set a counter back to 0', tag: 'sites', auth: 'key', scoped: true,
    answers: answers(ok(CounterSchema, 'The counter, at 0.'), badCounterName, noCounter) },
  { method: 'DELETE', path: '/deploy/:id/counters/:name', summary: 'Delete a counter (its name no longer counts against INVOKER_MAX_COUNTERS)', tag: 'sites', auth: 'key', scoped: true,
    answers: answers([204, noContent('Deleted.')], badCounterName, noCounter) },
  { method: 'GET', path: '/deploy/:id/password', summary: 'Whether the site asks visitors for a password', tag: 'sites', auth: 'key', scoped: true,
    answers: answers(ok(SitePasswordStatusSchema, 'Whether it is protected.'), siteNotFound) },
  { method: 'PUT', path: '/deploy/:id/password', summary: 'Protect the site with a password, or change it (everyone must type the new one)', tag: 'sites', auth: 'key', scoped: true, body: SitePasswordRequestSchema,
    answers: answers(ok(SitePasswordStatusSchema, 'Protected.'), failure('invalid_input', 'Not a valid body: the password must be 8 to 200 characters.'), siteNotFound) },
  { method: 'DELETE', path: '/deploy/:id/password', summary: 'Remove the password: the site is open to everyone again', tag: 'sites', auth: 'key', scoped: true,
    answers: answers([204, noContent('Removed (also when there was none).')], siteNotFound) },
  { method: 'OPTIONS', path: '/submit/:id', summary: 'CORS preflight of a cross-origin JSON post (any origin, no credentials)', tag: 'forms', auth: 'none', scoped: false,
    answers: answers([204, noContent('The methods and headers a cross-origin post may use.')], failure('not_found', 'A path whose dot segments resolve to no route (`/submit/%2e%2e`).')) },
  { method: 'GET', path: '/submit/:id/thanks', summary: 'The built-in thank-you page', tag: 'forms', auth: 'none', scoped: false, answers: answers([200, page('The page (a link back to the site while it is live).')]) },
  { method: 'GET', path: '/submissions/:id', summary: 'A page of submissions, newest first', tag: 'forms', auth: 'key', scoped: true, query: SubmissionsQuerySchema,
    answers: answers(ok(SubmissionPageSchema, 'A page of submissions.'), invalid, siteNotFound) },
  { method: 'GET', path: '/submissions/:id/export.csv', summary: 'All submissions as CSV (formula cells escaped)', tag: 'forms', auth: 'key', scoped: true,
    answers: answers([200, { description: 'The CSV file, as an attachment.', content: { [CSV_TYPE]: 'text' }, headers: ['Content-Disposition'] }], siteNotFound) },
  { method: 'GET', path: '/exports/:id/submissions.csv', summary: 'All submissions as CSV through a signed link (no key; it works for 15 minutes)', tag: 'forms', auth: 'none', scoped: false, query: ExportLinkQuerySchema,
    answers: answers([200, { description: 'The CSV file, as an attachment.', content: { [CSV_TYPE]: 'text' }, headers: ['Content-Disposition'] }], invalid, failure('forbidden', 'A link that was not made here, or one that has expired: ask for the export again.'), siteNotFound) },
  { method: 'DELETE', path: '/submissions/:id/:submissionId', summary: 'Delete one submission', tag: 'forms', auth: 'key', scoped: true,
    answers: answers([204, noContent('Deleted.')], failure('not_found', 'No such site or submission in this organization.')) },
  { method: 'GET', path: '/me', summary: "The key's user, org and key", tag: 'account', auth: 'key', scoped: true, answers: answers(ok(MeSchema, 'Who the key belongs to.')) },
  { method: 'GET', path: '/api-keys', summary: "List the org's API keys", tag: 'keys', auth: 'key', scoped: true, answers: answers(ok(KeyListSchema, 'The keys (previews only).')) },
  { method: 'POST', path: '/api-keys', summary: 'Create an API key (the only response that holds the full key)', tag: 'keys', auth: 'key', scoped: true, body: CreateApiKeyRequestSchema,
    answers: answers([201, json(CreatedApiKeySchema, 'The new key, in full: shown this once.')], invalid) },
  { method: 'DELETE', path: '/api-keys/:keyId', summary: 'Revoke an API key', tag: 'keys', auth: 'key', scoped: true,
    answers: answers([204, noContent('Revoked.')], failure('not_found', 'No such key in this organization.')) },
  { method: 'GET', path: '/orgs', summary: 'List sub-organizations', tag: 'orgs', auth: 'key', scoped: true, answers: answers(ok(OrgListSchema, 'The sub-organizations.')) },
  { method: 'POST', path: '/orgs', summary: 'Create a sub-organization (one level)', tag: 'orgs', auth: 'key', scoped: true, body: CreateOrgRequestSchema,
    answers: answers([201, json(OrgSchema, 'The new organization.')], failure('invalid_input', 'An invalid name, or the organization is a sub-organization itself.')) },
  { method: 'GET', path: '/orgs/:org', summary: 'The organization', tag: 'orgs', auth: 'key', scoped: false, answers: answers(ok(OrgSchema, 'The organization.')) },
  { method: 'DELETE', path: '/orgs/:org/orgs/:subOrgId', summary: 'Delete a sub-organization with its keys and sites', tag: 'orgs', auth: 'key', scoped: false,
    answers: answers([204, noContent('Deleted.')], failure('not_found', 'No such sub-organization.')) },
  { method: 'POST', path: '/auth/session', summary: 'Start a browser sign-in (device-style; expires_in says for how long)', tag: 'auth', auth: 'none', scoped: false, body: LoginSessionRequestSchema,
    answers: answers([201, json(LoginSessionSchema, 'The sign-in: show user_code, open verification_url, poll with session_id.')], invalid, failure('rate_limited', 'Too many sign-ins started from your address.', ['Retry-After'])) },
  { method: 'POST', path: '/auth/session/poll', summary: 'Poll a sign-in: pending, slow_down, expired, or once complete with the key', tag: 'auth', auth: 'none', scoped: false, body: LoginPollRequestSchema,
    answers: answers(ok(LoginPollSchema, 'Where the sign-in is.'), invalid) },
  { method: 'GET', path: '/auth/login', summary: 'The sign-in page (opening it changes nothing)', tag: 'auth', auth: 'none', scoped: false, query: z.object({ code: z.string().optional().describe('The user code the app shows') }),
    answers: answers([200, page('The page: asks for the user code, or the email address for that sign-in.')], [404, page('No sign-in with that user code: the page asks again.')], signInEnded) },
  { method: 'POST', path: '/auth/otp', summary: 'Mail a 6-digit code for a sign-in (a form post gets the next page as HTML)', tag: 'auth', auth: 'none', scoped: false, body: LoginOtpRequestSchema, forms: otpForms,
    answers: answers(
      jsonOrPage(CodeSentSchema, 'The code was mailed (the same answer whether or not the address has an account).'),
      failureOrPage('invalid_input', 'Not an email address, or a body that cannot be read.'),
      noSignIn,
      signInEnded,
      tooFast,
      failure('upstream', 'The mail server refused the mail: try again in a minute.'),
    ) },
  { method: 'POST', path: '/auth/verify', summary: 'Check the emailed code; too many wrong codes end the sign-in (a form post gets HTML)', tag: 'auth', auth: 'none', scoped: false, body: LoginVerifyRequestSchema, forms: verifyForms,
    answers: answers(
      jsonOrPage(VerifiedSchema, 'Signed in: the app gets its key on its next poll.'),
      failureOrPage('invalid_input', 'A wrong code (the message says how many tries are left), not 6 digits, or no code was sent yet.'),
      failureOrPage('forbidden', 'Too many wrong codes: the sign-in has ended.'),
      noSignIn,
      failureOrPage('conflict', 'This sign-in has already been used.'),
      signInEnded,
      tooFast,
    ) },
  { method: 'POST', path: '/auth/logout', summary: 'Revoke the calling key', tag: 'auth', auth: 'key', scoped: false, answers: answers([204, noContent('Revoked.')]) },
  { method: 'GET', path: '/openapi.json', summary: 'This document', tag: 'platform', auth: 'none', scoped: false, answers: answers(ok(OpenApiDocumentSchema, 'The OpenAPI 3.1 document of this API.')) },
  { method: 'GET', path: '/healthz', summary: 'Liveness', tag: 'platform', auth: 'none', scoped: false, bare: true, answers: answers(ok(HealthSchema, 'The server is up.')) },
  // Remote MCP and OAuth (SPEC section 11).
  ...OAUTH_ROUTES,
  { method: 'GET', path: '/', summary: 'The landing page: what this server is, and the MCP configuration for its URL', tag: 'platform', auth: 'none', scoped: false, bare: true, answers: answers([200, page('The page.')]) },
  { method: 'GET', path: '/favicon.ico', summary: 'The icon', tag: 'platform', auth: 'none', scoped: false, bare: true, answers: answers([200, { description: 'A 32×32 icon.', content: { 'image/x-icon': 'text' } }]) },
  { method: 'GET', path: '/robots.txt', summary: 'What crawlers may index on the platform origin (nothing under /dashboard, /s/, /auth/)', tag: 'platform', auth: 'none', scoped: false, bare: true, answers: answers([200, { description: 'The rules.', content: { 'text/plain': 'text' } }]) },
];

/** Every concrete path the table describes: each scoped route also under /orgs/:org. */
export function allRoutePaths(routes: readonly RouteSpec[] = ROUTES): Array<{ method: HttpMethod; path: string; spec: RouteSpec }> {
  return routes.flatMap((spec) => [
    { method: spec.method, path: spec.path, spec },
    ...(spec.scoped ? [{ method: spec.method, path: `/orgs/:org${spec.path}`, spec }] : []),
  ]);
}
