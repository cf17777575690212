// Read caches in front of any Store, for the hot paths: serving site pages, verifying API keys, and
// the slug lookup every deploy starts with. Every mutation that could change a cached answer goes
// through this class and clears what it affects (only that site's or that key's entries: a change to
// one site never costs another site its cache), so a publish, delete or revocation takes effect on
// the very next request in this process.
//
// The main tables hold only what exists. Anyone can ask for random subdomains and paths, so misses
// live in small tables of their own: a flood of them evicts other misses, never a real site's pages.
//
// Several processes sharing one database (PostgreSQL, `shared`): another instance's change arrives as
// a notification (changed()), which clears that site's or key's entries as a local change would. The
// store says when notifications may be missed (caching(false): its listening connection is down or
// its heartbeat is late); until caching(true), nothing is cached and everything is read from the
// database. Shared caches start off: the first caching(true) comes once the store listens. A read
// that was under way when anything was cleared is not cached (it may have read the old row).
// Version files are cached throughout: a version never changes, and a deleted site is no longer
// found, so its files are never asked for. Every other method passes straight through; the compiler
// makes a new Store method choose.
import { LruCache } from '../lru.js';
import type { AttemptOutcome, OutboxEvent } from './forms-records.js';
import type { OAuthStore } from './oauth-records.js';
import type {
  ApiKeyRecord,
  Change,
  ChangeWatcher,
  DashboardSessionRecord,
  DeployInput,
  DomainVerification,
  HostedLookup,
  KeyPrincipal,
  LoginSessionRecord,
  OrgRecord,
  Page,
  SitePasswordRecord,
  SiteRecord,
  SourceFile,
  Store,
  StoredFile,
  SubmissionRecord,
  UserRecord,
  VersionRecord,
} from './store.js';

export interface CacheLimits {
  /** Bytes of file bodies kept in memory. */
  fileBytes: number;
  entries: number;
  /** Entries of each table of misses (hosts and paths that do not exist). */
  misses: number;
}

export interface CacheOptions {
  /** Several processes share the database: cache only while the store hears their changes. */
  shared: boolean;
}

const DEFAULT_LIMITS: CacheLimits = { fileBytes: 64 * 1024 * 1024, entries: 10_000, misses: 2_000 };

const hostKey = (slug: string, previewToken: string | null) => `${slug}\u0000${previewToken ?? ''}`;
/** Custom domains share the hosted tables; a NUL first keeps them apart from slugs. */
const domainKey = (domain: string) => `\u0000${domain}`;
/**
 * The tag of every domain's miss. A verified domain of a site not published yet is a miss too, and
 * which domains a site has is not known here: any site's change forgets them all (a bounded table).
 */
const DOMAIN_MISSES = '\u0000domains';
const fileKey = (siteId: string, version: number, path: string) => `${siteId}\u0000${version}\u0000${path}`;

export class CachedStore implements Store, ChangeWatcher {
  readonly kind: Store['kind'];
  /** findHosted by host (the site, its version and its password), tagged with the site's id. */
  private readonly hosted: LruCache<string, HostedLookup>;
  /** Hosts that serve nothing, tagged with their slug. */
  private readonly hostMisses: LruCache<string, true>;
  /** findSiteBySlug by slug (every deploy looks its slug up first), tagged with the site's id. */
  private readonly bySlug: LruCache<string, SiteRecord>;
  /** A version's files, tagged with the site's id. */
  private readonly files: LruCache<string, StoredFile>;
  /** Paths a version does not have, tagged with the site's id. */
  private readonly fileMisses: LruCache<string, true>;
  /**
   * Verified credentials by hash, tagged with the credential's id: API keys today; the place for
   * any other bearer credential (OAuth grants) whose revocation must reach every instance.
   */
  private readonly principals: LruCache<string, KeyPrincipal>;
  /** Rendered social preview images by version (immutable, like files), tagged with the site's id. */
  private readonly ogImages: LruCache<string, Uint8Array>;
  private readonly shared: boolean;
  /** Lookups are cached only while true: always for one process, while the store listens when shared. */
  private enabled: boolean;
  /** Bumped by everything that clears: a read that started before must not be cached. */
  private epoch = 0;
  /** Bumped by other processes' changes (and caching off/on): see deploy(). */
  private foreign = 0;

