/**
 * The kinds of security events (server/auth.ts, server/access.ts write them) with their names in
 * both languages: the security events page and its exports say the same words.
 */
import type { Bilingual } from './statute';

export const SECURITY_EVENT_KINDS: Record<string, Bilingual> = {
  login: { zh: '登录', en: 'Signed in' },
  logout: { zh: '退出', en: 'Signed out' },
  'login-failed': { zh: '登录失败', en: 'Failed login' },
  'login-locked': { zh: '登录失败，已锁定', en: 'Failed login, locked' },
  'login-throttled': { zh: '锁定期内尝试登录', en: 'Login while locked' },
  forbidden: { zh: '越权请求（已拒绝）', en: 'Refused request' },
  'out-of-scope': { zh: '查阅范围外的决策（已拒绝，十分钟内记录一次）', en: 'Decision outside their scope (refused; recorded once per ten minutes)' },
  'password-changed': { zh: '修改密码', en: 'Password changed' },
  'password-change-failed': { zh: '修改密码失败', en: 'Failed password change' },
};
