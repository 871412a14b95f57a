/**
 * The portal's abuse resistance, all of it cheap for a citizen on a phone: a per-address rate limit
 * counted in the store (so it holds across API processes), a form token that makes a submission
 * prove it came from a form shown a few seconds earlier, and receipt numbers derived from the
 * submitter's own submission key (a retried submission gets the same receipt, never a second
 * opinion). The honeypot and the deadline are the submission's own checks (opinions.ts).
 */
import crypto from 'node:crypto';
import net from 'node:net';
import type { Request, Response } from 'express';
import { isDuplicateKey, type Models } from '../../activities/models';
import { ApiError } from '../errors';
import type { AppDeps, PortalSettings } from '../route-kit';
import { insertBatched } from './batch-insert';

/** National defaults: ten submissions per address per ten minutes; a form needs three seconds to fill. */
export const PORTAL_DEFAULTS: PortalSettings = { rate: { limit: 10, windowMs: 10 * 60_000 }, minFillMs: 3000 };

export const portalSettings = (deps: AppDeps): PortalSettings => deps.portal ?? PORTAL_DEFAULTS;

/** The settings from the configuration (JUECE_PORTAL_RATE = count/seconds, JUECE_PORTAL_MIN_FILL_SECONDS). */
export function portalSettingsOf(config: { JUECE_PORTAL_RATE: string; JUECE_PORTAL_MIN_FILL_SECONDS: number }): PortalSettings {
  const [limit, seconds] = config.JUECE_PORTAL_RATE.split('/').map(Number);
  return { rate: { limit: Math.max(1, limit), windowMs: Math.max(1, seconds) * 1000 }, minFillMs: config.JUECE_PORTAL_MIN_FILL_SECONDS * 1000 };
}

/**
 * The address a limit counts: the client's (express's req.ip honours JUECE_TRUST_PROXY), an IPv6
 * client by its /64, since one household or phone holds a whole /64.
 */
