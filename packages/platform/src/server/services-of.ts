// The services every surface of one server calls: built once per deps object, so the Hono app and
// the node:http lane share them (and the sign-in budgets they hold).
import { createServices, type Services } from '../services/index.js';
import type { AppDeps } from './context.js';
import { createLogMailer } from './mailer.js';
import { createRateLimiter } from './rate-limit.js';

const built = new WeakMap<AppDeps, Services>();

export function servicesOf(deps: AppDeps): Services {
  let services = built.get(deps);
  if (!services) {
    // Development mode without INVOKER_SMTP_URL: codes go to the log. One instance: limits in memory.
    services = createServices(deps, { mailer: deps.mailer ?? createLogMailer(deps.log), rateLimiters: deps.rateLimiters ?? createRateLimiter });
    built.set(deps, services);
  }
  return services;
}
