import { z } from 'zod';
import { noBody, receiveSignedUpload, signedUploadQuery, type HttpApp, type StoragePort, type WithTenant } from '@keel/kernel';
import { requireRole } from '../../auth/require-role.ts';
import { productParams } from '../schemas.ts';
import { deleteImage } from './delete-image.ts';
import { markImageUploaded, receiveImageFile } from './mark-image-uploaded.ts';
import { readThumbnail } from './read-thumbnail.ts';
import { requestImageUpload } from './request-image-upload.ts';
import { productImageSchema, requestedImageSchema, requestImageBody, thumbnailQuery } from './schemas.ts';

const tags = ['products'];

export interface ProductImageRoutesDependencies {
  withTenant: WithTenant;
  storage: StoragePort;
  productImages: { maxBytes: number };
}

/** A product's image (specs/catalog.md, CAT-040…): admins upload and delete it, members see its thumbnail. */
export function productImageRoutes(app: HttpApp, deps: ProductImageRoutesDependencies): void {
  const { withTenant, storage } = deps;
  const adminsOnly = requireRole('admin');

  app.post(
    '/products/:productId/image',
    { preHandler: adminsOnly, schema: { tags, params: productParams, body: requestImageBody, response: { 201: requestedImageSchema } } },
    async (request, reply) => reply.status(201).send(await requestImageUpload({ withTenant, storage, maxBytes: deps.productImages.maxBytes }, request.params.productId, request.body)),
  );

  app.post(
    '/products/:productId/image/uploaded',
    { preHandler: adminsOnly, schema: { tags, params: productParams, body: noBody, response: { 200: productImageSchema } } },
    async (request) => markImageUploaded({ withTenant, storage }, request.params.productId),
  );

  app.delete('/products/:productId/image', { preHandler: adminsOnly, schema: { tags, params: productParams, response: { 204: z.null() } } }, async (request, reply) => {
    await deleteImage(withTenant, request.params.productId);
    return reply.status(204).send(null);
  });

  // Served by Keel, not a signed bucket URL: the bearer token and row-level security decide who reads it, and the edge routes it like any call.
  app.get(
    '/products/:productId/image/thumbnail',
    { schema: { tags, params: productParams, querystring: thumbnailQuery, response: { 200: z.unknown().describe('The thumbnail, image/webp') } } },
    async (request, reply) => {
      const thumbnail = await readThumbnail({ withTenant, storage }, request.params.productId);
      // A URL naming the image (`?v=`) always shows that image: the browser may keep it.
      const cache = request.query.v === thumbnail.imageId ? 'private, max-age=31536000, immutable' : 'private, no-cache';
      return reply.header('content-type', thumbnail.contentType).header('cache-control', cache).header('x-content-type-options', 'nosniff').send(thumbnail.body);
    },
  );

  // The local storage driver's signed upload URL: the body is the file, streamed to storage as it arrives.
  void app.register(async (raw: HttpApp) => {
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    raw.put(
      '/products/:productId/image/file',
      {
        preHandler: adminsOnly,
        schema: { tags, params: productParams, querystring: signedUploadQuery, body: z.unknown().describe('The image itself, with the Content-Type the upload was asked for'), response: { 200: productImageSchema } },
      },
      async (request, reply) => receiveSignedUpload(request, reply, (upload) => receiveImageFile({ withTenant, storage }, request.params.productId, request.query.token, upload)),
    );
  });
}