  constructor(
    private readonly inner: Store,
    limits: CacheLimits = DEFAULT_LIMITS,
    options: CacheOptions = { shared: false },
  ) {
    this.kind = inner.kind;
    this.shared = options.shared;
    this.enabled = !options.shared;
    this.hosted = new LruCache(limits.entries);
    this.hostMisses = new LruCache(limits.misses);
    this.bySlug = new LruCache(limits.entries);
    this.files = new LruCache(limits.entries, limits.fileBytes, (f) => f.body.byteLength);
    this.fileMisses = new LruCache(limits.misses);
    this.principals = new LruCache(limits.entries);
    this.ogImages = new LruCache(limits.misses, limits.fileBytes / 8, (png) => png.byteLength);
  }

  /** Follows the changes of other processes, when the store has any (PostgreSQL). */
  async follow(): Promise<void> {
    await this.inner.watchChanges?.(this);
  }

  // ChangeWatcher: what other processes changed ---------------------------------------------------

  changed(change: Change | null): void {
    this.foreign++;
    switch (change?.kind) {
      case 'site':
        return this.forgetSite(change.siteId, ...change.slugs);
      case 'key':
        return this.forgetKey(change.keyId);
      case 'org':
        return this.forgetOrg(change.orgId);
      case 'domain':
        return this.forgetDomain(change.domain);
      default:
        // A change this version cannot name (another version's instance): forget everything.
        return this.forgetAll();
    }
  }

  caching(on: boolean): void {
    this.foreign++;
    this.forgetAll();
    this.enabled = on;
  }

  private forgetAll(): void {
    this.epoch++;
    this.hosted.clear();
    this.hostMisses.clear();
    this.bySlug.clear();
    this.principals.clear();
  }

  /** After a change to one site: its own entries, and the misses of the slugs it now answers for. */
  private forgetSite(siteId: string | null | undefined, ...slugs: string[]): void {
    this.epoch++;
    if (siteId) {
      this.hosted.deleteTag(siteId);
      this.bySlug.deleteTag(siteId);
    }
    for (const slug of slugs) {
      this.bySlug.delete(slug);
      this.hostMisses.deleteTag(slug);
      // The slug's live host may have answered for another site (an expired one a deploy replaced).
      this.hosted.delete(hostKey(slug, null));
    }
    this.hostMisses.deleteTag(DOMAIN_MISSES);
  }

  /** After a domain was verified or removed: what it served, and its miss. */
  private forgetDomain(domain: string): void {
    this.epoch++;
    this.hosted.delete(domainKey(domain));
    this.hostMisses.delete(domainKey(domain));
  }

  private forgetKey(keyId: string): void {
    this.epoch++;
    this.principals.deleteTag(keyId);
  }

  /** The only change that touches many sites and keys at once: found by their org. */
  private forgetOrg(orgId: string): void {
    const sites = new Set<string>();
    for (const [, h] of this.hosted.entries()) if (h.site.orgId === orgId) sites.add(h.site.id);
    for (const [, site] of this.bySlug.entries()) if (site.orgId === orgId) sites.add(site.id);
    for (const siteId of sites) this.forgetDeletedSite(siteId);
    this.epoch++;
    this.principals.deleteWhere((_, p) => p.org.id === orgId);
  }

  private forgetDeletedSite(siteId: string): void {
    this.forgetSite(siteId);
    this.files.deleteTag(siteId);
    this.fileMisses.deleteTag(siteId);
    this.ogImages.deleteTag(siteId);
  }

