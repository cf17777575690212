// The Store on SQL, for both backends: each method names its operation (operations/) and how it
// runs. A backend says only how to run one: autocommit (every statement on its own), transaction
// (all or nothing, writers one at a time), snapshot (reads that agree with each other), and how it
// deploys (SQLite: a group commit; PostgreSQL: per-slug turns and a retry). Return types are the
// operations'; `implements Store` holds them to the interface.
import * as accounts from './operations/accounts.js';
import * as oauth from './operations/oauth.js';
import * as domains from './operations/domains.js';
import * as forms from './operations/forms.js';
import * as extras from './operations/extras.js';
import * as hooks from './operations/webhooks.js';
import type { AttemptOutcome, OutboxEvent } from './forms-records.js';
import * as sessions from './operations/sessions.js';
import * as sites from './operations/sites.js';
import * as submissions from './operations/submissions.js';
import type { Op } from './sql/steps.js';
import type { OAuthStore } from './oauth-records.js';
import type { DeployInput, DomainVerification, SiteRecord, Store, SubmissionRecord } from './store.js';

export abstract class SqlStore implements Store {
  abstract readonly kind: Store['kind'];
  protected abstract autocommit<T>(op: Op<T>): Promise<T>;
  protected abstract transaction<T>(op: Op<T>): Promise<T>;
  protected abstract snapshot<T>(op: Op<T>): Promise<T>;
  abstract deploy(input: DeployInput): Promise<SiteRecord>;
  abstract close(): Promise<void>;

  ensureUser(email: string, now: string) {
    return this.transaction(accounts.ensureUser(email, now));
  }
  createApiKey(input: Parameters<Store['createApiKey']>[0]) {
    return this.autocommit(accounts.createApiKey(input));
  }
  findPrincipalByKeyHash(keyHash: string) {
    return this.autocommit(accounts.findPrincipalByKeyHash(keyHash));
  }
  touchApiKey(keyId: string, now: string) {
    return this.autocommit(accounts.touchApiKey(keyId, now));
  }
  listApiKeys(orgId: string) {
    return this.autocommit(accounts.listApiKeys(orgId));
  }
  revokeApiKey(orgId: string, keyId: string, now: string) {
    return this.transaction(accounts.revokeApiKey(orgId, keyId, now));
  }
  revokeApiKeyById(keyId: string, now: string) {
    return this.transaction(accounts.revokeApiKey(null, keyId, now));
  }

  getOrg(orgId: string) {
    return this.autocommit(accounts.getOrg(orgId));
  }
  listSubOrgs(parentId: string) {
    return this.autocommit(accounts.listSubOrgs(parentId));
  }
  createSubOrg(input: Parameters<Store['createSubOrg']>[0]) {
    return this.autocommit(accounts.insertOrg(input.ownerUserId, input.name, input.parentId, input.now));
  }
  deleteSubOrg(parentId: string, orgId: string) {
    return this.transaction(accounts.deleteSubOrg(parentId, orgId));
  }
  listOrgsForUser(userId: string) {
    return this.autocommit(accounts.listOrgsForUser(userId));
  }

  createLoginSession(input: Parameters<Store['createLoginSession']>[0]) {
    return this.autocommit(sessions.createLoginSession(input));
  }
  findLoginSessionBySecretHash(secretHash: string) {
    return this.autocommit(sessions.loginSession('secretHash', secretHash));
  }
  findLoginSessionByUserCodeHash(userCodeHash: string) {
    return this.autocommit(sessions.loginSession('userCodeHash', userCodeHash));
  }
  setLoginSessionCode(id: string, email: string, codeHash: string) {
    return this.autocommit(sessions.setLoginSessionCode(id, email, codeHash));
  }
  recordLoginCodeFailure(id: string, maxAttempts: number) {
    return this.transaction(sessions.recordLoginCodeFailure(id, maxAttempts));
  }
  verifyLoginSession(id: string, userId: string, orgId: string) {
    return this.autocommit(sessions.verifyLoginSession(id, userId, orgId));
  }
  touchLoginSessionPoll(id: string, now: string) {
    return this.autocommit(sessions.touchLoginSessionPoll(id, now));
  }
  consumeLoginSession(id: string) {
    return this.autocommit(sessions.consumeLoginSession(id));
  }
  deleteLoginSessionsExpiredBefore(time: string) {
    return this.autocommit(sessions.deleteLoginSessionsExpiredBefore(time));
  }

