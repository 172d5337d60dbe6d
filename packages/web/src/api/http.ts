import { ApiError, NETWORK_ERROR, apiErrorFrom } from './api-error.ts';

/** `fetch` as the client uses it: a path on Keel's origin (`/api/…`). The browser's own by default. */
export type Fetch = (path: string, init: RequestInit) => Promise<Response>;

export interface JsonRequest {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  headers?: Record<string, string>;
  credentials?: 'include' | 'omit' | 'same-origin';
  signal?: AbortSignal | undefined;
}

/** One request with a JSON body and answer; any answer but 2xx is thrown as an ApiError. */
export async function requestJson<T>(fetcher: Fetch, path: string, request: JsonRequest = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetcher(path, {
      method: request.method ?? 'GET',
      headers,
      body: request.body === undefined ? null : JSON.stringify(request.body),
      credentials: request.credentials ?? 'omit',
      signal: request.signal ?? null,
    });
  } catch (cause) {
    if (request.signal?.aborted) throw cause;
    throw new ApiError({ status: 0, code: NETWORK_ERROR, cause });
  }
  if (!response.ok) throw await apiErrorFrom(response);
  const text = await response.text();
  return (text === '' ? undefined : JSON.parse(text)) as T;
}
