/**
 * Password strength, not just length: zxcvbn-ts (a maintained TypeScript port of Dropbox's
 * zxcvbn) estimates how many guesses a password takes, matching the common-password lists, English
 * words, keyboard walks, dates, repeats and sequences — and the person's own names. There is no
 * Chinese language pack, so the pinyin words and number idioms most common in Chinese password
 * leaks are added as a dictionary of their own. Used by the CLI, POST /api/me/password and the
 * demo seeding.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';

/** zxcvbn's 0–4 scale: 3 is "safely unguessable" behind a slow hash (argon2id here). */
export const MIN_SCORE = 3;

/** Frequent in Chinese password leaks: pinyin words and names, number idioms, places and this system. */
const CHINESE_COMMON = [
  ...new Set([
  'woaini', 'aini', 'woaini1314', '5201314', '1314520', '520520', '147258369', '123456789', '88888888', '66666666',
  'zhongguo', 'china', 'beijing', 'shanghai', 'ningxia', 'yinchuan', 'shizuishan', 'guyuan', 'zhongwei', 'wuzhong',
  'mima', 'mimima', 'zhanghao', 'denglu', 'guanliyuan', 'admin', 'zhengfu', 'renmin', 'juece', 'xingzheng', 'sifa', 'lvshi',
  'wang', 'li', 'zhang', 'liu', 'chen', 'yang', 'zhao', 'huang', 'zhou', 'wu', 'xu', 'sun', 'hu', 'zhu', 'gao', 'lin', 'he',
  'guo', 'ma', 'luo', 'liang', 'song', 'zheng', 'xie', 'han', 'tang', 'feng', 'yu', 'dong', 'xiao', 'cheng', 'cao', 'yuan',
  'deng', 'fu', 'shen', 'zeng', 'peng', 'lv', 'su', 'lu', 'jiang', 'cai', 'jia', 'ding', 'wei', 'xue', 'ye', 'yan', 'pan',
  'qiang', 'ming', 'hua', 'jun', 'fang', 'min', 'jing', 'lei', 'yong', 'jie', 'tao', 'ping', 'gang', 'hui',
  // The commonest full names.
  'zhangwei', 'wangwei', 'wangfang', 'liwei', 'wangxiuying', 'lixiuying', 'lina', 'zhangxiuying', 'liuwei', 'zhangmin', 'lijing', 'zhangli', 'wangjing', 'wangli',
  'zhangjing', 'wangmin', 'liqiang', 'wanglei', 'liujun', 'zhangyong', 'lijun', 'zhangjie', 'wangyong', 'wangjun', 'liuyang', 'liyang', 'wangyan', 'zhangtao',
  ]),
];

let factory: ZxcvbnFactory | undefined;

/** Built on first use: loading the dictionaries takes a few hundred milliseconds. */
function estimator(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...en.dictionary, chinese: CHINESE_COMMON },
    translations: en.translations,
  });
  return factory;
}

/**
 * Why a password is too easy to guess, in both languages; undefined when it is strong enough.
 * `personal`: the person's login, name, organisation — a password built on them is weak.
 */
export function checkStrength(password: string, personal: string[] = []): { zh: string; en: string } | undefined {
  // Passwords are at most 200 characters (PASSWORD_RULE); zxcvbn's cost grows with length, so only the first 100 are scored.
  const r = estimator().check(password.slice(0, 100), personal.filter(Boolean));
  if (r.score >= MIN_SCORE) return undefined;
  const hint = [r.feedback.warning, ...r.feedback.suggestions].filter(Boolean).join(' ');
  return {
    zh: '密码过于简单，容易被猜中：请避免常见密码、姓名、拼音、键盘顺序和日期，可使用由几个不相关的词组成的较长口令。',
    en: `too easy to guess${hint ? ` — ${hint}` : ''}. Avoid common passwords, names, keyboard runs and dates; a longer phrase of unrelated words works well.`,
  };
}
