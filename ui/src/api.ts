/** The API client: JSON in and out, the acting person in X-Juece-Actor, errors as ApiFailure. */
export interface ApiErrorBody {
  code: string;
  message: string;
  details: unknown;
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.message);
  }
}

const ACTOR_KEY = 'juece.actor';
export const actor = {
  get: () => localStorage.getItem(ACTOR_KEY) || '经办人',
  set: (name: string) => localStorage.setItem(ACTOR_KEY, name),
};

export async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: { 'content-type': 'application/json', 'x-juece-actor': encodeURIComponent(actor.get()) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const parsed = text ? JSON.parse(text) : null;
  if (!res.ok) throw new ApiFailure(res.status, parsed?.error ?? { code: 'HTTP_' + res.status, message: text, details: null });
  return parsed as T;
}

export async function apiText(path: string): Promise<string> {
  const res = await fetch(path);
  if (!res.ok) throw new ApiFailure(res.status, { code: 'HTTP_' + res.status, message: await res.text(), details: null });
  return res.text();
}
