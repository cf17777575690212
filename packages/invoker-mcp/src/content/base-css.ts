// CSS every composed page gets: reset, layout, type, buttons, cards, forms, focus and the skip
// link. It reads only the variables from styles.ts, so one stylesheet serves every preset.
// Layouts use wrapping flex and auto-fit grids, never fixed widths, so 360 px has no side scroll.
export const BASE_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--text);font:1rem/1.6 var(--font);overflow-wrap:break-word}
h1,h2,h3{font-family:var(--font-heading);line-height:1.15;margin:0 0 var(--s-2);overflow-wrap:anywhere}
h1{font-size:var(--fs-1);letter-spacing:-.02em}
h2{font-size:var(--fs-2);letter-spacing:-.01em}
h3{font-size:var(--fs-3)}
p{margin:0 0 var(--s-2)}
a{color:var(--primary);text-underline-offset:.2em}
img{max-width:100%;height:auto}
:focus-visible{outline:3px solid var(--primary);outline-offset:3px}
.skip{position:absolute;left:var(--s-1);top:-100px;z-index:10;background:var(--primary);color:var(--on-primary);padding:var(--s-1) var(--s-2);border-radius:var(--radius)}
.skip:focus{top:var(--s-1)}
main:focus{outline:none}
.wrap{width:100%;max-width:72rem;margin:0 auto;padding:0 clamp(1rem,4vw,2rem)}
.narrow{max-width:44rem}
.section{padding:var(--s-section) 0}
.section.alt{background:var(--surface)}
:is(.section,.hero):not(.alt,.cta)+.section:not(.alt,.cta){padding-top:0}
.center{text-align:center}
.lead{font-size:1.15rem;color:var(--muted);max-width:40rem}
.center .lead{margin-left:auto;margin-right:auto}
.muted{color:var(--muted)}
.small{font-size:var(--fs-small)}
.btn{display:inline-flex;align-items:center;justify-content:center;gap:.5em;min-height:2.75rem;padding:.6em 1.4em;border:var(--border-width) solid var(--primary);border-radius:var(--radius);background:var(--primary);color:var(--on-primary);font:inherit;font-weight:600;text-decoration:none;cursor:pointer}
.btn:hover{filter:brightness(1.1)}
.btn.ghost{background:transparent;color:var(--primary)}
.actions{display:flex;flex-wrap:wrap;gap:var(--s-1);margin-top:var(--s-3)}
.center .actions{justify-content:center}
.grid{display:grid;gap:var(--s-3);grid-template-columns:repeat(auto-fit,minmax(min(100%,15rem),1fr))}
.card{background:var(--surface);border:var(--border-width) solid var(--border);border-radius:var(--radius);padding:var(--s-3)}
.section.alt .card{background:var(--bg)}
.list{list-style:none;margin:0;padding:0}
.visually-hidden{position:absolute!important;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
@media (prefers-reduced-motion:reduce){*{scroll-behavior:auto!important;transition:none!important}}
`;

export const FORM_CSS = `
.form{display:grid;gap:var(--s-2);max-width:36rem}
.center .form{margin-left:auto;margin-right:auto;text-align:left}
.field{display:grid;gap:.35rem}
.field label,.form legend{font-weight:600}
.form input:not([type=checkbox]):not([type=radio]),.form select,.form textarea{width:100%;min-height:2.75rem;padding:.6rem .8rem;border:var(--border-width) solid var(--muted);border-radius:var(--radius);background:var(--bg);color:var(--text);font:inherit}
.form textarea{min-height:7rem;resize:vertical}
.form fieldset{border:var(--border-width) solid var(--border);border-radius:var(--radius);padding:var(--s-2);margin:0}
.choice{display:flex;gap:.5rem;align-items:center;min-height:2rem}
.choice input{width:1.2rem;height:1.2rem;accent-color:var(--primary)}
.inline-form{display:flex;flex-wrap:wrap;gap:var(--s-1);align-items:end}
.inline-form .field{flex:1 1 14rem}
.req{color:var(--muted);font-weight:400}
.hp{position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden}
`;
