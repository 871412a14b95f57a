/** The portal's pure pieces: articles of a draft (第X条), receipt numbers, form tokens, client addresses. */
import crypto from 'node:crypto';
import type { Request } from 'express';
import { chineseNumber, chineseNumeral, clauseMentioned, clausesOf } from '../../server/portal/clauses';
import { clientAddress, formToken, normalReceipt, receiptFor, tokenProblem } from '../../server/portal/limits';

test('articles are numbered the way a normative text numbers them', () => {
  expect(['一', '十', '十二', '二十', '二十一', '一百', '一百零五', '一百一十', '两百', '12'].map(chineseNumber)).toEqual([1, 10, 12, 20, 21, 100, 105, 110, 200, 12]);
  expect([1, 10, 12, 20, 105, 110, 999].map(chineseNumeral)).toEqual(['一', '十', '十二', '二十', '一百零五', '一百一十', '九百九十九']);
  for (let n = 1; n < 1000; n++) expect(chineseNumber(chineseNumeral(n))).toBe(n);
  expect(chineseNumber('第')).toBeNull();
});

test('a draft splits into its articles; an opinion names the article it addresses', () => {
  const draft = '某某办法\n第一条 为了……\n继续第一条。\n第二条 本办法适用于……\n  第十二条 违反本办法的……';
  expect(clausesOf(draft).map((c) => [c.n, c.label])).toEqual([[1, '第一条'], [2, '第二条'], [12, '第十二条']]);
  expect(clausesOf(draft)[0].text).toBe('第一条 为了……\n继续第一条。');
  expect(clauseMentioned('建议删去第十二条第二款。')).toBe(12);
  expect(clauseMentioned('总体赞成。')).toBeNull();
});

test('a receipt is derived from the submission key (a retry finds it again) and read back however it is typed', () => {
  const key = crypto.randomBytes(32);
  const r = receiptFor(key, 'D1-C1', 'submission-key-0001');
  expect(r).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
  expect(receiptFor(key, 'D1-C1', 'submission-key-0001')).toBe(r);
  expect(receiptFor(key, 'D1-C1', 'submission-key-0002')).not.toBe(r);
  expect(receiptFor(key, 'D1-C2', 'submission-key-0001')).not.toBe(r);
  expect(normalReceipt(r.toLowerCase().replace(/-/g, ' '))).toBe(r);
  expect(normalReceipt('ILO0-0000-0000-0000')).toBe('1100-0000-0000-0000');
  expect(normalReceipt('too short')).toBeNull();
});

test('a form token admits a submission only for its consultation, after the fill time and within a day', () => {
  const key = crypto.randomBytes(32);
  const at = Date.parse('2026-11-27T10:00:00+08:00');
  const token = formToken(key, 'D1-C1', at);
  expect(tokenProblem(key, 'D1-C1', token, at + 5000, 3000)).toBeNull();
  expect(tokenProblem(key, 'D1-C1', token, at + 1000, 3000)?.zh).toBe('提交过快，请稍候再提交。');
  expect(tokenProblem(key, 'D1-C2', token, at + 5000, 3000)).not.toBeNull();
  expect(tokenProblem(key, 'D1-C1', token, at + 25 * 3600_000, 3000)).not.toBeNull();
  expect(tokenProblem(crypto.randomBytes(32), 'D1-C1', token, at + 5000, 3000)).not.toBeNull();
  expect(tokenProblem(key, 'D1-C1', 'garbage', at + 5000, 3000)).not.toBeNull();
});

test('a limit counts an IPv4 client by its address and an IPv6 client by its /64', () => {
  const req = (ip: string) => ({ ip, socket: {} }) as unknown as Request;
  expect(clientAddress(req('203.0.113.7'))).toBe('203.0.113.7');
  expect(clientAddress(req('::ffff:203.0.113.7'))).toBe('203.0.113.7');
  expect(clientAddress(req('2001:db8:0:1:aaaa::1'))).toBe('2001:db8:0:1::/64');
  expect(clientAddress(req('2001:db8::1'))).toBe('2001:db8:0:0::/64');
  expect(clientAddress(req('2001:DB8:0:1:1:2:3:4'))).toBe('2001:db8:0:1::/64');
});
