import type {
  AttemptOutcome,
  AttemptRecord,
  DeliveryRecord,
  FormSettingsRecord,
  NotifyBatch,
  NotifyRecipientRecord,
  OutboxEvent,
  UploadInput,
  UploadRecord,
  WebhookEventType,
  WebhookRecord,
  WebhookType,
} from './forms-records.js';

import type { OAuthStore } from './oauth-records.js';
import type { CounterRecord, SiteLock, SitePasswordRecord } from './extras-records.js';

export type * from './forms-records.js';
export type * from './extras-records.js';

// The store interface: domain-named operations the platform needs, implemented once on SQL
// (sql-store.ts) and run by each backend (sqlite.ts, postgres.ts). Every method that reads or
// changes an org's data takes the org id, so no route can forget to scope a query.
import type { Change } from './sql/steps.js';

export type { Change };

/** What a process's read caches are told by a store that other processes share (PostgreSQL). */
export interface ChangeWatcher {
  /** Another instance committed this change; null: something changed that this version cannot name (forget all). */
  changed(change: Change | null): void;
  /** false: changes may be missed, so cache nothing and forget everything; true: every change is heard again. */
  caching(on: boolean): void;
}

export interface UserRecord {
  id: string;
  email: string;
  createdAt: string;
}

export interface OrgRecord {
  id: string;
  name: string;
  parentId: string | null;
  createdAt: string;
}

export interface ApiKeyRecord {
  id: string;
  orgId: string;
  userId: string;
  name: string;
  preview: string;
  createdAt: string;
  lastUsedAt: string | null;
}

/** Who a request acts as, once its key has been verified. */
export interface KeyPrincipal {
  key: ApiKeyRecord;
  user: UserRecord;
  org: OrgRecord;
}

export interface SiteMetadata {
  title: string | null;
  description: string | null;
  favicon: string | null;
  isSpa: boolean;
}

export interface SiteRecord extends SiteMetadata {
  id: string;
  orgId: string;
  slug: string;
  latestVersion: number;
  liveVersion: number | null;
  /** Preview token of the newest version. */
  previewToken: string;
  submissionCount: number;
  createdAt: string;
  updatedAt: string;
  /** An anonymous site's end (SPEC section 14): past it the site is gone; null for every other site. */
  expiresAt: string | null;
}

/** The org anonymous sites belong to until claimed (created by the anonymous-deploys migration). */
export const ANONYMOUS_ORG_ID = 'org_anonymous';

/** An anonymous site's claim, as the store keeps it: the token only as its hash. */
export interface AnonymousClaimRecord {
  siteId: string;
  tokenHash: string;
  claimedAt: string | null;
  /** The site's expiry; null once claimed. */
  expiresAt: string | null;
}

export interface StoredFile {
  path: string;
  contentType: string;
  /** Strong validator of the bytes, quoted as an HTTP entity tag. */
  etag: string;
  body: Uint8Array;
  /**
   * The bytes as they were uploaded, when they differ from `body` (HTML before {{SUBMIT_URL}} and
   * the metadata were filled in): what patch_page edits. Absent: the upload is `body` itself.
   */
  source?: Uint8Array;
}

/** A file of a version as it was uploaded (its source), for patches. */
export interface SourceFile {
  path: string;
  contentType: string;
  body: Uint8Array;
}

export interface DeployInput {
  orgId: string;
  /** Used when the slug is new; ignored when the org already owns the slug. */
  newSiteId: string;
  /**
   * The site the files were built for (their form action names it): the org's site holding the slug,
   * or null for a new slug. When set and the slug's holder is no longer that site (a rename, delete or
   * first deploy elsewhere got there first, possibly on another instance), deploy throws the error
   * isSlugHolderChanged() recognises, and the caller looks the slug up again. Unset: no check.
   */
  expectedSiteId?: string | null;
  /**
   * Metadata the request left out and took from the holder's newest version (the files embed it).
   * When that version's values differ at write time (another deploy got in first), deploy throws
   * the isSlugHolderChanged() error too, and the caller looks again. Unset: no check.
   */
  inherited?: Partial<SiteMetadata>;
  /**
   * The newest version the files were made from (a patch): when the site's newest is another at
   * write time, deploy throws the isSlugHolderChanged() error. Unset: no check.
   */
  expectedLatest?: number;
  slug: string;
  metadata: SiteMetadata;
  previewToken: string;
  files: StoredFile[];
  publish: boolean;
  /** Active sites an org may hold (INVOKER_MAX_SITES). */
  maxSites: number;
  now: string;
  /** Told to the site's webhooks when this deploy publishes (the outbox row commits with it). */
  publishedEvent?: OutboxEvent;
  /**
   * An anonymous deploy (SPEC section 14): always a new site (a slug already held, by anyone, is a
   * conflict), gone at expiresAt unless claimed with the token whose hash is given.
   */
  anonymous?: { claimTokenHash: string; expiresAt: string; ipAddress: string | null };
}