export function clientAddress(req: Request): string {
  const ip = (req.ip ?? req.socket.remoteAddress ?? 'unknown').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  if (!net.isIPv6(ip)) return ip;
  const [head, tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** Per process: the next free slot of each address in the current window (a hint; the store decides). */
const hints = new Map<string, number>();
let hintWindow = -1;
/** Windows whose slots this process has already cleared away. */
const swept = new Set<number>();

/**
 * Admit one submission from this address, or refuse it with 429 and Retry-After. Each admitted
 * submission inserts the slot `${address}:${window}:${n}`; the unique key makes two processes
 * that race for the same slot take turns, and once an address has used all its slots this
 * process refuses it without asking the store again until the window ends.
 */
export async function admitSubmission(req: Request, res: Response, deps: AppDeps): Promise<void> {
  const { limit, windowMs } = portalSettings(deps).rate;
  const now = Date.now();
  const window = Math.floor(now / windowMs);
  if (window !== hintWindow) {
    hints.clear();
    hintWindow = window;
  }
  const base = `${clientAddress(req)}:${window}`;
  for (let n = hints.get(base) ?? 1; n <= limit; n++) {
    try {
      await insertBatched(deps.models.PortalSlot.collection, { _id: `${base}:${n}`, window });
      hints.set(base, n + 1);
      if (!swept.has(window)) void sweep(deps.models, window);
      return;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  hints.set(base, limit + 1);
  const retryAfter = Math.ceil(((window + 1) * windowMs - now) / 1000);
  res.set('Retry-After', String(retryAfter));
  const minutes = Math.ceil(retryAfter / 60);
  throw new ApiError('TOO_MANY_ATTEMPTS', `Too many submissions from this address: at most ${limit} per ${Math.round(windowMs / 60_000)} minutes. Try again in ${minutes} minute(s).`, [
    { path: '', message: `同一网络地址提交过于频繁（每${Math.round(windowMs / 60_000)}分钟最多${limit}次），请${minutes}分钟后再试。`, en: `at most ${limit} submissions per ${Math.round(windowMs / 60_000)} minutes from one address; try again in ${minutes} minute(s)` },
  ]);
}

/** Slots of windows before the previous one are spent: delete them (by equality on `window`, which FerretDB indexes). */
async function sweep(models: Models, window: number): Promise<void> {
  swept.add(window);
  try {
    for (let w = window - 2; w >= window - 6; w--) await models.PortalSlot.deleteMany({ window: w });
  } catch {
    swept.delete(window);
  }
}

// ——— The key shared by every API process ———

const keys = new WeakMap<object, Promise<Buffer>>();

/** The portal's HMAC key, created once in the store so every API process signs and checks alike. */
export function portalKey(models: Models): Promise<Buffer> {
  let k = keys.get(models.PortalSetting);
  if (!k) {
    k = (async () => {
      await models.PortalSetting.create({ _id: 'form-key', value: crypto.randomBytes(32).toString('hex'), createdAt: new Date() }).catch((err: unknown) => {
        if (!isDuplicateKey(err)) throw err;
      });
      const doc = await models.PortalSetting.findById('form-key').lean();
      return Buffer.from(doc!.value, 'hex');
    })();
    keys.set(models.PortalSetting, k);
    k.catch(() => keys.delete(models.PortalSetting));
  }
  return k;
}

const hmac = (key: Buffer, text: string) => crypto.createHmac('sha256', key).update(text).digest();

// ——— The form token ———

/** A token for the opinion form of a consultation, issued when the form is shown. */
export function formToken(key: Buffer, consultationKey: string, issuedAt: number): string {
  return `${issuedAt}.${hmac(key, `form\n${consultationKey}\n${issuedAt}`).toString('base64url').slice(0, 22)}`;
}

/** A token is valid for a day, and only from `minFillMs` after it was issued: a person needs that long to write. */
const TOKEN_LIFE_MS = 24 * 3600_000;

/** Why a form token does not admit this submission, or null. */
export function tokenProblem(key: Buffer, consultationKey: string, token: string, arrivedAt: number, minFillMs: number): { zh: string; en: string } | null {
  const m = /^(\d{10,16})\.([A-Za-z0-9_-]{22})$/.exec(token);
  const bad = { zh: '表单已失效，请刷新页面后重新提交。', en: 'the form has expired; reload the page and submit again' };
  if (!m) return bad;
  const issuedAt = Number(m[1]);
  const expected = formToken(key, consultationKey, issuedAt);
  if (expected.length !== token.length || !crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(token))) return bad;
  if (arrivedAt - issuedAt > TOKEN_LIFE_MS) return bad;
  if (arrivedAt - issuedAt < minFillMs) return { zh: '提交过快，请稍候再提交。', en: 'submitted too quickly; wait a moment and submit again' };
  return null;
}

// ——— Receipt numbers ———

/** Crockford's base32: no I, L, O or U, so a receipt read aloud or typed on a phone is not misread. */
const B32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function base32(bytes: Buffer, chars: number): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5 && out.length < chars) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

/**
 * The receipt of a submission: 80 bits derived from the consultation and the submitter's own
 * submission key, so a retry of the same submission finds the same receipt (insert-once), and
 * nobody can guess anyone else's. Written XXXX-XXXX-XXXX-XXXX.
 */
export function receiptFor(key: Buffer, consultationKey: string, submissionKey: string): string {
  const s = base32(hmac(key, `receipt\n${consultationKey}\n${submissionKey}`), 16);
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8, 12)}-${s.slice(12)}`;
}

/** A receipt as a person may type it: any case, spaces or no hyphens, I/L for 1 and O for 0. */
export function normalReceipt(input: string): string | null {
  const s = input.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (!/^[0-9A-HJKMNP-TV-Z]{16}$/.test(s)) return null;
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8, 12)}-${s.slice(12)}`;
}
