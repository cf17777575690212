import { describe, expect, it } from 'vitest';
import { createLogMailer, renderLoginMail } from './mailer.js';

const mail = { to: 'me@example.com', code: '042917', link: 'http://localhost:8787/auth/login?code=BCDF-GHJK', clientName: 'Claude <Desktop>', userCode: 'BCDF-GHJK', expiresIn: '15 minutes' };

describe('login mail', () => {
  it('carries the code and the link in both the text and the HTML part, escaped in HTML', () => {
    const m = renderLoginMail(mail);
    expect(m.subject).toContain('042917');
    for (const part of [m.text, m.html]) {
      expect(part).toContain('042917');
      expect(part).toContain(mail.link);
    }
    expect(m.html).toContain('Claude &lt;Desktop&gt;');
    // The lifetime comes from the setting, never a literal.
    expect(m.text).toContain('expires in 15 minutes');
    expect(m.html).toContain('expires in 15 minutes');
    expect(m.html).not.toContain('<Desktop>');
  });

  it('development mode writes the code and link to the log and says how to send real mail', async () => {
    const lines: string[] = [];
    const mailer = createLogMailer({ info: () => {}, warn: (l) => lines.push(l), error: () => {} });
    await mailer.sendLoginCode(mail);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('042917');
    expect(lines[0]).toContain(mail.link);
    expect(lines[0]).toContain('INVOKER_SMTP_URL');
  });
});
