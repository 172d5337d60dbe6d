import { z } from 'zod';
import { noBody, receiveSignedUpload, signedUploadQuery, toPage, type HttpApp, type StoragePort } from '@keel/kernel';
import { requireRole } from '../auth/require-role.ts';
import { subjectOf } from '../orders/routes.ts';
import type { RegionalApiDependencies } from '../regional-api.ts';
import { ImportNotFoundError } from './errors.ts';
import { markUploaded, receiveImportFile } from './mark-uploaded.ts';
import { findImport, listImports, listRejections, toImportDto } from './queries.ts';
import { requestImport } from './request-import.ts';
import { importPage, importParams, importSchema, listImportsQuery, listRejectionsQuery, rejectionPage, requestImportBody, requestedImportSchema } from './schemas.ts';

const tags = ['imports'];

export interface ImportRoutesDependencies extends Pick<RegionalApiDependencies, 'withTenant'> {
  storage: StoragePort;
  /** IMPORT_MAX_BYTES. */
  importMaxBytes: number;
}

/** CSV imports of products and orders, for admins and owners (specs/uploads.md). */
export function importRoutes(app: HttpApp, deps: ImportRoutesDependencies): void {
  const { withTenant } = deps;
  const preHandler = requireRole('admin');

  app.post('/imports', { preHandler, schema: { tags, body: requestImportBody, response: { 201: requestedImportSchema } } }, async (request, reply) => {
    return reply.status(201).send(await requestImport({ withTenant, storage: deps.storage, maxBytes: deps.importMaxBytes }, request.body, subjectOf(request)));
  });

  app.get('/imports', { preHandler, schema: { tags, querystring: listImportsQuery, response: { 200: importPage } } }, async (request) => {
    const { limit, cursor } = request.query;
    const page = toPage(await withTenant((tx, tenantId) => listImports(tx, tenantId, { limit, before: cursor })), limit);
    return { items: page.items.map(toImportDto), nextCursor: page.nextCursor };
  });

  app.get('/imports/:importId', { preHandler, schema: { tags, params: importParams, response: { 200: importSchema } } }, async (request) => {
    const row = await withTenant((tx, tenantId) => findImport(tx, tenantId, request.params.importId));
    if (!row) throw new ImportNotFoundError();
    return toImportDto(row);
  });

  app.get(
    '/imports/:importId/rejections',
    { preHandler, schema: { tags, params: importParams, querystring: listRejectionsQuery, response: { 200: rejectionPage } } },
    async (request) => {
      const { limit, afterRow } = request.query;
      const rows = await withTenant(async (tx, tenantId) => {
        if (!(await findImport(tx, tenantId, request.params.importId))) throw new ImportNotFoundError();
        return listRejections(tx, tenantId, request.params.importId, { limit, afterRow });
      });
      const items = rows.slice(0, limit);
      return { items, nextAfterRow: rows.length > limit ? items.at(-1)!.row : null };
    },
  );

  app.post('/imports/:importId/uploaded', { preHandler, schema: { tags, params: importParams, body: noBody, response: { 200: importSchema } } }, async (request) =>
    markUploaded({ withTenant, storage: deps.storage }, request.params.importId),
  );

  // The local storage driver's signed upload URL: the body is the file, streamed to storage as it arrives.
  void app.register(async (raw: HttpApp) => {
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    raw.put(
      '/imports/:importId/file',
      { preHandler, schema: { tags, params: importParams, querystring: signedUploadQuery, body: z.unknown().describe('The file itself, with the Content-Type the upload was asked for'), response: { 200: importSchema } } },
      async (request, reply) =>
        receiveSignedUpload(request, reply, (upload) => receiveImportFile({ withTenant, storage: deps.storage }, request.params.importId, request.query.token, upload)),
    );
  });
}
