import { ApiError, NETWORK_ERROR, apiErrorFrom } from '../../api/api-error.ts';
import type { TenantApi } from '../../api/client.ts';

/** The CSV import routes of `/api/v1` (admins), as the upload and report pages use them. */

export const IMPORT_KINDS = ['products-csv', 'orders-csv'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export type ImportState = 'awaiting_upload' | 'queued' | 'processing' | 'done' | 'failed';

export interface Import {
  id: string;
  kind: ImportKind;
  fileName: string;
  state: ImportState;
  progress: number;
  rowsImported: number;
  rowsRejected: number;
  failureCode: string | null;
  version: number;
  createdBy: string;
  createdAt: string;
  finishedAt: string | null;
}

export interface UploadTarget {
  method: 'POST' | 'PUT';
  url: string;
  fields: Record<string, string>;
  headers: Record<string, string>;
  expiresAt: string;
  maxBytes: number;
}

export interface Rejection {
  row: number;
  code: string;
  field: string | null;
}

export const isRunning = (item: Pick<Import, 'state'>): boolean => item.state === 'queued' || item.state === 'processing';

const importPath = (id: string) => `/imports/${encodeURIComponent(id)}`;

/** Browsers give a `.csv` file one of several types, or none: send what they say, `text/csv` when they say nothing. */
export function csvContentType(file: File): string {
  return file.type === '' ? 'text/csv' : file.type;
}

export function importsApi(api: TenantApi) {
  return {
    list: () => api.request<{ items: Import[]; nextCursor: string | null }>('/imports?limit=50'),
    get: (id: string) => api.request<Import>(importPath(id)),
    rejections: (id: string, afterRow?: number) =>
      api.request<{ items: Rejection[]; nextAfterRow: number | null }>(`${importPath(id)}/rejections?limit=200${afterRow === undefined ? '' : `&afterRow=${afterRow}`}`),
    request: (body: { kind: ImportKind; fileName: string; size: number; contentType: string }) => api.request<{ import: Import; upload: UploadTarget }>('/imports', { method: 'POST', body }),
    uploaded: (id: string) => api.request<Import>(`${importPath(id)}/uploaded`, { method: 'POST', body: {} }),
  };
}

/**
 * Sends the file straight to storage, as the target says: a presigned POST form (S3) or a PUT of
 * the bytes to Keel's signed URL (local storage; it is under `/api/v1`, so it also takes the
 * bearer token that routes it to the tenant's region). XMLHttpRequest, for upload progress.
 */
export function uploadFile(target: UploadTarget, file: File, bearer: string, onProgress: (percent: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open(target.method, target.url);
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress(Math.floor((event.loaded / event.total) * 100));
    });
    request.addEventListener('error', () => reject(new ApiError({ status: 0, code: NETWORK_ERROR })));
    request.addEventListener('load', () => {
      if (request.status >= 200 && request.status < 300) {
        onProgress(100);
        resolve();
        return;
      }
      void apiErrorFrom(new Response(request.responseText, { status: request.status, headers: { 'content-type': request.getResponseHeader('content-type') ?? 'text/plain' } })).then(reject);
    });
    if (target.method === 'PUT') {
      for (const [name, value] of Object.entries(target.headers)) request.setRequestHeader(name, value);
      request.setRequestHeader('authorization', `Bearer ${bearer}`);
      request.send(file);
      return;
    }
    const form = new FormData();
    for (const [name, value] of Object.entries(target.fields)) form.append(name, value);
    form.append('file', file);
    request.send(form);
  });
}
