/** The draft diff: clause-level, refined to characters; exact, deterministic and fast on long texts. */
import { diffDrafts, splitClauses, type DiffResult } from '../../server/review/diff';

const V1 = [
  '第一条 为规范本县城镇老旧小区改造工作，制定本办法。',
  '第二条 改造申请人应当在公告发布之日起三十日内提交申请材料。',
  '第三条 县住房和城乡建设局负责组织实施。',
  '第四条 本办法自发布之日起施行。',
].join('\n');

/** The two texts a diff must give back: equal + delete is before, equal + insert is after. */
function sides(r: DiffResult) {
  return {
    before: r.segments.filter((s) => s.op !== 'insert').map((s) => s.text).join(''),
    after: r.segments.filter((s) => s.op !== 'delete').map((s) => s.text).join(''),
  };
}

function exact(before: string, after: string): DiffResult {
  const r = diffDrafts(before, after);
  expect(sides(r)).toEqual({ before, after });
  // Neighbouring segments never share an op, and none is empty.
  r.segments.forEach((s, i) => {
    expect(s.text).not.toBe('');
    if (i > 0) expect(s.op).not.toBe(r.segments[i - 1].op);
  });
  // Each changed clause points at an insertion or deletion.
  for (const c of r.changedClauses) expect(r.segments[c.segment].op).not.toBe('equal');
  expect(r.stats.changedClauses).toBe(r.changedClauses.length);
  return r;
}

test('clauses are cut after 。；！？ and line breaks, keeping delimiters and closing quotes', () => {
  const text = '第一章　总则\n第一条 总则。\n他说：“应当公开。”然后呢？好！甲；乙\r\n丙';
  const parts = splitClauses(text);
  expect(parts.map((c) => c.text)).toEqual(['第一章　总则\n', '第一条 总则。\n', '他说：“应当公开。”', '然后呢？', '好！', '甲；', '乙\r\n', '丙']);
  expect(parts.map((c) => c.text).join('')).toBe(text);
  for (const c of parts) expect(text.slice(c.start, c.end)).toBe(c.text);
  expect(splitClauses('')).toEqual([]);
});

test('a one-character change inside a clause is a small edit, not a replaced sentence', () => {
  const v2 = V1.replace('三十日', '十五日');
  const r = exact(V1, v2);
  expect(r.segments.filter((s) => s.op !== 'equal')).toEqual([
    { op: 'delete', text: '三十' },
    { op: 'insert', text: '十五' },
  ]);
  expect(r.stats).toEqual({ inserted: 2, deleted: 2, changedClauses: 1 });
  expect(r.changedClauses).toEqual([{ kind: 'modified', before: 1, after: 1, segment: 1 }]);
  expect(r.segments[0]).toEqual({ op: 'equal', text: `${V1.split('\n')[0]}\n第二条 改造申请人应当在公告发布之日起` });

  // A single inserted character with nothing to fold: exactly that character.
  const one = exact('应当在三十日内提交。', '应当在三十个日内提交。');
  expect(one.segments).toEqual([
    { op: 'equal', text: '应当在三十' },
    { op: 'insert', text: '个' },
    { op: 'equal', text: '日内提交。' },
  ]);
});

test('an inserted clause is one insertion, located by its clause index', () => {
  const lines = V1.split('\n');
  const added = '第三条之一 改造资金由县财政统筹安排。';
  const v2 = [...lines.slice(0, 3), added, lines[3]].join('\n');
  const r = exact(V1, v2);
  expect(r.segments.filter((s) => s.op !== 'equal')).toEqual([{ op: 'insert', text: `${added}\n` }]);
  expect(r.changedClauses).toEqual([{ kind: 'inserted', before: null, after: 3, segment: 1 }]);
  expect(r.stats).toEqual({ inserted: [...added].length + 1, deleted: 0, changedClauses: 1 });
  expect(r.clauses).toEqual({ before: 4, after: 5 });
});

test('a deleted clause is one deletion', () => {
  const lines = V1.split('\n');
  const v2 = [lines[0], lines[1], lines[3]].join('\n');
  const r = exact(V1, v2);
  expect(r.segments.filter((s) => s.op !== 'equal')).toEqual([{ op: 'delete', text: `${lines[2]}\n` }]);
  expect(r.changedClauses).toEqual([{ kind: 'deleted', before: 2, after: null, segment: 1 }]);
  expect(r.stats.deleted).toBe([...lines[2]].length + 1);
});

test('an unrelated replacement clause is shown whole, not as character noise', () => {
  const lines = V1.split('\n');
  const v2 = [lines[0], lines[1], '第三条 违反本办法规定的，由有关部门依法处理。', lines[3]].join('\n');
  const r = exact(V1, v2);
  expect(r.segments.filter((s) => s.op !== 'equal').map((s) => s.op)).toEqual(['delete', 'insert']);
  expect(r.changedClauses.map((c) => c.kind)).toEqual(['deleted', 'inserted']);
});

