#!/usr/bin/env node
// katex.js - render a report page's equations at build time, so the page needs no JavaScript
// and no network: ```math fences (cmark-gfm: <pre><code class="language-math">) become display
// equations and `$...$` code spans inline ones, by KaTeX from Debian's katex package; KaTeX's
// stylesheet and its woff2 fonts (Debian's fonts-katex) are copied to katex/ beside the page.
// usage: scripts/katex.js PAGE.html   (rewritten in place, via a temporary file and a rename)
'use strict';
const fs = require('fs');
const path = require('path');
let katex;
try { katex = require('katex'); } catch (e) {
  try { katex = require('/usr/share/nodejs/katex'); } catch (e2) {
    console.error('katex.js: cannot load KaTeX (Debian package katex: scripts/deps.sh report)');
    process.exit(1);
  }
}
if (process.argv.length !== 3) { console.error('usage: scripts/katex.js PAGE.html'); process.exit(2); }
const page = process.argv[2];
let html;
try { html = fs.readFileSync(page, 'utf8'); } catch (e) { console.error(`katex.js: cannot read ${page}: ${e.message}`); process.exit(1); }

const unescape = s => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
let n = 0;
function render(tex, display) {
  n++;
  try {
    // the MathML stays for screen readers; its TeX annotation goes, so no raw TeX is left in the page
    return katex.renderToString(unescape(tex).trim(), { displayMode: display, throwOnError: true, output: 'htmlAndMathml', strict: 'warn' })
      .replace(/<annotation encoding="application\/x-tex">[\s\S]*?<\/annotation>/g, '');
  } catch (e) {
    console.error(`katex.js: ${page}: equation ${n} (${display ? 'display' : 'inline'}): ${e.message.split('\n')[0]}`);
    process.exit(1);
  }
}
html = html.replace(/<pre><code class="language-math">([\s\S]*?)<\/code><\/pre>/g, (m, tex) => `<div class="math-display">${render(tex, true)}</div>`);
html = html.replace(/<code>\$([^<$]+)\$<\/code>/g, (m, tex) => render(tex, false));

if (n > 0) {
  // Debian: /usr/share/javascript/katex (fonts: a link to fonts-katex's); npm: the module's dist/
  const dists = ['/usr/share/javascript/katex', '/usr/share/nodejs/katex/dist'];
  try { dists.push(path.join(path.dirname(require.resolve('katex')), 'dist')); } catch (e) { /* Debian's path only */ }
  const dist = dists.find(d => fs.existsSync(path.join(d, 'katex.min.css')) && fs.existsSync(path.join(d, 'fonts')));
  if (!dist) { console.error('katex.js: no katex.min.css with fonts/ (Debian packages katex, fonts-katex)'); process.exit(1); }
  const out = path.join(path.dirname(page), 'katex');
  fs.mkdirSync(path.join(out, 'fonts'), { recursive: true });
  // copied only when different, so that an unchanged page leaves its folder's files untouched
  const copy = (from, to) => {
    const data = fs.readFileSync(from);
    if (!fs.existsSync(to) || !fs.readFileSync(to).equals(data)) fs.writeFileSync(to, data);
  };
  copy(path.join(dist, 'katex.min.css'), path.join(out, 'katex.min.css'));
  for (const f of fs.readdirSync(path.join(dist, 'fonts'))) {
    if (f.endsWith('.woff2')) copy(path.join(dist, 'fonts', f), path.join(out, 'fonts', f));
  }
  if (!html.includes('href="katex/katex.min.css"'))
    html = html.replace('</head>', '<link rel="stylesheet" href="katex/katex.min.css">\n</head>');
}
const tmp = `${page}.tmp.${process.pid}`;
fs.writeFileSync(tmp, html);
fs.renameSync(tmp, page);