  getSite(orgId: string, siteId: string) {
    return this.autocommit(sites.getSite(orgId, siteId));
  }
  findSiteById(siteId: string) {
    return this.autocommit(sites.siteById(siteId));
  }
  findSiteBySlug(slug: string) {
    return this.autocommit(sites.findSiteBySlug(slug));
  }
  listSites(orgId: string, options: { limit: number; cursor: string | null }) {
    return this.autocommit(sites.listSites(orgId, options));
  }
  listVersions(orgId: string, siteId: string) {
    return this.autocommit(sites.listVersions(orgId, siteId));
  }
  publish(orgId: string, siteId: string, version: number | null, now: string, event?: OutboxEvent) {
    return this.transaction(sites.publish(orgId, siteId, version, now, event));
  }
  renameSite(orgId: string, siteId: string, slug: string, now: string) {
    return this.transaction(sites.renameSite(orgId, siteId, slug, now));
  }
  deleteSite(orgId: string, siteId: string, event?: { event: OutboxEvent; now: string }) {
    return this.transaction(sites.deleteSite(orgId, siteId, event));
  }
  findAnonymousClaim(siteId: string) {
    return this.autocommit(sites.findAnonymousClaim(siteId));
  }
  claimAnonymousSite(input: Parameters<Store['claimAnonymousSite']>[0]) {
    return this.transaction(sites.claimAnonymousSite(input));
  }
  deleteExpiredSites(now: string, limit: number) {
    return this.transaction(sites.deleteExpiredSites(now, limit));
  }
  findHosted(slug: string, previewToken: string | null) {
    return this.autocommit(sites.findHosted(slug, previewToken));
  }
  getFile(siteId: string, version: number, path: string) {
    return this.autocommit(sites.getFile(siteId, version, path));
  }
  versionSources(orgId: string, siteId: string, version: number) {
    return this.snapshot(sites.versionSources(orgId, siteId, version));
  }

  addSubmission(input: Parameters<Store['addSubmission']>[0]) {
    return this.transaction(submissions.addSubmission(input));
  }
  listSubmissions(orgId: string, siteId: string, options: { page: number; limit: number }) {
    return this.snapshot(submissions.listSubmissions(orgId, siteId, options));
  }
  submissionsPerDay(orgId: string, siteId: string, since: string) {
    return this.snapshot(submissions.submissionsPerDay(orgId, siteId, since));
  }
  async *eachSubmission(orgId: string, siteId: string): AsyncIterable<SubmissionRecord> {
    if (!(await this.getSite(orgId, siteId))) return;
    for (let after = 0; ; ) {
      const batch = await this.autocommit(submissions.submissionBatch(siteId, after));
      if (batch.items.length === 0) return;
      yield* batch.items;
      after = batch.last;
    }
  }
  deleteSubmission(orgId: string, siteId: string, submissionId: string) {
    return this.transaction(submissions.deleteSubmission(orgId, siteId, submissionId));
  }

  createDashboardSession(input: Parameters<Store['createDashboardSession']>[0]) {
    return this.autocommit(sessions.createDashboardSession(input));
  }
  findDashboardSession(tokenHash: string, now: string) {
    return this.autocommit(sessions.findDashboardSession(tokenHash, now));
  }
  setDashboardSessionOrg(id: string, orgId: string) {
    return this.autocommit(sessions.setDashboardSessionOrg(id, orgId));
  }
  deleteDashboardSession(id: string) {
    return this.autocommit(sessions.deleteDashboardSession(id));
  }