  /** Reads through to the store, caching the answer only if nothing was cleared meanwhile. */
  private async readThrough<T>(read: Promise<T>, keep: (found: T) => void): Promise<T> {
    const epoch = this.epoch;
    const found = await read;
    if (this.enabled && this.epoch === epoch) keep(found);
    return found;
  }

  // Hot paths -----------------------------------------------------------------------------------

  async findHosted(slug: string, previewToken: string | null): Promise<HostedLookup | null> {
    if (!this.enabled) return this.inner.findHosted(slug, previewToken);
    const key = hostKey(slug, previewToken);
    const cached = this.hosted.get(key);
    if (cached !== undefined) return cached;
    if (this.hostMisses.has(key)) return null;
    return this.readThrough(this.inner.findHosted(slug, previewToken), (found) => {
      if (found) this.hosted.set(key, found, found.site.id);
      else this.hostMisses.set(key, true, slug);
    });
  }

  /** Like findHosted: tagged with the site (its changes clear it), a miss with the domain's own key. */
  async findHostedByDomain(domain: string): Promise<HostedLookup | null> {
    if (!this.enabled) return this.inner.findHostedByDomain(domain);
    const key = domainKey(domain);
    const cached = this.hosted.get(key);
    if (cached !== undefined) return cached;
    if (this.hostMisses.has(key)) return null;
    return this.readThrough(this.inner.findHostedByDomain(domain), (found) => {
      if (found) this.hosted.set(key, found, found.site.id);
      else this.hostMisses.set(key, true, DOMAIN_MISSES);
    });
  }

  async findSiteBySlug(slug: string): Promise<SiteRecord | null> {
    if (!this.enabled) return this.inner.findSiteBySlug(slug);
    const cached = this.bySlug.get(slug);
    if (cached !== undefined) return cached;
    // Misses are not cached: a deploy of a new slug looks it up once, just before creating it. When
    // shared, the record's submission count may be behind (another instance's submissions are not
    // announced); no answer reads it from here: a deploy answers with the record its write returns.
    return this.readThrough(this.inner.findSiteBySlug(slug), (found) => found && this.bySlug.set(slug, found, found.id));
  }

  async getFile(siteId: string, version: number, path: string): Promise<StoredFile | null> {
    // Versions are immutable: a version's file never changes; it only goes away with its site.
    const key = fileKey(siteId, version, path);
    const cached = this.files.get(key);
    if (cached !== undefined) return cached;
    if (this.fileMisses.has(key)) return null;
    const found = await this.inner.getFile(siteId, version, path);
    if (found) this.files.set(key, found, siteId);
    else this.fileMisses.set(key, true, siteId);
    return found;
  }

  async findPrincipalByKeyHash(keyHash: string): Promise<KeyPrincipal | null> {
    if (!this.enabled) return this.inner.findPrincipalByKeyHash(keyHash);
    const cached = this.principals.get(keyHash);
    if (cached) return cached;
    // Unknown hashes are not cached: a flood of bad keys must not push good ones out.
    return this.readThrough(this.inner.findPrincipalByKeyHash(keyHash), (found) => found && this.principals.set(keyHash, found, found.key.id));
  }

  async touchApiKey(keyId: string, now: string): Promise<void> {
    await this.inner.touchApiKey(keyId, now);
    // Another instance's touch is not announced: each instance writes last_used_at at most once a minute.
    for (const [hash, p] of [...this.principals.tagEntries(keyId)]) {
      this.principals.set(hash, { ...p, key: { ...p.key, lastUsedAt: now } }, keyId);
    }
  }

  // Mutations that invalidate -----------------------------------------------------------------------

  async revokeApiKey(orgId: string, keyId: string, now: string): Promise<boolean> {
    const revoked = await this.inner.revokeApiKey(orgId, keyId, now);
    this.forgetKey(keyId);
    return revoked;
  }

