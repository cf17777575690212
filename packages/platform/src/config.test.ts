import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, DEFAULT_LOGIN_SETTINGS, parseServeConfig } from './config.js';

describe('serve limits as settings', () => {
  it('defaults to the SPEC figures', () => {
    const config = parseServeConfig({}, {});
    expect(config.limits).toEqual({
      maxFileBytes: 5 * 1024 * 1024,
      maxDeployBytes: 25 * 1024 * 1024,
      maxFiles: 500,
      maxSites: 100,
      submissionBytes: 64 * 1024,
      submissionsPerMinute: 10,
      bodyBytes: { signIn: 16 * 1024, api: 1024 * 1024, deploy: 40 * 1024 * 1024, anonymousDeploy: 5 * 1024 * 1024 },
      jsonDepth: 64,
      uploadBytes: 10 * 1024 * 1024,
      siteUploadBytes: 1024 * 1024 * 1024,
      countersPerSite: 50,
      counterIncrementsPerMinute: 60,
      passwordTriesPerMinute: 10,
    });
    expect(config.limits).toEqual(DEFAULT_LIMITS);
    expect(config.forms).toEqual({ webhookRetrySeconds: [5, 300, 1800, 7200, 18000, 36000, 36000], webhookTimeoutMs: 10_000, webhooksPerSite: 10, notifyIntervalSeconds: 60, jobsIntervalMs: 1000 });
    expect(config.login).toEqual(DEFAULT_LOGIN_SETTINGS);
    expect(config.postgres).toEqual({ max: 10, statementTimeoutMs: 30_000, reconnectMs: 1_000 });
    // Anonymous deploys are the operator's choice: off unless turned on (SPEC section 14).
    expect(config.anonymous).toEqual({ enabled: false, ttlSeconds: 24 * 3600, perIpPerHour: 3 });
  });

  it('reads every limit from its variable, and the deploy body follows the deploy size unless set', () => {
    const config = parseServeConfig(
      {},
      {
        INVOKER_MAX_FILE_MB: '2',
        INVOKER_MAX_DEPLOY_MB: '100',
        INVOKER_MAX_FILES: '50',
        INVOKER_MAX_SITES: '7',
        INVOKER_MAX_SUBMISSION_KB: '8',
        INVOKER_SUBMISSIONS_PER_MINUTE: '3',
        INVOKER_MAX_SIGN_IN_BODY_KB: '4',
        INVOKER_MAX_API_BODY_KB: '256',
        INVOKER_MAX_JSON_DEPTH: '16',
        INVOKER_LOGIN_TTL_MINUTES: '15',
        INVOKER_LOGIN_MAX_ATTEMPTS: '3',
        INVOKER_LOGIN_SESSIONS_PER_MINUTE: '2',
        INVOKER_LOGIN_CODES_PER_EMAIL: '1',
        INVOKER_LOGIN_CODES_PER_IP: '4',
        INVOKER_LOGIN_VERIFY_PER_MINUTE: '6',
        INVOKER_PG_POOL: '25',
        INVOKER_PG_STATEMENT_TIMEOUT_MS: '0',
        INVOKER_PG_RECONNECT_MS: '250',
        INVOKER_MAX_UPLOAD_MB: '3',
        INVOKER_MAX_SITE_UPLOADS_MB: '50',
        INVOKER_WEBHOOK_RETRY_SECONDS: '1, 1,2',
        INVOKER_WEBHOOK_TIMEOUT_SECONDS: '4',
        INVOKER_MAX_WEBHOOKS: '2',
        INVOKER_NOTIFY_INTERVAL_SECONDS: '5',
        INVOKER_JOBS_INTERVAL_MS: '50',
        INVOKER_ANONYMOUS_DEPLOYS: '1',
        INVOKER_ANONYMOUS_TTL_SECONDS: '60',
        INVOKER_ANONYMOUS_DEPLOYS_PER_HOUR: '10',
        INVOKER_ANONYMOUS_MAX_MB: '2',
        INVOKER_MAX_COUNTERS: '5',
        INVOKER_COUNTER_INCREMENTS_PER_MINUTE: '6',
        INVOKER_SITE_PASSWORD_TRIES_PER_MINUTE: '3',
      },
    );
    expect(config.limits).toEqual({
      maxFileBytes: 2 * 1024 * 1024,
      maxDeployBytes: 100 * 1024 * 1024,
      maxFiles: 50,
      maxSites: 7,
      submissionBytes: 8 * 1024,
      submissionsPerMinute: 3,
      bodyBytes: { signIn: 4 * 1024, api: 256 * 1024, deploy: 160 * 1024 * 1024, anonymousDeploy: 2 * 1024 * 1024 },
      jsonDepth: 16,
      uploadBytes: 3 * 1024 * 1024,
      siteUploadBytes: 50 * 1024 * 1024,
      countersPerSite: 5,
      counterIncrementsPerMinute: 6,
      passwordTriesPerMinute: 3,
    });
    expect(config.forms).toEqual({ webhookRetrySeconds: [1, 1, 2], webhookTimeoutMs: 4000, webhooksPerSite: 2, notifyIntervalSeconds: 5, jobsIntervalMs: 50 });
    expect(parseServeConfig({}, { INVOKER_WEBHOOK_RETRY_SECONDS: '' }).forms.webhookRetrySeconds).toEqual([]);
    expect(() => parseServeConfig({}, { INVOKER_WEBHOOK_RETRY_SECONDS: '1,soon' })).toThrow(/INVOKER_WEBHOOK_RETRY_SECONDS must be a whole number from 0 to 604800; got "soon"/);
    expect(config.login).toMatchObject({ ttlSeconds: 900, maxCodeAttempts: 3, sessionsPerIp: 2, codesPerEmail: 1, codesPerIp: 4, verifyPerIp: 6 });
    expect(config.postgres).toEqual({ max: 25, statementTimeoutMs: 0, reconnectMs: 250 });
    expect(config.anonymous).toEqual({ enabled: true, ttlSeconds: 60, perIpPerHour: 10 });
    expect(() => parseServeConfig({}, { INVOKER_ANONYMOUS_DEPLOYS: 'yes' })).toThrow(/INVOKER_ANONYMOUS_DEPLOYS must be 1 \(on\) or 0 \(off\)/);
    expect(parseServeConfig({}, { INVOKER_MAX_DEPLOY_BODY_MB: '30' }).limits.bodyBytes.deploy).toBe(30 * 1024 * 1024);
  });

  it('refuses a value that is not a whole number in range, naming the variable', () => {
    expect(() => parseServeConfig({}, { INVOKER_MAX_FILE_MB: '0' })).toThrow(/INVOKER_MAX_FILE_MB must be a whole number from 1/);
    expect(() => parseServeConfig({}, { INVOKER_MAX_SUBMISSION_KB: 'lots' })).toThrow(/INVOKER_MAX_SUBMISSION_KB .* got "lots"/);
    expect(() => parseServeConfig({}, { INVOKER_PG_POOL: '1.5' })).toThrow(/INVOKER_PG_POOL/);
    expect(() => parseServeConfig({}, { INVOKER_PG_RECONNECT_MS: '0' })).toThrow(/INVOKER_PG_RECONNECT_MS must be a whole number from 10/);
  });

  it('reads the server secret and the private-fetch switch, refusing a switch that is neither 1 nor 0', () => {
    expect(parseServeConfig({}, {})).toMatchObject({ secret: undefined, allowPrivateFetch: false });
    expect(parseServeConfig({}, { INVOKER_SECRET: 's'.repeat(40), INVOKER_ALLOW_PRIVATE_FETCH: '1' })).toMatchObject({ secret: 's'.repeat(40), allowPrivateFetch: true });
    expect(parseServeConfig({}, { INVOKER_ALLOW_PRIVATE_FETCH: '0' }).allowPrivateFetch).toBe(false);
    expect(() => parseServeConfig({}, { INVOKER_ALLOW_PRIVATE_FETCH: 'yes' })).toThrow('INVOKER_ALLOW_PRIVATE_FETCH must be 1 (on) or 0 (off); got "yes".');
  });

  it('keeps the shared defaults unchangeable', () => {
    expect(() => {
      (DEFAULT_LIMITS as { maxSites: number }).maxSites = 1;
    }).toThrow(TypeError);
    expect(DEFAULT_LIMITS.maxSites).toBe(100);
  });
});
