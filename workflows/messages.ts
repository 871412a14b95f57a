/**
 * Validation messages a clerk understands: zod issues turned into Chinese sentences that name
 * the field by its catalogue label (「审查结论」为必填项), with English beside them. Pure, so the
 * workflow's validators give the same words as the API.
 */
import type { z } from 'zod';
import { labelOf, VALUE_LABELS } from '../definitions/labels';

/** A validation problem, in Chinese (`message`) and English (`en`), at a field path. */
export interface FieldIssue {
  path: string;
  message: string;
  en: string;
}

type Issue = z.core.$ZodIssue;

/** The field an issue is about, by its label: the last named (non-index) segment of the path. */
function fieldOf(path: readonly PropertyKey[]): { zh: string; en: string } | null {
  for (let i = path.length - 1; i >= 0; i--) {
    const k = path[i];
    if (typeof k === 'string') return labelOf(k) ?? { zh: k, en: k };
  }
  return null;
}

const valueList = (values: readonly unknown[], lang: 'zh' | 'en') =>
  values.map((v) => (typeof v === 'string' && VALUE_LABELS[v] ? `${VALUE_LABELS[v][lang]}（${v}）` : JSON.stringify(v))).join(lang === 'zh' ? '、' : ', ');

/** One issue in both languages. */
export function describeIssue(issue: Issue): { zh: string; en: string } {
  const f = fieldOf(issue.path);
  const zhF = f ? `「${f.zh}」` : '';
  const enF = f ? `“${f.en}”` : 'The value';
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return { zh: `${zhF}为必填项。`, en: `${enF} is required.` };
      const expected = { string: ['文字', 'text'], number: ['数字', 'a number'], boolean: ['是或否', 'yes or no'], array: ['列表', 'a list'], object: ['一组内容', 'a group of fields'] }[issue.expected as string] ?? [issue.expected, issue.expected];
      return { zh: `${zhF}应填写${expected[0]}。`, en: `${enF} must be ${expected[1]}.` };
    }
    case 'too_small': {
      const n = Number(issue.minimum);
      if (issue.origin === 'string') return n <= 1 ? { zh: `${zhF}不能为空。`, en: `${enF} cannot be empty.` } : { zh: `${zhF}至少填写${n}个字。`, en: `${enF} needs at least ${n} characters.` };
      if (issue.origin === 'array') return { zh: `${zhF}至少填写${n}项。`, en: `${enF} needs at least ${n} item(s).` };
      return { zh: `${zhF}不能小于${n}。`, en: `${enF} must be at least ${n}.` };
    }
    case 'too_big': {
      const n = Number(issue.maximum);
      if (issue.origin === 'string') return { zh: `${zhF}最多${n}个字。`, en: `${enF} may hold at most ${n} characters.` };
      if (issue.origin === 'array') return { zh: `${zhF}最多${n}项。`, en: `${enF} may hold at most ${n} items.` };
      return { zh: `${zhF}不能大于${n}。`, en: `${enF} must be at most ${n}.` };
    }
    case 'invalid_format':
      if (issue.format === 'regex' && /\\d\{4\}-\\d\{2\}-\\d\{2\}/.test(String(issue.pattern ?? ''))) return { zh: `${zhF}应为日期，格式为“年-月-日”（如2026-12-01）。`, en: `${enF} must be a date, YYYY-MM-DD.` };
      if (issue.format === 'url') return { zh: `${zhF}应为网址（http或https开头）。`, en: `${enF} must be a web address (http or https).` };
      return { zh: `${zhF}格式不正确。`, en: `${enF} is not in the expected form.` };
    case 'invalid_value':
      if (issue.input === undefined) return { zh: `${zhF}为必填项。`, en: `${enF} is required.` };
      return { zh: `${zhF}只能选择：${valueList(issue.values, 'zh')}。`, en: `${enF} must be one of: ${valueList(issue.values, 'en')}.` };
    case 'unrecognized_keys':
      return { zh: `不认识的栏目：${issue.keys.join('、')}。`, en: `Unrecognised field(s): ${issue.keys.join(', ')}.` };
    case 'invalid_union':
      return { zh: `${zhF}填写不完整或不符合要求。`, en: `${enF} is incomplete or not of an accepted form.` };
    case 'custom':
      return { zh: issue.message ?? `${zhF}不符合要求。`, en: (issue.params?.en as string | undefined) ?? issue.message ?? `${enF} is not acceptable.` };
    default:
      return { zh: `${zhF}不符合要求。`, en: `${enF} is not acceptable.` };
  }
}

/** zod's per-parse error option, in Chinese. */
export const zhError = (issue: Issue) => describeIssue(issue).zh;

/**
 * Validate and, on failure, describe every problem in both languages. The messages are made
 * per parse (no global locale), which also keeps this deterministic in the workflow sandbox.
 */
export function parseBilingual<T extends z.ZodType>(schema: T, value: unknown): { success: true; data: z.output<T> } | { success: false; issues: FieldIssue[] } {
  // reportInput: an absent field (input undefined) reads "required", not "expected string".
  const r = schema.safeParse(value, { reportInput: true });
  if (r.success) return { success: true, data: r.data };
  return { success: false, issues: r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), ...pair(describeIssue(i)) })) };
}

const pair = (d: { zh: string; en: string }) => ({ message: d.zh, en: d.en });