  async revokeApiKeyById(keyId: string, now: string): Promise<boolean> {
    const revoked = await this.inner.revokeApiKeyById(keyId, now);
    this.forgetKey(keyId);
    return revoked;
  }

  async deleteSubOrg(parentId: string, orgId: string): Promise<boolean> {
    const deleted = await this.inner.deleteSubOrg(parentId, orgId);
    this.forgetOrg(orgId);
    return deleted;
  }

  async deploy(input: DeployInput): Promise<SiteRecord> {
    const foreign = this.foreign;
    let site: SiteRecord;
    try {
      site = await this.inner.deploy(input);
    } catch (e) {
      // A refused deploy may mean the slug's holder changed: the caller's next lookup must be fresh.
      this.forgetSite(input.expectedSiteId, input.slug);
      throw e;
    }
    this.forgetSite(site.id, site.slug);
    // Concurrent deploys of a slug resolve in commit order, so the last one set is the newest. When
    // shared, only if no other process's change arrived meanwhile: one that committed after this
    // deploy may have been heard before it returned (notifications come in commit order, so one
    // heard later clears this entry).
    if (this.enabled && (!this.shared || this.foreign === foreign)) this.bySlug.set(site.slug, site, site.id);
    return site;
  }

  async publish(orgId: string, siteId: string, version: number | null, now: string, event?: OutboxEvent): Promise<SiteRecord | null> {
    const site = await this.inner.publish(orgId, siteId, version, now, event);
    this.forgetSite(siteId, ...(site ? [site.slug] : []));
    return site;
  }

  async renameSite(orgId: string, siteId: string, slug: string, now: string): Promise<SiteRecord | null> {
    const site = await this.inner.renameSite(orgId, siteId, slug, now);
    this.forgetSite(siteId, slug);
    return site;
  }

  async deleteSite(orgId: string, siteId: string, event?: { event: OutboxEvent; now: string }): Promise<boolean> {
    const deleted = await this.inner.deleteSite(orgId, siteId, event);
    this.forgetDeletedSite(siteId);
    return deleted;
  }

  async claimAnonymousSite(input: Parameters<Store['claimAnonymousSite']>[0]): Promise<SiteRecord | 'taken' | 'limit'> {
    const site = await this.inner.claimAnonymousSite(input);
    // Its org and expiry changed: every cached record of it is stale.
    this.forgetSite(input.siteId, ...(typeof site === 'object' ? [site.slug] : []));
    return site;
  }

  async deleteExpiredSites(now: string, limit: number): Promise<Array<{ id: string; slug: string }>> {
    const deleted = await this.inner.deleteExpiredSites(now, limit);
    for (const site of deleted) {
      this.forgetDeletedSite(site.id);
      this.forgetSite(null, site.slug);
    }
    return deleted;
  }

  findAnonymousClaim(siteId: string) {
    return this.inner.findAnonymousClaim(siteId);
  }

  async addSubmission(input: Parameters<Store['addSubmission']>[0]): Promise<number> {
    const queued = await this.inner.addSubmission(input);
    // A site record carries its submission count (hosted lookups carry one too, but serve no count).
    this.bySlug.deleteTag(input.siteId);
    return queued;
  }

  async deleteSubmission(orgId: string, siteId: string, submissionId: string): Promise<boolean> {
    const deleted = await this.inner.deleteSubmission(orgId, siteId, submissionId);
    this.bySlug.deleteTag(siteId);
    return deleted;
  }

  async deleteExpiredSubmissions(siteId: string, cutoff: string): Promise<number> {
    const deleted = await this.inner.deleteExpiredSubmissions(siteId, cutoff);
    if (deleted > 0) this.bySlug.deleteTag(siteId);
    return deleted;
  }

  async verifyDomain(orgId: string, siteId: string, domain: string, by: DomainVerification, now: string) {
    const verified = await this.inner.verifyDomain(orgId, siteId, domain, by, now);
    this.forgetDomain(domain);
    return verified;
  }

