// The proof-of-work widget a page's forms carry when `form_protection: "pow"` is asked (SPEC
// section 13): inline, no external request but to the form's own submit URL. On submit it fetches an
// ALTCHA challenge from `{form action}/challenge`, finds the number whose SHA-256 with the salt is
// the challenge (Web Crypto), and posts the form with the solution in the `altcha` field, as the
// ALTCHA widget does; the platform verifies it with altcha-lib. Without JavaScript the post is
// refused by a site that requires proof of work, and the <noscript> line says why.
export const POW_SCRIPT = `(()=>{const hex=b=>[...new Uint8Array(b)].map(x=>x.toString(16).padStart(2,'0')).join('');
async function solve(c){const enc=new TextEncoder();for(let n=0;n<=(c.maxnumber||1e6);n++){if(hex(await crypto.subtle.digest('SHA-256',enc.encode(c.salt+n)))===c.challenge)return n}return null}
document.querySelectorAll('form[data-pow]').forEach(f=>f.addEventListener('submit',async e=>{if(f.dataset.solved)return;e.preventDefault();
const b=f.querySelector('[type=submit]');const s=f.querySelector('.pow-status');if(b)b.disabled=true;if(s)s.textContent='Checking you are not a robot…';
try{const c=await (await fetch(f.action.replace(/\\/$/,'')+'/challenge')).json();const n=await solve(c);if(n===null)throw new Error('unsolved');
let i=f.querySelector('input[name=altcha]');if(!i){i=document.createElement('input');i.type='hidden';i.name='altcha';f.append(i)}
i.value=btoa(JSON.stringify({algorithm:c.algorithm,challenge:c.challenge,number:n,salt:c.salt,signature:c.signature}));f.dataset.solved='1';if(s)s.textContent='';f.submit()}
catch(err){if(s)s.textContent='Could not check this form: try again.';if(b)b.disabled=false}}))})();`;

/** Under a protected form: where the widget says what it is doing, and what needs JavaScript. */
export const POW_NOTE = '<p class="pow-status small muted" role="status" aria-live="polite"></p><noscript><p class="small">This form needs JavaScript (it checks that you are not a robot).</p></noscript>';
