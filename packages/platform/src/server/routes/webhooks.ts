// Webhook routes (SPEC section 13, the hosted product's POST /webhooks/{deploy_id}): create (the
// secret is in this answer only), list with recent failures, delete, and a webhook's deliveries
// with every attempt. HTTP in and out; the rules are the webhooks service's.
import { Hono } from 'hono';
import { CreateWebhookRequestSchema } from 'invoker-mcp/contract/forms.js';
import type { WebhooksService } from '../../services/webhooks.js';
import type { AppDeps, AppEnv } from '../context.js';
import { readJson } from '../validate.js';

export function webhookRoutes(deps: AppDeps, webhooks: WebhooksService): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post('/webhooks/:id', async (c) => {
    const body = await readJson(c, CreateWebhookRequestSchema, deps.limits.jsonDepth);
    return c.json(await webhooks.create(c.get('orgId'), c.req.param('id'), body), 201);
  });
  app.get('/webhooks/:id', async (c) => c.json(await webhooks.list(c.get('orgId'), c.req.param('id'))));
  app.delete('/webhooks/:id/:webhookId', async (c) => {
    await webhooks.remove(c.get('orgId'), c.req.param('id'), c.req.param('webhookId'));
    return c.body(null, 204);
  });
  app.get('/webhooks/:id/:webhookId/deliveries', async (c) =>
    c.json(await webhooks.deliveries(c.get('orgId'), c.req.param('id'), c.req.param('webhookId'))),
  );
  return app;
}