  async removeDomain(orgId: string, siteId: string, domain: string): Promise<boolean> {
    const removed = await this.inner.removeDomain(orgId, siteId, domain);
    this.forgetDomain(domain);
    return removed;
  }

  // Pass-through ------------------------------------------------------------------------------------

  addDomain(input: Parameters<Store['addDomain']>[0]) {
    return this.inner.addDomain(input);
  }
  listDomains(orgId: string, siteId: string) {
    return this.inner.listDomains(orgId, siteId);
  }
  domainHolder(domain: string) {
    return this.inner.domainHolder(domain);
  }
  isPendingDomainToken(domain: string, token: string) {
    return this.inner.isPendingDomainToken(domain, token);
  }

  getFormSettings(siteId: string) {
    return this.inner.getFormSettings(siteId);
  }
  saveFormSettings(orgId: string, siteId: string, settings: Parameters<Store['saveFormSettings']>[2], now: string) {
    return this.inner.saveFormSettings(orgId, siteId, settings, now);
  }
  listNotifyRecipients(orgId: string, siteId: string) {
    return this.inner.listNotifyRecipients(orgId, siteId);
  }
  addNotifyRecipient(siteId: string, email: string, tokenHash: string, now: string) {
    return this.inner.addNotifyRecipient(siteId, email, tokenHash, now);
  }
  removeNotifyRecipient(siteId: string, email: string) {
    return this.inner.removeNotifyRecipient(siteId, email);
  }
  findNotifyRecipient(tokenHash: string) {
    return this.inner.findNotifyRecipient(tokenHash);
  }
  confirmNotifyRecipient(tokenHash: string, now: string) {
    return this.inner.confirmNotifyRecipient(tokenHash, now);
  }
  claimNotifyBatches(cutoff: string, now: string) {
    return this.inner.claimNotifyBatches(cutoff, now);
  }
  submissionsBetween(siteId: string, fromSeq: number, toSeq: number, limit: number) {
    return this.inner.submissionsBetween(siteId, fromSeq, toSeq, limit);
  }
  createWebhook(input: Parameters<Store['createWebhook']>[0]) {
    return this.inner.createWebhook(input);
  }
  listWebhooks(orgId: string, siteId: string) {
    return this.inner.listWebhooks(orgId, siteId);
  }
  deleteWebhook(orgId: string, siteId: string, webhookId: string) {
    return this.inner.deleteWebhook(orgId, siteId, webhookId);
  }
  listDeliveries(orgId: string, siteId: string, webhookId: string, limit: number) {
    return this.inner.listDeliveries(orgId, siteId, webhookId, limit);
  }
  recentAttempts(webhookId: string, limit: number) {
    return this.inner.recentAttempts(webhookId, limit);
  }
  claimDeliveries(input: Parameters<Store['claimDeliveries']>[0]) {
    return this.inner.claimDeliveries(input);
  }
  finishAttempts(outcomes: AttemptOutcome[]) {
    return this.inner.finishAttempts(outcomes);
  }
  releaseDeliveryLeases() {
    return this.inner.releaseDeliveryLeases();
  }
  deleteFinishedDeliveriesBefore(time: string) {
    return this.inner.deleteFinishedDeliveriesBefore(time);
  }
  pendingDeliveries() {
    return this.inner.pendingDeliveries();
  }
  getUpload(orgId: string, siteId: string, submissionId: string, fileId: string) {
    return this.inner.getUpload(orgId, siteId, submissionId, fileId);
  }
  uploadedBytes(siteId: string) {
    return this.inner.uploadedBytes(siteId);
  }
  sitesWithRetention() {
    return this.inner.sitesWithRetention();
  }
  spendPow(challenge: string, expiresAt: string) {
    return this.inner.spendPow(challenge, expiresAt);
  }
  deletePowSpentBefore(time: string) {
    return this.inner.deletePowSpentBefore(time);
  }

