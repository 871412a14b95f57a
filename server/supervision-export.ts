/**
 * The decisions behind a dashboard figure and their step records, as tables for an export
 * (server/exports.ts): a decision's row says what the dashboard counts of it; its records are read
 * one decision at a time, so an export of thousands of decisions streams.
 */
import { GROUNDS, KINDS, STATUS_LABELS, type Bilingual } from '../definitions/statute';
import type { Models } from '../activities/models';
import { chinaTime, type Cell, type Table } from './exports';
import type { DrillRow } from './supervision';

type Lang = 'zh' | 'en';
const say = (b: Bilingual | undefined, lang: Lang, fallback: string) => b?.[lang] ?? fallback;
const kindName = (kind: string, lang: Lang) => say((KINDS as Record<string, Bilingual>)[kind], lang, kind);

const ACTIONS: Record<string, Bilingual> = {
  start: { zh: '开始办理', en: 'Started' },
  complete: { zh: '办结', en: 'Completed' },
  return: { zh: '退回', en: 'Returned' },
};

/** The kinds a decision's keys name with a given mark (`done`, `late`, …), in their names. */
function kindsWith(keys: string[], mark: string, lang: Lang): string {
  return keys
    .map((k) => new RegExp(`^k\\|([a-z-]+)\\|${mark}$`).exec(k)?.[1])
    .filter((k): k is string => Boolean(k))
    .map((k) => kindName(k, lang))
    .join(lang === 'zh' ? '、' : ', ');
}

/** Findings of not applicable with their grounds: 专家论证（决策事项专业性、技术性不强）. */
function exemptions(keys: string[], lang: Lang): string {
  return keys
    .map((k) => /^k\|([a-z-]+)\|na\|([a-z-]+)$/.exec(k))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => `${kindName(m[1], lang)}（${say((GROUNDS as Record<string, Bilingual>)[m[2]], lang, m[2])}）`)
    .join(lang === 'zh' ? '；' : '; ');
}

const yes = (b: boolean, lang: Lang) => (b ? (lang === 'zh' ? '是' : 'yes') : '');

/** The decisions as one table; `seen` collects them as they are written, for their records after them. */
export function decisionsTable(rows: AsyncIterable<DrillRow>, lang: Lang, seen: { id: string; title: string }[] = []): Table {
  const zh = lang === 'zh';
  const headers = zh
    ? ['决策事项编号', '决策事项名称', '决策机关', '承办单位', '年度', '状态', '启动时间', '最近办理时间', '当前超期', '曾超期的环节', '已办理的环节', '认定不适用的环节（法定情形）', '缩短征求意见期限', '缩短合法性审查时间', '行政首长与多数意见不一致', '说明']
    : ['Decision', 'Title', 'Decision body', 'Drafting unit', 'Year', 'Status', 'Started', 'Last act', 'Overdue now', 'Steps overdue', 'Steps performed', 'Found not applicable (ground)', 'Consultation shortened', 'Legality review shortened', 'Head against the majority', 'Note'];
  const widths = [22, 36, 20, 24, 8, 10, 18, 18, 10, 24, 40, 50, 12, 12, 12, 40];
  async function* out(): AsyncGenerator<Cell[]> {
    for await (const r of rows) {
      seen.push({ id: r.id, title: r.title });
      yield [
        r.id,
        r.title,
        r.agency,
        r.draftingUnit,
        r.year,
        say(STATUS_LABELS[r.status], lang, r.status),
        chinaTime(r.createdAt),
        chinaTime(r.updatedAt),
        yes(r.keys.includes('overdue'), lang),
        kindsWith(r.keys, 'late', lang),
        kindsWith(r.keys, 'done', lang),
        exemptions(r.keys, lang),
        yes(r.keys.includes('short|consultation'), lang),
        yes(r.keys.includes('short|review'), lang),
        yes(r.keys.includes('against'), lang),
        r.note ?? '',
      ];
    }
  }
  return { name: zh ? '决策事项' : 'Decisions', columns: headers.map((header, i) => ({ header, width: widths[i] })), rows: out() };
}

/** Every step record of the decisions, decision by decision, in the order they were made. */
export function recordsTable(models: Models, rows: AsyncIterable<{ id: string; title: string }> | Iterable<{ id: string; title: string }>, lang: Lang): Table {
  const zh = lang === 'zh';
  const headers = zh
    ? ['决策事项编号', '决策事项名称', '序号', '环节', '环节类型', '办理', '办理人', '办理时间', '轮次', '草案版本', '记录内容']
    : ['Decision', 'Title', 'Seq', 'Step', 'Step kind', 'Action', 'By', 'At', 'Visit', 'Draft version', 'Record'];
  const widths = [22, 30, 6, 24, 16, 10, 20, 18, 6, 8, 80];
  async function* out(): AsyncGenerator<Cell[]> {
    for await (const d of rows) {
      const records = await models.StepRecord.find({ decisionId: d.id }).sort({ seq: 1 }).lean();
      for (const r of records) yield [d.id, d.title, r.seq, r.elementId, kindName(r.kind, lang), say(ACTIONS[r.action], lang, r.action), r.actor, chinaTime(r.at), r.visit, r.draftVersion ?? '', JSON.stringify(r.data ?? {})];
    }
  }
  return { name: zh ? '办理记录' : 'Step records', columns: headers.map((header, i) => ({ header, width: widths[i] })), rows: out() };
}