  createOAuthClient(input: Parameters<OAuthStore['createOAuthClient']>[0]) {
    return this.transaction(oauth.createClient(input));
  }
  getOAuthClient(id: string) {
    return this.autocommit(oauth.getClient(id));
  }
  createOAuthCode(input: Parameters<OAuthStore['createOAuthCode']>[0]) {
    return this.transaction(oauth.createCode(input));
  }
  redeemOAuthCode(codeHash: string, now: string) {
    return this.transaction(oauth.redeemCode(codeHash, now));
  }
  createOAuthGrant(input: Parameters<OAuthStore['createOAuthGrant']>[0]) {
    return this.transaction(oauth.createGrant(input));
  }
  findOAuthToken(tokenHash: string) {
    return this.autocommit(oauth.findToken(tokenHash));
  }
  rotateOAuthRefreshToken(input: Parameters<OAuthStore['rotateOAuthRefreshToken']>[0]) {
    return this.transaction(oauth.rotateRefresh(input));
  }
  revokeOAuthGrant(grantId: string, userId: string | null, now: string) {
    return this.autocommit(oauth.revokeGrant(grantId, userId, now));
  }
  touchOAuthGrant(grantId: string, now: string) {
    return this.autocommit(oauth.touchGrant(grantId, now));
  }
  listOAuthGrants(userId: string) {
    return this.autocommit(oauth.listGrants(userId));
  }
  getFormSettings(siteId: string) {
    return this.autocommit(forms.formSettingsOf(siteId));
  }
  saveFormSettings(orgId: string, siteId: string, settings: Parameters<Store['saveFormSettings']>[2], now: string) {
    return this.transaction(forms.saveFormSettings(orgId, siteId, settings, now));
  }
  listNotifyRecipients(orgId: string, siteId: string) {
    return this.autocommit(forms.listNotifyRecipients(orgId, siteId));
  }
  addNotifyRecipient(siteId: string, email: string, tokenHash: string, now: string) {
    return this.autocommit(forms.addNotifyRecipient(siteId, email, tokenHash, now));
  }
  removeNotifyRecipient(siteId: string, email: string) {
    return this.autocommit(forms.removeNotifyRecipient(siteId, email));
  }
  findNotifyRecipient(tokenHash: string) {
    return this.autocommit(forms.findNotifyRecipient(tokenHash));
  }
  confirmNotifyRecipient(tokenHash: string, now: string) {
    return this.autocommit(forms.confirmNotifyRecipient(tokenHash, now));
  }
  claimNotifyBatches(cutoff: string, now: string) {
    return this.autocommit(forms.claimNotifyBatches(cutoff, now));
  }
  submissionsBetween(siteId: string, fromSeq: number, toSeq: number, limit: number) {
    return this.autocommit(forms.submissionsBetween(siteId, fromSeq, toSeq, limit));
  }
  createWebhook(input: Parameters<Store['createWebhook']>[0]) {
    return this.transaction(hooks.createWebhook(input));
  }
  listWebhooks(orgId: string, siteId: string) {
    return this.autocommit(hooks.listWebhooks(orgId, siteId));
  }
  deleteWebhook(orgId: string, siteId: string, webhookId: string) {
    return this.transaction(hooks.deleteWebhook(orgId, siteId, webhookId));
  }
  listDeliveries(orgId: string, siteId: string, webhookId: string, limit: number) {
    return this.autocommit(hooks.listDeliveries(orgId, siteId, webhookId, limit));
  }
  recentAttempts(webhookId: string, limit: number) {
    return this.autocommit(hooks.recentAttempts(webhookId, limit));
  }
  claimDeliveries(input: Parameters<Store['claimDeliveries']>[0]) {
    return this.transaction(hooks.claimDeliveries(input));
  }
  finishAttempts(outcomes: AttemptOutcome[]) {
    return this.transaction(hooks.finishAttempts(outcomes));
  }
  releaseDeliveryLeases() {
    return this.autocommit(hooks.releaseDeliveryLeases());
  }
  deleteFinishedDeliveriesBefore(time: string) {
    return this.autocommit(hooks.deleteFinishedDeliveriesBefore(time));
  }
  pendingDeliveries() {
    return this.autocommit(hooks.pendingDeliveries());
  }
  getUpload(orgId: string, siteId: string, submissionId: string, fileId: string) {
    return this.autocommit(forms.getUpload(orgId, siteId, submissionId, fileId));
  }
  uploadedBytes(siteId: string) {
    return this.autocommit(forms.uploadedBytes(siteId));
  }
  sitesWithRetention() {
    return this.autocommit(forms.sitesWithRetention());
  }
  deleteExpiredSubmissions(siteId: string, cutoff: string) {
    return this.transaction(forms.deleteExpiredSubmissions(siteId, cutoff));
  }
  spendPow(challenge: string, expiresAt: string) {
    return this.autocommit(forms.spendPow(challenge, expiresAt));
  }
  deletePowSpentBefore(time: string) {
    return this.autocommit(forms.deletePowSpentBefore(time));
  }

  addDomain(input: Parameters<Store['addDomain']>[0]) {
    return this.transaction(domains.addDomain(input));
  }
  listDomains(orgId: string, siteId: string) {
    return this.autocommit(domains.listDomains(orgId, siteId));
  }
  verifyDomain(orgId: string, siteId: string, domain: string, by: DomainVerification, now: string) {
    return this.transaction(domains.verifyDomain(orgId, siteId, domain, by, now));
  }
  removeDomain(orgId: string, siteId: string, domain: string) {
    return this.transaction(domains.removeDomain(orgId, siteId, domain));
  }
  findHostedByDomain(domain: string) {
    return this.autocommit(domains.findHostedByDomain(domain));
  }
  domainHolder(domain: string) {
    return this.autocommit(domains.domainHolder(domain));
  }
  isPendingDomainToken(domain: string, token: string) {
    return this.autocommit(domains.isPendingToken(domain, token));
  }
  counterValue(siteId: string, name: string) {
    return this.autocommit(extras.counterValue(siteId, name));
  }
  incrementCounter(siteId: string, name: string, maxPerSite: number, now: string) {
    return this.transaction(extras.incrementCounter(siteId, name, maxPerSite, now));
  }
  listCounters(orgId: string, siteId: string) {
    return this.autocommit(extras.listCounters(orgId, siteId));
  }
  resetCounter(orgId: string, siteId: string, name: string, now: string) {
    return this.transaction(extras.resetCounter(orgId, siteId, name, now));
  }
  deleteCounter(orgId: string, siteId: string, name: string) {
    return this.transaction(extras.deleteCounter(orgId, siteId, name));
  }
  sitePassword(siteId: string) {
    return this.autocommit(extras.sitePassword(siteId));
  }
  setSitePassword(orgId: string, siteId: string, hash: string | null, now: string) {
    return this.transaction(extras.setSitePassword(orgId, siteId, hash, now));
  }
  ogImage(siteId: string, version: number) {
    return this.autocommit(extras.ogImage(siteId, version));
  }
  saveOgImage(siteId: string, version: number, png: Uint8Array, now: string) {
    return this.transaction(extras.saveOgImage(siteId, version, png, now));
  }
}
