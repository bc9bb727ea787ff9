// Measure 1: Sentinel analytics rules from the corpus that Microsoft's parser accepts load and validate.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { QueryEngine } from '../../src/engine/engine.js';
import { validateRuleFiles, type RuleFileReport } from '../../src/detect/rules/validate.js';

const CORPUS = path.resolve(import.meta.dirname, '../../../shared/corpus/kql');
/** Share of reference-accepted rules that must validate (the measure). */
const FLOOR = 0.95;

interface IndexEntry { file: string; repo: string; path: string }
interface ReferenceCheck { id: string; semantic_ok: boolean }

function jsonl<T>(file: string): T[] {
  return readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as T);
}

let engine: QueryEngine;
let accepted: RuleFileReport[];
let rejectedByReference: RuleFileReport[];

before(async () => {
  engine = await QueryEngine.open();
  const reference = new Map(jsonl<ReferenceCheck>(path.join(CORPUS, 'reference-check.jsonl')).map((r) => [r.id, r]));
  const index = jsonl<IndexEntry>(path.join(CORPUS, 'rules/index.jsonl'));
  const ok = (e: IndexEntry) => reference.get(`${e.repo}:${e.path}`)?.semantic_ok === true;
  accepted = await validateRuleFiles(index.filter(ok).map((e) => path.join(CORPUS, e.file)), engine);
  rejectedByReference = await validateRuleFiles(index.filter((e) => !ok(e)).map((e) => path.join(CORPUS, e.file)), engine);
});

after(() => engine.close());

function reasonCounts(reports: RuleFileReport[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of reports.filter((x) => !x.valid)) {
    const reason = r.errors[0]!.reason ?? `field ${r.errors[0]!.field.replace(/\[\d+\]/g, '[]')}`;
    counts[reason] = (counts[reason] ?? 0) + 1;
  }
  return counts;
}

test(`at least ${FLOOR * 100}% of the rules Microsoft's parser accepts validate and load`, () => {
  const valid = accepted.filter((r) => r.valid).length;
  const warned = accepted.filter((r) => r.valid && r.warnings.length).length;
  console.log(`rules accepted by the reference parser: ${accepted.length}; valid here: ${valid} (${((100 * valid) / accepted.length).toFixed(1)}%), of which ${warned} with warnings`);
  console.log('rejections by reason:', reasonCounts(accepted));
  for (const r of accepted.filter((x) => !x.valid)) console.log(`  ${path.basename(r.file)}: ${r.errors[0]!.field}: ${r.errors[0]!.message}`);
  assert.ok(accepted.length >= 160, `expected the corpus's ${accepted.length} reference-accepted rules to be there`);
  assert.ok(valid / accepted.length >= FLOOR, `${valid}/${accepted.length} valid is below the ${FLOOR * 100}% floor`);
});

test('every rule the reference parser rejects is rejected here, naming what is missing', () => {
  console.log('reference-rejected rules by our reason:', reasonCounts(rejectedByReference));
  for (const r of rejectedByReference) {
    assert.equal(r.valid, false, `${path.basename(r.file)} validated, but Microsoft's parser rejects its query`);
    const e = r.errors[0]!;
    assert.ok(e.field && e.message, `${path.basename(r.file)}: an error without field or message`);
    if (e.reason === 'table' || e.reason === 'column' || e.reason === 'function') {
      assert.match(e.message, /The name '[^']+' does not refer to any known/, `${path.basename(r.file)}: ${e.message}`);
      assert.ok(e.line && e.line > 1, `${path.basename(r.file)}: the query error has no line in the file`);
    }
  }
});

test('every rejection names the file, the field and (for located problems) the line', () => {
  for (const r of [...accepted, ...rejectedByReference].filter((x) => !x.valid)) {
    for (const e of r.errors) {
      assert.ok(r.file.endsWith('.yaml'));
      assert.ok(e.field.length > 0);
      if (e.field !== 'id' || !/is required/.test(e.message)) assert.ok(typeof e.line === 'number', `${path.basename(r.file)} ${e.field}: no line`);
    }
  }
});
