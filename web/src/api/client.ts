import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

/** The API's schemas by name, as generated from docs/openapi.json: `Schema<'ClaimView'>`. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];

const TOKEN_KEY = 'fund-ledger.token';

/** The bearer token of this browser tab (sessionStorage: a second tab or context signs in on its own). */
export const session = {
  token: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string): void => sessionStorage.setItem(TOKEN_KEY, token),
  clear: (): void => sessionStorage.removeItem(TOKEN_KEY),
};

/** Told when the API answers 401: the token expired or was never valid, so the console shows the login again. */
let onUnauthenticated: () => void = () => undefined;
export function whenUnauthenticated(handler: () => void): void {
  onUnauthenticated = handler;
}

const auth: Middleware = {
  onRequest({ request }) {
    const token = session.token();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ response, request }) {
    if (response.status === 401 && !request.url.endsWith('/api/v1/auth/login')) onUnauthenticated();
    return response;
  },
};

/** The typed client of the API on the console's own origin: paths, parameters, bodies and answers are checked. */
export const api = createClient<paths>({ baseUrl: '' });
api.use(auth);

/** A file from the API (an export, a scan, a notice PDF): fetched with the token, answered as a Blob and its name. */
export async function fetchFile(url: string, signal?: AbortSignal): Promise<{ blob: Blob; filename: string }> {
  const token = session.token();
  const response = await fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {}, signal });
  if (response.status === 401) onUnauthenticated();
  if (!response.ok) throw await errorOfResponse(response);
  return { blob: await response.blob(), filename: filenameOf(response.headers.get('Content-Disposition')) ?? url.split('/').pop()! };
}

/** The name a Content-Disposition header gives, preferring the UTF-8 `filename*` form. */
export function filenameOf(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (star) return decodeURIComponent(star[1]);
  const plain = /filename="?([^";]+)"?/i.exec(header);
  return plain ? plain[1] : null;
}

/** Saves a Blob as a download, the way a link to the file would. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The API's refusal body: a stable code, a message, and the fields at fault. */
export interface ApiErrorBody {
  code: string;
  message: string;
  details?: { fields?: { field: string; message: string }[]; [key: string]: unknown };
  requestId?: string;
}

/** A refusal of the API, thrown by `call`: its status, code, message and the fields it names. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.message);
    this.name = 'ApiError';
  }
  get code(): string {
    return this.body.code;
  }
  get fields(): { field: string; message: string }[] {
    return this.body.details?.fields ?? [];
  }
}

async function errorOfResponse(response: Response): Promise<ApiError> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as ApiErrorBody;
    if (typeof body.code === 'string') return new ApiError(response.status, body);
  } catch {
    // not JSON: a proxy's page, say
  }
  return new ApiError(response.status, { code: `HTTP_${response.status}`, message: text.slice(0, 200) || response.statusText });
}

/**
 * Unwraps an openapi-fetch answer: its data, or an ApiError with the API's code and fields.
 * `const claim = await call(api.GET('/api/v1/claims/{id}', { params: { path: { id } } }))`.
 */
export async function call<T>(pending: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await pending;
  if (!response.ok) {
    const body = error as ApiErrorBody | undefined;
    if (body && typeof body === 'object' && typeof body.code === 'string') throw new ApiError(response.status, body);
    throw new ApiError(response.status, { code: `HTTP_${response.status}`, message: response.statusText });
  }
  return data as T;
}
