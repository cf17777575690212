// How a pending browser login is described to the model, by `login` and by any tool that needed a
// key: the URL and code in full (a person reads the conversation), and the next step.
import type { LoginPrompt } from '../auth/login-flow.js';

export function pendingLoginText(prompt: LoginPrompt, nextStep: string): string {
  const minutes = Math.max(1, Math.round((prompt.expiresAt - Date.now()) / 60_000));
  const where = prompt.browserOpened
    ? `A sign-in page opened in the browser (if it did not, open ${prompt.verificationUrl}).`
    : `Ask the user to open ${prompt.verificationUrl} in a browser.`;
  return (
    `${where} Check that it shows the code ${prompt.userCode}, enter an email address, then the 6-digit code mailed to it. ` +
    `The link works for about ${minutes} more minutes. ${nextStep}`
  );
}