export interface VersionRecord extends SiteMetadata {
  version: number;
  previewToken: string;
  fileCount: number;
  totalBytes: number;
  createdAt: string;
}

export interface SubmissionRecord {
  id: string;
  siteId: string;
  /** Field name → value (a string, or a list of strings for repeated fields). */
  data: Record<string, unknown>;
  ipAddress: string | null;
  createdAt: string;
}

export interface Page<T> {
  items: T[];
  /** Opaque cursor of the next page, or null on the last page. */
  nextCursor: string | null;
}

/** How a custom domain proved it is the site owner's: a DNS TXT record, or the HTTP token. */
export type DomainVerification = 'dns' | 'http';

/** A custom domain of a site (SPEC section 15): pending until verified. */
export interface DomainRecord {
  siteId: string;
  domain: string;
  /** What the TXT record or the HTTP token must hold. */
  token: string;
  createdAt: string;
  verifiedAt: string | null;
  verifiedBy: DomainVerification | null;
}

/** The bytes of one file of a hosted site, and how the site wants to be served. */
export interface HostedLookup {
  site: SiteRecord;
  version: number;
  /** The site's password when it has one, read with the site: every page request checks it. */
  lock: SiteLock | null;
}

/**
 * A browser login (SPEC section 6). pending: waiting for the email code; verified: the code matched,
 * the key is not handed out yet; consumed: the key went to the client; failed: too many wrong codes.
 */
export type LoginSessionStatus = 'pending' | 'verified' | 'consumed' | 'failed';

export interface LoginSessionRecord {
  id: string;
  clientName: string;
  status: LoginSessionStatus;
  email: string | null;
  /** Hash of the 6-digit email code currently valid, if one was sent. */
  codeHash: string | null;
  failedAttempts: number;
  userId: string | null;
  orgId: string | null;
  lastPolledAt: string | null;
  createdAt: string;
  expiresAt: string;
}

/** A signed-in dashboard browser: the cookie's token is stored only as a hash. */
export interface DashboardSessionRecord {
  id: string;
  userId: string;
  email: string;
  /** The organization selected in the UI: what `c` means on the dashboard. */
  orgId: string;
  csrfToken: string;
  expiresAt: string;
}

export interface Store extends OAuthStore {
  readonly kind: 'sqlite' | 'postgres';

  /** Finds the user by email (lower-cased), creating the user and a personal org on first sight. */
  ensureUser(email: string, now: string): Promise<{ user: UserRecord; org: OrgRecord; created: boolean }>;
  createApiKey(input: {
    id: string;
    orgId: string;
    userId: string;
    name: string;
    keyHash: string;
    preview: string;
    now: string;
  }): Promise<ApiKeyRecord>;
  /** The live (not revoked) key with this SHA-256 hash, with its user and org. */
  findPrincipalByKeyHash(keyHash: string): Promise<KeyPrincipal | null>;
  touchApiKey(keyId: string, now: string): Promise<void>;
  /** The org's live keys, oldest first. */
  listApiKeys(orgId: string): Promise<ApiKeyRecord[]>;
  /** Revokes one of the org's keys; false when the org has no such live key. */
  revokeApiKey(orgId: string, keyId: string, now: string): Promise<boolean>;

