/** The portal's calls to /api/portal: JSON in, JSON out; a refusal as an error with its field messages. */
import { currentLang } from './text';

export interface FieldMessage {
  path: string;
  message: string;
}

export class PortalError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldMessage[],
  ) {
    super(message);
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string; details?: unknown };
}

/** The refusal's own words: each detail's Chinese (or English) text, by field. */
function fieldsOf(details: unknown): FieldMessage[] {
  if (!Array.isArray(details)) return [];
  const zh = currentLang() === 'zh';
  return details.map((d: { path?: string; message?: string; zh?: string; en?: string }) => ({ path: d.path ?? '', message: (zh ? (d.zh ?? d.message) : (d.en ?? d.message)) ?? '' }));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the portal reads the API's JSON loosely
export async function portalApi<T = any>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(path, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json().catch(() => ({}))) as T & ErrorBody;
  if (!res.ok) {
    const fields = fieldsOf(json.error?.details);
    throw new PortalError(res.status, json.error?.code ?? 'ERROR', fields.map((f) => f.message).filter(Boolean).join(' ') || json.error?.message || `HTTP ${res.status}`, fields);
  }
  return { status: res.status, body: json };
}
