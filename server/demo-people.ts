/**
 * Demo people for the embedded default: one login per role in Yinchuan, a department of
 * Shizuishan (to show scope), the region's rule-of-law supervisors and an expert. Passwords are
 * random per data directory, kept in data/demo-accounts.json (mode 0600) and printed at start-up.
 * Production (MONGODB_URI set) seeds nobody; accounts come from `npm run juece -- user add`.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Models } from '../activities/models';
import { ROLE_LABELS, type UserRole } from '../activities/people';
import { checkPassword } from './auth';
import { checkStrength } from './password-strength';
import { seedWorld, setPassword, type World } from './directory';

const AGENCIES: [string, string][] = [
  ['yinchuan', '银川市人民政府'],
  ['shizuishan', '石嘴山市人民政府'],
  ['wuzhong', '吴忠市人民政府'],
  ['guyuan', '固原市人民政府'],
  ['zhongwei', '中卫市人民政府'],
  ['xixia', '西夏区人民政府'],
  ['helan', '贺兰县人民政府'],
];

export const DEMO_WORLD: World = {
  organisations: [
    ...AGENCIES.map(([id, name]) => ({ id, kind: 'agency' as const, name, ...(id === 'yinchuan' ? { head: 'mayor', meetingMembers: ['mayor', 'vicemayor'] } : {}) })),
    { id: 'yc-zjj', kind: 'department', name: '银川市住房和城乡建设局', agencyId: 'yinchuan' },
    { id: 'yc-fgw', kind: 'department', name: '银川市发展和改革委员会', agencyId: 'yinchuan' },
    { id: 'yc-office', kind: 'secretariat', name: '银川市人民政府办公室', agencyId: 'yinchuan' },
    { id: 'yc-sfj', kind: 'legality-review-body', name: '银川市司法局', agencyId: 'yinchuan' },
    { id: 'yc-advisers', kind: 'adviser-pool', name: '银川市人民政府法律顾问团', agencyId: 'yinchuan' },
    { id: 'szs-jtj', kind: 'department', name: '石嘴山市交通运输局', agencyId: 'shizuishan' },
    { id: 'szs-office', kind: 'secretariat', name: '石嘴山市人民政府办公室', agencyId: 'shizuishan' },
    { id: 'nx-yfzq', kind: 'supervisor-office', name: '自治区党委全面依法治区委员会办公室', jurisdiction: AGENCIES.map(([id]) => id) },
    { id: 'nx-experts', kind: 'expert-bank', name: '自治区重大行政决策咨询论证专家库' },
  ],
  users: [
    { username: 'zjj', name: '张明', roles: ['department'], orgId: 'yc-zjj' },
    { username: 'fgw', name: '李华', roles: ['department'], orgId: 'yc-fgw' },
    { username: 'office', name: '王秘书', roles: ['secretariat'], orgId: 'yc-office' },
    { username: 'sfj', name: '赵审查', roles: ['legality-review-body'], orgId: 'yc-sfj' },
    { username: 'lawyer', name: '刘律师', roles: ['legal-adviser'], orgId: 'yc-advisers', lawyerType: 'legal-adviser' },
    { username: 'govlawyer', name: '陈律师', roles: ['legal-adviser'], orgId: 'yc-sfj', lawyerType: 'government-lawyer' },
    { username: 'mayor', name: '孙市长', roles: ['decision-body'], orgId: 'yinchuan' },
    { username: 'vicemayor', name: '钱副市长', roles: ['decision-body'], orgId: 'yinchuan' },
    { username: 'supervisor', name: '周督察', roles: ['supervisor'], orgId: 'nx-yfzq' },
    { username: 'expert', name: '吴教授', roles: ['expert'], orgId: 'nx-experts', expert: { field: '城市规划', affiliation: '宁夏大学' } },
    { username: 'szsjt', name: '马科长', roles: ['department'], orgId: 'szs-jtj' },
    { username: 'szsoffice', name: '杨主任', roles: ['secretariat'], orgId: 'szs-office' },
  ],
};

/** A random demo password that the strength check passes (a rare weak draw is drawn again). */
function strongDemoPassword(username: string): string {
  for (;;) {
    const p = `demo-${crypto.randomBytes(6).toString('base64url')}`;
    if (!checkStrength(p, [username])) return p;
  }
}

/** Seed the demo people once; returns every demo login with its password for printing. */
export async function seedDemoPeople(models: Models, dataDir: string): Promise<{ username: string; name: string; role: UserRole; password: string | null }[]> {
  const file = path.join(dataDir, 'demo-accounts.json');
  let passwords: Record<string, string> = {};
  try {
    passwords = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    /* first start */
  }
  const known = new Set(Object.keys(passwords));
  const passwordOf = (u: string) => (passwords[u] ??= strongDemoPassword(u));
  const created = new Set(await seedWorld(models, DEMO_WORLD, passwordOf));
  // A demo account whose password file was lost gets a fresh password, so what is printed works.
  for (const u of DEMO_WORLD.users) if (!created.has(u.username) && !known.has(u.username)) await setPassword(models, u.username, passwordOf(u.username));
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(passwords, null, 2), { mode: 0o600 });
  // Someone may have changed a demo password since: then the one on file is not printed.
  const hashes = new Map((await models.User.find({ _id: { $in: DEMO_WORLD.users.map((u) => u.username) } }, { passwordHash: 1 }).lean()).map((u) => [u._id, u.passwordHash]));
  return Promise.all(
    DEMO_WORLD.users.map(async (u) => ({
      username: u.username,
      name: u.name,
      role: u.roles[0] as UserRole,
      password: (await checkPassword(hashes.get(u.username), passwords[u.username])) ? passwords[u.username] : null,
    })),
  );
}

/** The start-up lines listing demo logins. */
export function demoLoginLines(logins: Awaited<ReturnType<typeof seedDemoPeople>>): string[] {
  return [
    'Demo logins 演示账号 (passwords kept in data/demo-accounts.json):',
    ...logins.map((l) => `  ${l.username.padEnd(11)} ${(l.password ?? '(changed 已修改)').padEnd(16)} ${l.name}（${ROLE_LABELS[l.role].zh}）`),
  ];
}