  getOrg(orgId: string): Promise<OrgRecord | null>;
  listSubOrgs(parentId: string): Promise<OrgRecord[]>;
  createSubOrg(input: { parentId: string; name: string; ownerUserId: string; now: string }): Promise<OrgRecord>;
  /** Deletes a sub-organization with its keys and sites; false when parentId has no such child. */
  deleteSubOrg(parentId: string, orgId: string): Promise<boolean>;
  /** Revokes one key; false when it does not exist or is already revoked. */
  revokeApiKeyById(keyId: string, now: string): Promise<boolean>;

  /** Secrets arrive hashed: the store never sees a session secret, user code or email code. */
  createLoginSession(input: {
    id: string;
    secretHash: string;
    userCodeHash: string;
    clientName: string;
    now: string;
    expiresAt: string;
  }): Promise<LoginSessionRecord>;
  findLoginSessionBySecretHash(secretHash: string): Promise<LoginSessionRecord | null>;
  findLoginSessionByUserCodeHash(userCodeHash: string): Promise<LoginSessionRecord | null>;
  /** Sets the email and the one valid code of a pending session (a new code replaces the old). */
  setLoginSessionCode(id: string, email: string, codeHash: string): Promise<boolean>;
  /** Counts a wrong code; the session fails at maxAttempts. Returns the session after the change. */
  recordLoginCodeFailure(id: string, maxAttempts: number): Promise<LoginSessionRecord | null>;
  /** pending → verified for this user and org, and the code is spent. False when not pending. */
  verifyLoginSession(id: string, userId: string, orgId: string): Promise<boolean>;
  touchLoginSessionPoll(id: string, now: string): Promise<void>;
  /** verified → consumed; true for exactly one caller, so the key is handed out once. */
  consumeLoginSession(id: string): Promise<boolean>;
  deleteLoginSessionsExpiredBefore(time: string): Promise<void>;

  /**
   * Creates the site for a new slug, or adds a version to the caller's site with that slug.
   * Throws AppError conflict when another org holds the slug, forbidden at the site limit.
   */
  deploy(input: DeployInput): Promise<SiteRecord>;
  getSite(orgId: string, siteId: string): Promise<SiteRecord | null>;
  /** Any org's site by id, for public form capture; never for owner routes. */
  findSiteById(siteId: string): Promise<SiteRecord | null>;
  /** Any org's site with this slug: slugs are global names. */
  findSiteBySlug(slug: string): Promise<SiteRecord | null>;

  /** The org's sites, newest first, by keyset cursor. */
  listSites(orgId: string, options: { limit: number; cursor: string | null }): Promise<Page<SiteRecord>>;
  listVersions(orgId: string, siteId: string): Promise<VersionRecord[] | null>;
  /** Makes a version live (the newest when version is null); null when the site or version is missing. */
  publish(orgId: string, siteId: string, version: number | null, now: string, event?: OutboxEvent): Promise<SiteRecord | null>;
  /** Throws AppError conflict when another site holds the slug; null when the site is missing. */
  renameSite(orgId: string, siteId: string, slug: string, now: string): Promise<SiteRecord | null>;
  /** An anonymous site's claim, or null when the site is not (or no longer) an anonymous one. */
  findAnonymousClaim(siteId: string): Promise<AnonymousClaimRecord | null>;
  /**
   * Moves an anonymous site into the org and ends its expiry, for exactly one caller holding the token
   * whose hash is given: 'taken' when it was claimed already, expired or is gone; 'limit' when the org
   * holds maxSites sites.
   */
  claimAnonymousSite(input: { siteId: string; tokenHash: string; orgId: string; maxSites: number; now: string }): Promise<SiteRecord | 'taken' | 'limit'>;
  /** Deletes up to `limit` sites whose expiry is at or before now, with everything in them; returns them. */
  deleteExpiredSites(now: string, limit: number): Promise<Array<{ id: string; slug: string }>>;
  /** Deletes the site with its versions, files and submissions; the slug is free at once. */
  deleteSite(orgId: string, siteId: string, event?: { event: OutboxEvent; now: string }): Promise<boolean>;