test('changes in several clauses are each listed, in order, for jumping', () => {
  const v2 = V1.replace('三十日', '十五日').replace('组织实施', '牵头组织实施').replace('第一条 ', '第一条　');
  const r = exact(V1, v2);
  expect(r.changedClauses.map((c) => [c.kind, c.before, c.after])).toEqual([
    ['modified', 0, 0],
    ['modified', 1, 1],
    ['modified', 2, 2],
  ]);
  const segs = r.changedClauses.map((c) => c.segment);
  expect(segs).toEqual([...segs].sort((a, b) => a - b));
  expect(new Set(segs).size).toBe(3);
  expect(r.segments[r.changedClauses[2].segment]).toEqual({ op: 'insert', text: '牵头' });
});

test('identical texts: one equal segment, no changes', () => {
  const r = exact(V1, V1);
  expect(r.segments).toEqual([{ op: 'equal', text: V1 }]);
  expect(r.stats).toEqual({ inserted: 0, deleted: 0, changedClauses: 0 });
  expect(r.changedClauses).toEqual([]);
});

test('empty inputs', () => {
  expect(diffDrafts('', '')).toEqual({ segments: [], stats: { inserted: 0, deleted: 0, changedClauses: 0 }, changedClauses: [], clauses: { before: 0, after: 0 } });
  const grown = exact('', V1);
  expect(grown.segments).toEqual([{ op: 'insert', text: V1 }]);
  expect(grown.stats.changedClauses).toBe(4);
  expect(grown.changedClauses.map((c) => c.kind)).toEqual(['inserted', 'inserted', 'inserted', 'inserted']);
  const gone = exact(V1, '');
  expect(gone.segments).toEqual([{ op: 'delete', text: V1 }]);
  expect(gone.stats.deleted).toBe([...V1].length);
});

test('characters outside the BMP count as one and are never split', () => {
  const r = exact('地名𠀀村应当备案。', '地名𠀁村应当备案。');
  expect(r.segments.filter((s) => s.op !== 'equal')).toEqual([
    { op: 'delete', text: '𠀀' },
    { op: 'insert', text: '𠀁' },
  ]);
  expect(r.stats).toEqual({ inserted: 1, deleted: 1, changedClauses: 1 });
});

test('deterministic, and exact on many pseudo-random edits', () => {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const alphabet = [...'应当取得许可费日三十。，；\n𠀀'];
  const gen = (n: number) => Array.from({ length: n }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('');
  for (let t = 0; t < 500; t++) {
    const a = gen(Math.floor(rnd() * 80));
    const chars = [...a];
    for (let e = Math.floor(rnd() * 6); e > 0; e--) {
      const p = Math.floor(rnd() * (chars.length + 1));
      if (rnd() < 0.5) chars.splice(p, 1);
      else chars.splice(p, 0, alphabet[Math.floor(rnd() * alphabet.length)]);
    }
    const b = chars.join('');
    const r = exact(a, b);
    expect(diffDrafts(a, b)).toEqual(r);
    expect(r.stats.changedClauses === 0).toBe(a === b);
  }
});

/** About 50,000 characters of clauses. */
function longDraft(): string {
  const out: string[] = [];
  for (let i = 1; out.join('\n').length < 50_000; i++) out.push(`第${i}条 申请人应当在${(i % 28) + 1}日内向县${['住建', '市场监管', '自然资源'][i % 3]}局提交第${i}项材料，逾期不予受理。`);
  return out.join('\n');
}

test('a 50,000-character draft with scattered edits completes and finds exactly those edits', () => {
  const before = longDraft();
  expect(before.length).toBeGreaterThanOrEqual(50_000);
  const lines = before.split('\n');
  const edited = lines.map((l, i) => (i % 100 === 50 ? l.replace('逾期不予受理', '逾期可补正一次') : l)).filter((_, i) => i !== 777);
  edited.splice(300, 0, '第三百条之一 新增的条款。');
  const after = edited.join('\n');
  const r = exact(before, after);
  const modified = r.changedClauses.filter((c) => c.kind === 'modified');
  expect(modified.length).toBe(lines.filter((_, i) => i % 100 === 50).length);
  expect(r.changedClauses.filter((c) => c.kind === 'deleted').map((c) => c.before)).toEqual([777]);
  expect(r.changedClauses.filter((c) => c.kind === 'inserted').map((c) => c.after)).toEqual([300]);
});

test('a 50,000-character rewrite, and one long paragraph without full stops, complete exactly', () => {
  const before = longDraft();
  const rewrite = before.replace(/申请人/g, '行政相对人').split('\n').reverse().join('\n');
  exact(before, rewrite);
  // No sentence delimiters at all: compared phrase by phrase, still a small edit.
  const para = before.replace(/[。\n]/g, '，');
  const r = exact(para, para.replace('第1000条', '第1000条之二'));
  expect(r.segments.filter((s) => s.op !== 'equal')).toEqual([{ op: 'insert', text: '之二' }]);
});
