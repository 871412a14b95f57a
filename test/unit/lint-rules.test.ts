/** The determinism rules really bite: workflow code that imports I/O or reads randomness fails lint. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/** Lint an in-memory file with the project's config (type information off: these rules need none). */
function ruleIds(code: string, filePath: string): string[] {
  const r = spawnSync(
    path.join(ROOT, 'node_modules', '.bin', 'eslint'),
    ['--stdin', '--stdin-filename', filePath, '--format', 'json', '--parser-options', 'projectService:false', '--rule', '@typescript-eslint/no-floating-promises:off'],
    { cwd: ROOT, input: code, encoding: 'utf8' },
  );
  const [result] = JSON.parse(r.stdout) as { messages: { ruleId: string | null; message: string }[] }[];
  return result.messages.map((m) => m.ruleId ?? m.message);
}

test.each([
  ["import fs from 'node:fs';\nexport const f = fs;", 'no-restricted-imports'],
  ["import mongoose from 'mongoose';\nexport const m = mongoose;", 'no-restricted-imports'],
  ["import express from 'express';\nexport const e = express;", 'no-restricted-imports'],
  ["import { BpmnModdle } from 'bpmn-moddle';\nexport const b = BpmnModdle;", 'no-restricted-imports'],
  ["import { createActivities } from '../activities';\nexport const c = createActivities;", 'no-restricted-imports'],
  ["import { compileBpmn } from '../definitions/compiler';\nexport const c = compileBpmn;", 'no-restricted-imports'],
  ['export const r = Math.random();', 'no-restricted-properties'],
  ['setTimeout(() => undefined, 10);', 'no-restricted-globals'],
])('under workflows/, %j is refused by %s', (code, rule) => {
  expect(ruleIds(code, 'workflows/probe.ts')).toContain(rule);
});

test('type-only imports of activities stay allowed in workflows, and I/O is fine outside them', () => {
  expect(ruleIds("import type { createActivities } from '../activities';\nexport type A = typeof createActivities;", 'workflows/probe.ts')).toEqual([]);
  expect(ruleIds("import fs from 'node:fs';\nexport const f = fs;", 'activities/probe.ts')).toEqual([]);
});

test('the statute catalogue enters the workflow bundle, and imports nothing itself', () => {
  expect(ruleIds("import { REASONS } from '../definitions/statute';\nexport const r = REASONS;", 'workflows/probe.ts')).toEqual([]);
  expect(ruleIds("import { FIELD_LABELS } from '../definitions/labels';\nexport const l = FIELD_LABELS;", 'workflows/probe.ts')).toEqual([]);
  // Pure data: anything they imported would enter the deterministic sandbox with them.
  const fs = require('node:fs') as typeof import('node:fs');
  for (const f of ['statute.ts', 'labels.ts']) {
    const imports = fs.readFileSync(path.join(ROOT, 'definitions', f), 'utf8').match(/^import (?!type ).*$/gm) ?? [];
    // labels.ts reads the statute beside it; nothing else.
    expect(imports.filter((i) => !i.endsWith("from './statute';"))).toEqual([]);
  }
});
