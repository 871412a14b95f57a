/** The clause scanner on clauses typical of county normative documents: what it flags, what it must not. */
import { splitClauses } from '../../server/review/diff';
import { CATEGORY_INFO, scanClauses, type Flag, type FlagCategory } from '../../server/review/scanner';

/** Every flag's offsets slice back to its excerpt, and it lies inside its clause. */
function checked(text: string): Flag[] {
  const flags = scanClauses(text);
  const clauses = splitClauses(text);
  for (const f of flags) {
    expect(text.slice(f.start, f.end)).toBe(f.excerpt);
    expect(f.excerpt.length).toBeGreaterThan(0);
    const c = clauses[f.clauseIndex];
    expect(f.start).toBeGreaterThanOrEqual(c.start);
    expect(f.end).toBeLessThanOrEqual(c.end);
    expect(f.label).toEqual(CATEGORY_INFO[f.category].label);
    expect(f.basis).toEqual(CATEGORY_INFO[f.category].basis);
  }
  return flags;
}

const POSITIVES: Array<[string, FlagCategory, string, string]> = [
  // clause, category, excerpt, trigger
  ['从事本市出租汽车经营的，应当取得市交通运输局核发的经营许可证。', 'licensing', '应当取得市交通运输局核发的经营许可证', '应当取得…许可证'],
  ['在城区范围内设置户外广告的，须经县城市管理局审批。', 'licensing', '须经县城市管理局审批', '须经…审批'],
  ['未经县住房和城乡建设局批准，任何单位和个人不得擅自改变房屋用途。', 'licensing', '未经县住房和城乡建设局批准，任何单位和个人不得', '未经…批准…不得'],
  ['开办民宿应当向乡镇人民政府办理备案，备案后方可营业。', 'licensing', '备案后方可', '备案…方可'],
  ['对符合条件的，予以登记并颁发《民宿经营登记证》。', 'licensing', '予以登记并颁发《民宿经营登记证》', '予以…登记、颁发…登记证'],
  ['本县对农村集体经营性建设用地入市实行审批管理。', 'licensing', '实行审批管理', '实行…审批'],
  ['违反本办法第五条规定的，由市场监管部门处二千元以上一万元以下罚款。', 'penalty', '处二千元以上一万元以下罚款', '罚款'],
  ['情节严重的，吊销其营业执照。', 'penalty', '吊销其营业执照', '吊销'],
  ['对违反规定的商户，给予警告、通报批评。', 'penalty', '警告、通报批评', '警告、通报批评'],
  ['拒不改正的，责令停产停业整顿。', 'penalty', '责令停产停业', '责令停产停业'],
  ['对拒不整改的，可以查封、扣押相关设施。', 'coercion', '查封、扣押', '查封、扣押'],
  ['违法建筑逾期未拆除的，由乡镇人民政府强制拆除。', 'coercion', '强制拆除', '强制拆除'],
  ['逾期不缴纳的，每日加处罚款百分之三。', 'coercion', '加处罚款', '加处罚款'],
  ['当事人逾期不履行的，由县城市管理局代履行，费用由当事人承担。', 'coercion', '代履行', '代履行'],
  ['申请人应当缴纳审查费二百元。', 'fee', '缴纳审查费', '缴纳…费'],
  ['经营者应当向县商务局交纳诚信经营保证金五万元。', 'fee', '交纳诚信经营保证金', '交纳…保证金'],
  ['县供水公司按照每立方米零点五元收取管网维护费。', 'fee', '收取管网维护费', '收取…费'],
  ['居民按照每平方米二十元的标准缴纳改造费用。', 'fee', '缴纳改造费用', '缴纳…费用'],
];

describe.each(POSITIVES)('%s', (clause, category, excerpt, trigger) => {
  test(`flags ${category}`, () => {
    const flags = checked(clause);
    expect(flags.map((f) => f.category)).toEqual([category]);
    expect(flags[0].excerpt).toBe(excerpt);
    expect(flags[0].trigger).toBe(trigger);
    expect(flags[0].clauseIndex).toBe(0);
  });
});

