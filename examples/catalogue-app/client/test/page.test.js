'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { render, renderError } = require('../src/page.js');

test('renders datasets with their tags, escaped', () => {
  const html = render([{ title: 'Budget <2024>', tags: ['finances', 'état'] }], { version: 'abc123', migration: '0001' });
  assert.match(html, /<strong>Budget &#60;2024&#62;<\/strong> <span class="tag">finances<\/span> <span class="tag">état<\/span>/);
  assert.match(html, /1 jeu\(x\) de données/);
  assert.match(html, /api abc123 · migration 0001/);
});

test('an unreachable API is said, not hidden', () => {
  assert.match(renderError('connect ECONNREFUSED'), /API indisponible : connect ECONNREFUSED/);
});
