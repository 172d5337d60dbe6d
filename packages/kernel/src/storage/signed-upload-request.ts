import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { StoragePort } from './storage-port.ts';

export type SignedUpload = Parameters<StoragePort['receiveUpload']>[1];

/**
 * The route side of a PUT to a local signed upload URL: hands `receive` the body with its type and
 * declared length (so a body declared too large is refused before any byte is read). When the upload
 * is refused, the answer closes the connection: Node would otherwise read what is left of the body,
 * however long, to keep the connection open.
 */
export async function receiveSignedUpload<T>(request: FastifyRequest, reply: FastifyReply, receive: (upload: SignedUpload) => Promise<T>): Promise<T> {
  const declared = request.headers['content-length'];
  try {
    return await receive({
      contentType: request.headers['content-type'],
      contentLength: declared === undefined ? undefined : Number(declared),
      body: (request.body as Readable | undefined) ?? Readable.from([]),
    });
  } catch (error) {
    void reply.header('connection', 'close');
    throw error;
  }
}