const NEGATIVES = [
  '办理登记不得收取任何费用。',
  '依照《中华人民共和国行政许可法》的规定执行。',
  '本方案自发布之日起施行。',
  '不得以任何名义向企业收取保证金、押金。',
  '对小微企业免收登记费和证照工本费。',
  '当事人逾期不履行的，由县自然资源局依法申请人民法院强制执行。',
  '施工现场应当设置明显的安全警告标志。',
  '窗口工作人员收取申请材料后当场出具回执。',
  '各乡镇要高度重视，加强组织领导，确保改造任务按期完成。',
  '公路的管理依照《收费公路管理条例》执行。',
  '《彭阳县违法建设查封扣押实施细则》另行制定。',
  '《彭阳县罚款收缴管理办法》同时废止。',
  '严禁擅自查封、扣押企业财物。',
  '对首次轻微违法行为免予处罚，不予罚款。',
];

test.each(NEGATIVES)('does not flag: %s', (clause) => {
  expect(checked(clause)).toEqual([]);
});

test('a citation is passed over but the requirement that follows it is not', () => {
  const text = '根据《中华人民共和国行政处罚法》《中华人民共和国行政强制法》，违反本规定的，处五百元罚款。';
  const flags = checked(text);
  expect(flags.map((f) => [f.category, f.excerpt])).toEqual([['penalty', '处五百元罚款']]);
});

test('a negation in one phrase does not reach the next, nor past 并', () => {
  expect(checked('任何单位不得阻挠，违者处一千元罚款。').map((f) => f.excerpt)).toEqual(['处一千元罚款']);
  expect(checked('责令停止违法行为并处五百元以上二千元以下罚款。').map((f) => f.excerpt)).toEqual(['并处五百元以上二千元以下罚款']);
});

test('a whole document: flags in text order, each pointing at its clause by offsets', () => {
  const text = [
    '第一条 为规范本县民宿经营，制定本办法。',
    '第二条 开办民宿应当取得县文化旅游局核发的民宿经营许可证。',
    '第三条 民宿经营者应当缴纳卫生保证金三千元；办理许可不得收取其他费用。',
    '第四条 违反第二条规定的，由县文化旅游局处五千元罚款，并可以扣押经营用品。',
    '第五条 本办法依照《中华人民共和国行政许可法》制定，自发布之日起施行。',
  ].join('\n');
  const flags = checked(text);
  expect(flags.map((f) => f.category)).toEqual(['licensing', 'fee', 'penalty', 'coercion']);
  const clauses = splitClauses(text);
  expect(flags.map((f) => clauses[f.clauseIndex].text.slice(0, 3))).toEqual(['第二条', '第三条', '第四条', '第四条']);
  expect(flags.map((f) => f.start)).toEqual([...flags.map((f) => f.start)].sort((a, b) => a - b));
  // 第三条's second half forbids fees; only the deposit is flagged.
  expect(flags[1].excerpt).toBe('缴纳卫生保证金');
});

test('the basis is a review prompt citing the statute, in both languages', () => {
  expect(CATEGORY_INFO.licensing.basis.zh).toMatch(/《中华人民共和国行政许可法》第十四条至第十六条/);
  expect(CATEGORY_INFO.licensing.basis.zh).toMatch(/第十七条/);
  expect(CATEGORY_INFO.penalty.basis.zh).toMatch(/《中华人民共和国行政处罚法》第十六条/);
  expect(CATEGORY_INFO.coercion.basis.zh).toMatch(/《中华人民共和国行政强制法》第十条/);
  expect(CATEGORY_INFO.fee.basis.zh).toMatch(/《中华人民共和国价格法》/);
  for (const info of Object.values(CATEGORY_INFO)) {
    expect(info.basis.zh).toContain('需重点审查');
    expect(info.basis.en).toMatch(/Review closely/);
  }
});

test('empty and flag-free texts give no flags; offsets count UTF-16 units past astral characters', () => {
  expect(scanClauses('')).toEqual([]);
  const text = '𠀀𠀁第一条 申请人应当缴纳审查费。';
  const [f] = checked(text);
  expect(f.start).toBe(text.indexOf('缴纳'));
});