  ensureUser(email: string, now: string): Promise<{ user: UserRecord; org: OrgRecord; created: boolean }> {
    return this.inner.ensureUser(email, now);
  }
  createApiKey(input: Parameters<Store['createApiKey']>[0]): Promise<ApiKeyRecord> {
    return this.inner.createApiKey(input);
  }
  listApiKeys(orgId: string): Promise<ApiKeyRecord[]> {
    return this.inner.listApiKeys(orgId);
  }
  getOrg(orgId: string): Promise<OrgRecord | null> {
    return this.inner.getOrg(orgId);
  }
  listSubOrgs(parentId: string): Promise<OrgRecord[]> {
    return this.inner.listSubOrgs(parentId);
  }
  createSubOrg(input: Parameters<Store['createSubOrg']>[0]): Promise<OrgRecord> {
    return this.inner.createSubOrg(input);
  }
  getSite(orgId: string, siteId: string): Promise<SiteRecord | null> {
    return this.inner.getSite(orgId, siteId);
  }
  findSiteById(siteId: string): Promise<SiteRecord | null> {
    return this.inner.findSiteById(siteId);
  }
  listSites(orgId: string, options: { limit: number; cursor: string | null }): Promise<Page<SiteRecord>> {
    return this.inner.listSites(orgId, options);
  }
  listVersions(orgId: string, siteId: string): Promise<VersionRecord[] | null> {
    return this.inner.listVersions(orgId, siteId);
  }
  versionSources(orgId: string, siteId: string, version: number): Promise<SourceFile[] | null> {
    return this.inner.versionSources(orgId, siteId, version);
  }
  listSubmissions(
    orgId: string,
    siteId: string,
    options: { page: number; limit: number },
  ): Promise<{ items: SubmissionRecord[]; total: number } | null> {
    return this.inner.listSubmissions(orgId, siteId, options);
  }
  eachSubmission(orgId: string, siteId: string): AsyncIterable<SubmissionRecord> {
    return this.inner.eachSubmission(orgId, siteId);
  }
  submissionsPerDay(orgId: string, siteId: string, since: string): Promise<Array<{ day: string; count: number }> | null> {
    return this.inner.submissionsPerDay(orgId, siteId, since);
  }
  createLoginSession(input: Parameters<Store['createLoginSession']>[0]): Promise<LoginSessionRecord> {
    return this.inner.createLoginSession(input);
  }
  findLoginSessionBySecretHash(secretHash: string): Promise<LoginSessionRecord | null> {
    return this.inner.findLoginSessionBySecretHash(secretHash);
  }
  findLoginSessionByUserCodeHash(userCodeHash: string): Promise<LoginSessionRecord | null> {
    return this.inner.findLoginSessionByUserCodeHash(userCodeHash);
  }
  setLoginSessionCode(id: string, email: string, codeHash: string): Promise<boolean> {
    return this.inner.setLoginSessionCode(id, email, codeHash);
  }
  recordLoginCodeFailure(id: string, maxAttempts: number): Promise<LoginSessionRecord | null> {
    return this.inner.recordLoginCodeFailure(id, maxAttempts);
  }
  verifyLoginSession(id: string, userId: string, orgId: string): Promise<boolean> {
    return this.inner.verifyLoginSession(id, userId, orgId);
  }
  touchLoginSessionPoll(id: string, now: string): Promise<void> {
    return this.inner.touchLoginSessionPoll(id, now);
  }
  consumeLoginSession(id: string): Promise<boolean> {
    return this.inner.consumeLoginSession(id);
  }
  deleteLoginSessionsExpiredBefore(time: string): Promise<void> {
    return this.inner.deleteLoginSessionsExpiredBefore(time);
  }
  createDashboardSession(input: Parameters<Store['createDashboardSession']>[0]): Promise<void> {
    return this.inner.createDashboardSession(input);
  }
  findDashboardSession(tokenHash: string, now: string): Promise<DashboardSessionRecord | null> {
    return this.inner.findDashboardSession(tokenHash, now);
  }
  setDashboardSessionOrg(id: string, orgId: string): Promise<void> {
    return this.inner.setDashboardSessionOrg(id, orgId);
  }
  deleteDashboardSession(id: string): Promise<void> {
    return this.inner.deleteDashboardSession(id);
  }
  listOrgsForUser(userId: string): Promise<OrgRecord[]> {
    return this.inner.listOrgsForUser(userId);
  }
  close(): Promise<void> {
    return this.inner.close();
  }

