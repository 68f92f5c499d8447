'use strict';

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function render(datasets, health) {
  const items = datasets.map((d) => `    <li><strong>${escape(d.title)}</strong> ${d.tags.map((t) => `<span class="tag">${escape(t)}</span>`).join(' ')}</li>`);
  return `<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><title>Catalogue</title></head>
<body>
  <h1>Catalogue</h1>
  <p>${datasets.length} jeu(x) de données</p>
  <ul>
${items.join('\n')}
  </ul>
  <footer>api ${escape(health.version)} · migration ${escape(health.migration)}</footer>
</body>
</html>
`;
}

function renderError(message) {
  return `<!doctype html>\n<html lang="fr"><head><meta charset="utf-8"><title>Catalogue</title></head>
<body><h1>Catalogue</h1><p>API indisponible : ${escape(message)}</p></body></html>\n`;
}

module.exports = { render, renderError };