  /**
   * Stores a submission with its uploaded files (refused with too_large past maxSiteUploadBytes for
   * the site) and its webhook deliveries, all in one transaction; returns how many deliveries.
   */
  addSubmission(input: {
    id: string;
    siteId: string;
    data: Record<string, unknown>;
    ipAddress: string | null;
    now: string;
    files?: UploadInput[];
    maxSiteUploadBytes?: number;
    event?: OutboxEvent;
  }): Promise<number>;
  /** Newest first; page numbers start at 1. Null when the org has no such site. */
  listSubmissions(orgId: string, siteId: string, options: { page: number; limit: number }): Promise<{ items: SubmissionRecord[]; total: number } | null>;
  /** Every submission of the site, oldest first, in batches (for exports). */
  eachSubmission(orgId: string, siteId: string): AsyncIterable<SubmissionRecord>;
  /** Submissions per UTC day (`YYYY-MM-DD`) since an ISO time; days without any are absent. Null when the org has no such site. */
  submissionsPerDay(orgId: string, siteId: string, since: string): Promise<Array<{ day: string; count: number }> | null>;
  deleteSubmission(orgId: string, siteId: string, submissionId: string): Promise<boolean>;

  /** The site and version a host name serves: live when previewToken is null. */
  findHosted(slug: string, previewToken: string | null): Promise<HostedLookup | null>;
  getFile(siteId: string, version: number, path: string): Promise<StoredFile | null>;
  /** Every file of one of the org's versions as it was uploaded, by path; null when there is no such version. */
  versionSources(orgId: string, siteId: string, version: number): Promise<SourceFile[] | null>;

  createDashboardSession(input: {
    id: string;
    tokenHash: string;
    userId: string;
    orgId: string;
    csrfToken: string;
    now: string;
    expiresAt: string;
  }): Promise<void>;
  /** The live (unexpired) session with this token hash. */
  findDashboardSession(tokenHash: string, now: string): Promise<DashboardSessionRecord | null>;
  setDashboardSessionOrg(id: string, orgId: string): Promise<void>;
  deleteDashboardSession(id: string): Promise<void>;
  /** Top-level orgs the user owns, each followed by its sub-orgs. */
  listOrgsForUser(userId: string): Promise<OrgRecord[]>;

  // Forms people rely on (SPEC section 13) ------------------------------------------------------

  /** Any org's site (form capture reads them); every feature off for a site never set. */
  getFormSettings(siteId: string): Promise<FormSettingsRecord>;
  saveFormSettings(orgId: string, siteId: string, settings: Omit<FormSettingsRecord, 'siteId' | 'updatedAt'>, now: string): Promise<FormSettingsRecord | null>;
  listNotifyRecipients(orgId: string, siteId: string): Promise<NotifyRecipientRecord[] | null>;
  /** True when the address is new for the site. */
  addNotifyRecipient(siteId: string, email: string, tokenHash: string, now: string): Promise<boolean>;
  removeNotifyRecipient(siteId: string, email: string): Promise<void>;
  findNotifyRecipient(tokenHash: string): Promise<{ siteId: string; email: string; confirmed: boolean } | null>;
  confirmNotifyRecipient(tokenHash: string, now: string): Promise<{ siteId: string; email: string } | null>;
  /** Claims the sites whose unmailed submissions are due (last mail at or before cutoff). */
  claimNotifyBatches(cutoff: string, now: string): Promise<NotifyBatch[]>;
  submissionsBetween(siteId: string, fromSeq: number, toSeq: number, limit: number): Promise<SubmissionRecord[]>;

  createWebhook(input: {
    id: string;
    orgId: string;
    siteId: string;
    url: string;
    type: WebhookType;
    events: WebhookEventType[];
    secretSealed: string;
    maxPerSite: number;
    now: string;
  }): Promise<WebhookRecord | 'limit' | null>;
  listWebhooks(orgId: string, siteId: string): Promise<WebhookRecord[] | null>;
  /** Deletes it and its pending deliveries. */
  deleteWebhook(orgId: string, siteId: string, webhookId: string): Promise<boolean>;
  /** Newest first, each with its attempts; null when the org has no such site or webhook. */
  listDeliveries(orgId: string, siteId: string, webhookId: string, limit: number): Promise<Array<DeliveryRecord & { attemptList: AttemptRecord[] }> | null>;
  recentAttempts(webhookId: string, limit: number): Promise<AttemptRecord[]>;
  /** Leases due deliveries to one worker (PostgreSQL: SKIP LOCKED, so instances never share one). */
  claimDeliveries(input: { now: string; leaseUntil: string; token: string; limit: number }): Promise<DeliveryRecord[]>;
  /**
   * Records attempts in one transaction; per outcome, false when its lease was lost (nothing of it
   * is recorded then).
   */
  finishAttempts(outcomes: AttemptOutcome[]): Promise<boolean[]>;
  /** Frees every lease: for a backend only one process can open (SQLite), at its start. */
  releaseDeliveryLeases(): Promise<void>;
  deleteFinishedDeliveriesBefore(time: string): Promise<number>;
  pendingDeliveries(): Promise<number>;

