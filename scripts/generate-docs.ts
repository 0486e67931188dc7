// Writes docs/rules/<code>.md and the rule table in README.md from the rule registry.
// `npm run docs` regenerates; a test fails when the committed files are stale.
import { writeFileSync } from 'node:fs';
import { renderGeneratedDocs } from '../src/rules/generated-docs';

for (const file of renderGeneratedDocs()) writeFileSync(file.path, file.content);
console.log('docs/rules and the README rule table are up to date');
