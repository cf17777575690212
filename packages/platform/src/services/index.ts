// The product's rules, one service per resource, built once over the same deps for every surface:
// the HTTP API, the dashboard, the node:http lane and the in-process API of the remote MCP tools.
import { anonymousService, type AnonymousService } from './anonymous.js';
import { dashboardSessionsService, type DashboardSessionsService } from './dashboard-sessions.js';
import { domainsService, type DomainsService } from './domains.js';
import { formSettingsService, type FormSettingsService } from './form-settings.js';
import { webhooksService, type WebhooksService } from './webhooks.js';
import type { ServiceAdapters, ServiceDeps } from './deps.js';
import { hostingService, type HostingService } from './hosting.js';
import { keysService, type KeysService } from './keys.js';
import { orgsService, type OrgsService } from './orgs.js';
import { signInService, type SignInService } from './sign-in.js';
import { sitesService, type SitesService } from './sites.js';
import { submissionsService, type SubmissionsService } from './submissions.js';
import { countersService, type CountersService } from './counters.js';
import { sitePasswordService, type SitePasswordService } from './site-password.js';
import { socialPreviewService, type SocialPreviewService } from './social-preview.js';

export interface Services {
  sites: SitesService;
  anonymous: AnonymousService;
  hosting: HostingService;
  submissions: SubmissionsService;
  keys: KeysService;
  orgs: OrgsService;
  signIn: SignInService;
  dashboardSessions: DashboardSessionsService;
  webhooks: WebhooksService;
  formSettings: FormSettingsService;
  domains: DomainsService;
  counters: CountersService;
  sitePasswords: SitePasswordService;
  socialPreviews: SocialPreviewService;
}

export function createServices(deps: ServiceDeps, adapters: ServiceAdapters): Services {
  const orgs = orgsService(deps);
  const sites = sitesService(deps);
  const counters = countersService(deps, adapters);
  const sitePasswords = sitePasswordService(deps, adapters);
  const socialPreviews = socialPreviewService(deps);
  return {
    sites,
    anonymous: anonymousService(deps, adapters, sites),
    hosting: hostingService(deps, { counters, passwords: sitePasswords, previews: socialPreviews }),
    submissions: submissionsService(deps),
    keys: keysService(deps),
    orgs,
    signIn: signInService(deps, adapters),
    dashboardSessions: dashboardSessionsService(deps, orgs),
    webhooks: webhooksService(deps),
    formSettings: formSettingsService(deps, adapters),
    domains: domainsService(deps),
    counters,
    sitePasswords,
    socialPreviews,
  };
}