  getUpload(orgId: string, siteId: string, submissionId: string, fileId: string): Promise<UploadRecord | null>;
  uploadedBytes(siteId: string): Promise<number>;
  sitesWithRetention(): Promise<Array<{ siteId: string; retentionDays: number }>>;
  /** Deletes the site's submissions (and files) created before cutoff; returns how many. */
  deleteExpiredSubmissions(siteId: string, cutoff: string): Promise<number>;
  /** True the first time; false when the challenge was spent already. */
  spendPow(challenge: string, expiresAt: string): Promise<boolean>;
  deletePowSpentBefore(time: string): Promise<number>;

  // Custom domains (SPEC section 15) --------------------------------------------------------------

  /**
   * Adds the domain to the org's site, pending (or returns the row the site has already). 'held':
   * another site holds it verified; 'limit': the site has maxPerSite domains; null: no such site.
   */
  addDomain(input: { orgId: string; siteId: string; domain: string; token: string; maxPerSite: number; now: string }): Promise<DomainRecord | 'held' | 'limit' | null>;
  /** The site's domains by name; null when the org has no such site. */
  listDomains(orgId: string, siteId: string): Promise<DomainRecord[] | null>;
  /** Verifies a pending domain of the site; 'held' when another site holds it verified; null when missing. */
  verifyDomain(orgId: string, siteId: string, domain: string, by: DomainVerification, now: string): Promise<DomainRecord | 'held' | null>;
  removeDomain(orgId: string, siteId: string, domain: string): Promise<boolean>;
  /** The site and live version a verified domain serves (hosting's hot path, cached). */
  findHostedByDomain(domain: string): Promise<HostedLookup | null>;
  /** The site holding the domain verified. */
  domainHolder(domain: string): Promise<{ siteId: string; orgId: string } | null>;
  /** Whether some site waits for the domain with this token (the HTTP check's answer). */
  isPendingDomainToken(domain: string, token: string): Promise<boolean>;

  // The hosted product's other features (SPEC section 14) -----------------------------------------

  /** Any org's site (a site host reads it); null for a name never incremented. */
  counterValue(siteId: string, name: string): Promise<number | null>;
  /** The value after one more; 'limit' when a new name would pass maxPerSite; null when the site is gone. */
  incrementCounter(siteId: string, name: string, maxPerSite: number, now: string): Promise<number | 'limit' | null>;
  /** By name; null when the org has no such site. */
  listCounters(orgId: string, siteId: string): Promise<CounterRecord[] | null>;
  /** Back to 0; null when the org has no such site or the site no such counter. */
  resetCounter(orgId: string, siteId: string, name: string, now: string): Promise<CounterRecord | null>;
  deleteCounter(orgId: string, siteId: string, name: string): Promise<boolean>;
  /** Any org's site: read on every request of a site host (cached). Null: never had one. */
  sitePassword(siteId: string): Promise<SitePasswordRecord | null>;
  /** Sets (a hash) or removes (null) the password, moving its version on; false when the org has no such site. */
  setSitePassword(orgId: string, siteId: string, hash: string | null, now: string): Promise<boolean>;
  /** The social preview image rendered for a version, once. */
  ogImage(siteId: string, version: number): Promise<Uint8Array | null>;
  saveOgImage(siteId: string, version: number, png: Uint8Array, now: string): Promise<void>;

  /**
   * Backends shared by several processes: tells the watcher of every change another process commits,
   * and when changes may be missed (until they are heard again), until close(). Caching starts off:
   * the first caching(true) comes once the store listens.
   */
  watchChanges?(watcher: ChangeWatcher): Promise<void>;

  close(): Promise<void>;
}