  // OAuth rows are never cached (oauth-records.ts): a revoked grant fails on the next request everywhere.
  createOAuthClient(input: Parameters<OAuthStore['createOAuthClient']>[0]) {
    return this.inner.createOAuthClient(input);
  }
  getOAuthClient(id: string) {
    return this.inner.getOAuthClient(id);
  }
  createOAuthCode(input: Parameters<OAuthStore['createOAuthCode']>[0]) {
    return this.inner.createOAuthCode(input);
  }
  redeemOAuthCode(codeHash: string, now: string) {
    return this.inner.redeemOAuthCode(codeHash, now);
  }
  createOAuthGrant(input: Parameters<OAuthStore['createOAuthGrant']>[0]) {
    return this.inner.createOAuthGrant(input);
  }
  findOAuthToken(tokenHash: string) {
    return this.inner.findOAuthToken(tokenHash);
  }
  rotateOAuthRefreshToken(input: Parameters<OAuthStore['rotateOAuthRefreshToken']>[0]) {
    return this.inner.rotateOAuthRefreshToken(input);
  }
  revokeOAuthGrant(grantId: string, userId: string | null, now: string) {
    return this.inner.revokeOAuthGrant(grantId, userId, now);
  }
  touchOAuthGrant(grantId: string, now: string) {
    return this.inner.touchOAuthGrant(grantId, now);
  }
  listOAuthGrants(userId: string) {
    return this.inner.listOAuthGrants(userId);
  }

  // The hosted product's other features (SPEC section 14) -----------------------------------------

  counterValue(siteId: string, name: string) {
    return this.inner.counterValue(siteId, name);
  }
  incrementCounter(siteId: string, name: string, maxPerSite: number, now: string) {
    return this.inner.incrementCounter(siteId, name, maxPerSite, now);
  }
  listCounters(orgId: string, siteId: string) {
    return this.inner.listCounters(orgId, siteId);
  }
  resetCounter(orgId: string, siteId: string, name: string, now: string) {
    return this.inner.resetCounter(orgId, siteId, name, now);
  }
  deleteCounter(orgId: string, siteId: string, name: string) {
    return this.inner.deleteCounter(orgId, siteId, name);
  }

  /** Not cached: hosting reads a site's password with the site (HostedLookup), this is the dashboard's read. */
  sitePassword(siteId: string): Promise<SitePasswordRecord | null> {
    return this.inner.sitePassword(siteId);
  }

  async setSitePassword(orgId: string, siteId: string, hash: string | null, now: string): Promise<boolean> {
    const done = await this.inner.setSitePassword(orgId, siteId, hash, now);
    this.forgetSite(siteId);
    return done;
  }

  async ogImage(siteId: string, version: number): Promise<Uint8Array | null> {
    // A version's image never changes once kept; it goes away with its site.
    const key = `${siteId}\u0000${version}`;
    const cached = this.ogImages.get(key);
    if (cached !== undefined) return cached;
    const found = await this.inner.ogImage(siteId, version);
    if (found) this.ogImages.set(key, found, siteId);
    return found;
  }

  saveOgImage(siteId: string, version: number, png: Uint8Array, now: string) {
    return this.inner.saveOgImage(siteId, version, png, now);
  }
}
