// The dashboard's words for what to do next: its pages, not the API's routes. A service's error
// carries its problem and next step (services/next-steps.ts); the dashboard shows the problem with
// these words instead of the API's.
import { toAppError } from 'invoker-mcp/errors.js';
import { nextStepOf, type NextStep } from '../../services/next-steps.js';

const DASHBOARD_NEXT_STEPS: Record<NextStep, string> = {
  find_site: 'Go back to the Sites page.',
  find_version: 'Reload the page to see the versions there are.',
  find_submission: 'It may be deleted already: reload the page.',
  find_key: 'It may be revoked already.',
  find_sub_org: 'Reload the Organizations page.',
  find_org: 'Pick one from the menu.',
  use_parent_org: 'Switch to the parent organization first.',
};

/** The message a dashboard page shows for an error. */
export function dashboardMessage(e: unknown): string {
  const error = toAppError(e);
  const step = nextStepOf(error);
  return step ? `${step.problem} ${DASHBOARD_NEXT_STEPS[step.nextStep]}` : error.message;
}

