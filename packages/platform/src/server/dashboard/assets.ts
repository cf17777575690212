// The dashboard's stylesheet and its one small script, served from the platform origin so the CSP
// can forbid inline script and style entirely. Everything works without the script; it only adds
// "copy to clipboard" buttons.

export const DASHBOARD_CSS = `
:root{--bg:#f8fafc;--card:#fff;--text:#0f172a;--muted:#475569;--line:#e2e8f0;--accent:#1d4ed8;--accent-text:#fff;--danger:#b91c1c;--ok:#166534;--radius:10px}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--text)}
a{color:var(--accent)}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,summary:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem}
.skip:focus{left:.5rem;top:.5rem;z-index:10}
header.top{background:#0f172a;color:#fff}
header.top .bar{max-width:72rem;margin:0 auto;padding:.75rem 1rem;display:flex;flex-wrap:wrap;gap:.75rem 1.5rem;align-items:center}
header.top a{color:#fff;text-decoration:none}
header.top nav{display:flex;flex-wrap:wrap;gap:1rem}
header.top nav a[aria-current=page]{text-decoration:underline;text-underline-offset:4px}
.brand{font-weight:700}
.who{margin-left:auto;display:flex;gap:.75rem;align-items:center;flex-wrap:wrap;font-size:.9rem}
.who form{margin:0}
.who label{margin:0;color:#cbd5e1;font-weight:400}
.who select{width:auto}
main{max-width:72rem;margin:0 auto;padding:1.5rem 1rem 3rem}
h1{font-size:1.6rem;margin:.25rem 0 1rem}
h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:1rem 1.25rem;margin:0 0 1rem}
.muted{color:var(--muted)}
.notice{border-left:4px solid var(--accent);background:#eff6ff;padding:.75rem 1rem;border-radius:6px;margin:0 0 1rem}
.notice.error{border-color:var(--danger);background:#fef2f2}
.notice.ok{border-color:var(--ok);background:#f0fdf4}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;background:var(--card)}
th,td{text-align:left;padding:.5rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:.85rem;color:var(--muted);font-weight:600}
td.data{white-space:pre-wrap;word-break:break-word;font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.85rem}
form.inline{display:inline}
label{display:block;font-weight:600;margin:.5rem 0 .25rem}
input[type=text],input[type=email],select{width:100%;max-width:24rem;padding:.55rem .65rem;border:1px solid #94a3b8;border-radius:6px;font:inherit}
input.code{font-size:1.4rem;letter-spacing:.3rem;max-width:12rem}
button,.button{display:inline-block;font:inherit;padding:.5rem .9rem;border-radius:6px;border:1px solid var(--accent);background:var(--accent);color:var(--accent-text);cursor:pointer;text-decoration:none;margin:.25rem 0}
button.secondary,.button.secondary{background:#fff;color:var(--accent)}
button.danger{background:var(--danger);border-color:var(--danger)}
.key{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:1rem;background:#0f172a;color:#f8fafc;padding:.75rem;border-radius:6px;word-break:break-all;display:block;margin:.5rem 0}
pre.key{white-space:pre-wrap;overflow-wrap:anywhere}
.row{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
.pager{display:flex;gap:1rem;align-items:center;margin:1rem 0}
.user-code{font:700 1.75rem/1.2 ui-monospace,SFMono-Regular,Menlo,monospace;letter-spacing:.15em;margin:.5rem 0}
main.narrow{max-width:30rem}
main.narrow input[type=email],main.narrow input:not([type]){width:100%;max-width:none;padding:.55rem .65rem;border:1px solid #94a3b8;border-radius:6px;font:inherit}
td a{overflow-wrap:anywhere}
.empty{color:var(--muted)}
.chart{display:block;width:100%;max-width:40rem;height:auto}
.chart .bar{fill:var(--accent)}
.chart .axis{stroke:var(--line)}
.chart text{font-size:16px;fill:var(--muted)}
@media (max-width:40rem){th.wide,td.wide{display:none}h1{font-size:1.35rem}}
`;

export const DASHBOARD_JS = `
document.querySelectorAll('[data-copy]').forEach(function (button) {
  button.hidden = false;
  button.addEventListener('click', function () {
    var target = document.getElementById(button.getAttribute('data-copy'));
    if (!target || !navigator.clipboard) return;
    navigator.clipboard.writeText(target.textContent.trim()).then(function () {
      button.textContent = 'Copied';
    });
  });
});
`;
