// The OAuth authorization server of one server (oauth/): built once per deps object, like the
// services (services-of.ts), so the /oauth routes, the consent page, /mcp and the dashboard share it
// and its registration budget.
import { oauthService, type OAuthService } from '../oauth/index.js';
import type { AppDeps } from './context.js';
import { createRateLimiter } from './rate-limit.js';
import { servicesOf } from './services-of.js';

const built = new WeakMap<AppDeps, OAuthService>();

export function oauthOf(deps: AppDeps): OAuthService {
  let oauth = built.get(deps);
  if (!oauth) {
    oauth = oauthService(deps, servicesOf(deps).keys, deps.rateLimiters ?? createRateLimiter);
    built.set(deps, oauth);
  }
  return oauth;
}
