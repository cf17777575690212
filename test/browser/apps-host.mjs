// A real MCP Apps host in the page, for test/e2e/site-card.test.ts: the ext-apps SDK's AppBridge
// (its host side) with the view in a sandboxed frame under the CSP the resource asked for, as hosts
// render them. Tool calls from the view go to window.hostCallTool, which the test wires to the MCP
// client of the spawned stdio server; links the view asks to open are recorded. Bundled for the
// browser by the test (rolldown); plain JavaScript, since the repository's TypeScript has no DOM.
import { AppBridge, PostMessageTransport } from '@modelcontextprotocol/ext-apps/app-bridge';

window.openedLinks = [];

/** Renders the view `html` for one tool call: its input, then its result. */
window.startHost = async ({ html, frameDomains, toolInput, toolResult }) => {
  const csp = [
    "default-src 'none'",
    "script-src 'unsafe-inline'",
    "style-src 'unsafe-inline'",
    'img-src data:',
    `frame-src ${frameDomains.join(' ')}`,
  ].join('; ');
  const frame = document.createElement('iframe');
  frame.setAttribute('sandbox', 'allow-scripts');
  frame.title = 'Invoker site card';
  frame.id = 'view';
  frame.style.cssText = 'display:block;width:100%;height:600px;border:1px solid #ccc';
  frame.srcdoc = html.replace(/<head>/i, `<head><meta http-equiv="Content-Security-Policy" content="${csp}">`);
  document.getElementById('host').append(frame);
  const bridge = new AppBridge(null, { name: 'invoker-test-host', version: '1.0.0' }, { openLinks: {}, serverTools: {} });
  bridge.oncalltool = (params) => window.hostCallTool(params);
  bridge.onopenlink = async ({ url }) => {
    window.openedLinks.push(url);
    return {};
  };
  bridge.onsizechange = ({ height }) => {
    if (height) frame.style.height = `${Math.ceil(height)}px`;
  };
  const initialized = new Promise((resolve) => (bridge.oninitialized = resolve));
  await bridge.connect(new PostMessageTransport(frame.contentWindow, frame.contentWindow));
  await initialized;
  await bridge.sendToolInput({ arguments: toolInput });
  await bridge.sendToolResult(toolResult);
  return true;
};
