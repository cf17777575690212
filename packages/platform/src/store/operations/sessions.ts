// Browser logins (SPEC section 6) and dashboard sessions: each store operation once, for both
// backends. Secrets arrive hashed; the store never sees a session secret, user code or email code.
import { toDashboardSession, toLoginSession } from '../shared.js';
import { dashboardSessions, loginSessions } from '../sql/statements.js';
import { get, run, write, type Op } from '../sql/steps.js';
import type { DashboardSessionRecord, LoginSessionRecord, Store } from '../store.js';

export function* createLoginSession(input: Parameters<Store['createLoginSession']>[0]): Op<LoginSessionRecord> {
  yield* write(loginSessions.insert, input.id, input.secretHash, input.userCodeHash, input.clientName, input.now, input.expiresAt);
  return (yield* loginSession('id', input.id)) as LoginSessionRecord;
}

const BY = { id: loginSessions.byId, secretHash: loginSessions.bySecretHash, userCodeHash: loginSessions.byUserCodeHash };

export function* loginSession(by: keyof typeof BY, value: string): Op<LoginSessionRecord | null> {
  const row = yield* get(BY[by], value);
  return row ? toLoginSession(row) : null;
}

export function* setLoginSessionCode(id: string, email: string, codeHash: string): Op<boolean> {
  return (yield* run(loginSessions.setCode, email, codeHash, id)) === 1;
}

export function* recordLoginCodeFailure(id: string, maxAttempts: number): Op<LoginSessionRecord | null> {
  yield* write(loginSessions.codeFailed, maxAttempts, maxAttempts, id);
  return yield* loginSession('id', id);
}

export function* verifyLoginSession(id: string, userId: string, orgId: string): Op<boolean> {
  return (yield* run(loginSessions.verify, userId, orgId, id)) === 1;
}

export function* touchLoginSessionPoll(id: string, now: string): Op<void> {
  yield* write(loginSessions.polled, now, id);
}

export function* consumeLoginSession(id: string): Op<boolean> {
  return (yield* run(loginSessions.consume, id)) === 1;
}

export function* deleteLoginSessionsExpiredBefore(time: string): Op<void> {
  yield* write(loginSessions.deleteExpired, time);
}

export function* createDashboardSession(input: Parameters<Store['createDashboardSession']>[0]): Op<void> {
  yield* write(dashboardSessions.deleteExpired, input.now);
  yield* write(dashboardSessions.insert, input.id, input.tokenHash, input.userId, input.orgId, input.csrfToken, input.now, input.expiresAt);
}

export function* findDashboardSession(tokenHash: string, now: string): Op<DashboardSessionRecord | null> {
  const row = yield* get(dashboardSessions.live, tokenHash, now);
  return row ? toDashboardSession(row) : null;
}

export function* setDashboardSessionOrg(id: string, orgId: string): Op<void> {
  yield* write(dashboardSessions.setOrg, orgId, id);
}

export function* deleteDashboardSession(id: string): Op<void> {
  yield* write(dashboardSessions.delete, id);
}
