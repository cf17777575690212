// An error says what to do next (STYLE.md), and where to do it depends on who reads it: the API and
// the MCP tools name routes and tools, the dashboard names its pages. A service throws one error that
// carries the problem and the name of the next step; its message is the API's wording, and a
// surface with its own words (server/dashboard/next-steps.ts) renders the problem with those.
import { AppError, type ErrorCode } from 'invoker-mcp/errors.js';

/** Each next step in the API's words (what HTTP clients and the MCP tools read). */
export const API_NEXT_STEPS = {
  find_site: 'Check the id with list_deploys (GET /deploys).',
  find_version: 'List versions with GET /deploy/{id}/versions.',
  find_submission: 'List submissions with GET /submissions/{deploy_id}.',
  find_key: 'List keys with GET /orgs/c/api-keys.',
  find_sub_org: 'List them with GET /orgs/c/orgs.',
  find_org: 'Use "c" for your key\'s own organization, or an id from list_orgs (GET /orgs/c/orgs).',
  use_parent_org: 'Create it under the parent organization instead.',
} as const;

export type NextStep = keyof typeof API_NEXT_STEPS;

interface StepDetails {
  problem: string;
  nextStep: NextStep;
}

/** An AppError whose message is the problem and the next step in the API's words. */
export function failure(code: ErrorCode, problem: string, nextStep: NextStep): AppError {
  const details: StepDetails = { problem, nextStep };
  return new AppError(code, `${problem} ${API_NEXT_STEPS[nextStep]}`, details as unknown as Record<string, unknown>);
}

/** The problem and next step an error was made with (failure()), or null for any other error. */
export function nextStepOf(error: AppError): StepDetails | null {
  const { problem, nextStep } = error.details;
  if (typeof problem !== 'string' || typeof nextStep !== 'string' || !Object.hasOwn(API_NEXT_STEPS, nextStep)) return null;
  return { problem, nextStep: nextStep as NextStep };
}

export const siteNotFound = (): AppError => failure('not_found', 'Deployment not found.', 'find_site');
