import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';

export interface AwsConnection {
  /** A custom endpoint (an emulator such as fauxqs or LocalStack); AWS's own when undefined. */
  endpoint?: string | undefined;
  region: string;
}

export function createSqsClient(connection: AwsConnection): SQSClient {
  return new SQSClient(clientConfig(connection));
}

export function createSnsClient(connection: AwsConnection): SNSClient {
  return new SNSClient(clientConfig(connection));
}

/** Path-style addressing (`<endpoint>/<bucket>/<key>`) when an endpoint is given: emulators have no per-bucket host names. */
export function createS3Client(connection: AwsConnection): S3Client {
  return new S3Client({ ...clientConfig(connection), forcePathStyle: connection.endpoint !== undefined });
}

/**
 * Credentials come from the default AWS chain (environment, shared files, SSO, container or
 * instance role). An endpoint on the loopback interface is an emulator, which needs no real
 * credentials: dummy ones are used there unless the environment sets some.
 */
function clientConfig(connection: AwsConnection) {
  const emulator = connection.endpoint !== undefined && isLoopback(connection.endpoint) && !process.env.AWS_ACCESS_KEY_ID;
  return {
    region: connection.region,
    ...(connection.endpoint === undefined ? {} : { endpoint: connection.endpoint }),
    ...(emulator ? { credentials: { accessKeyId: 'emulator', secretAccessKey: 'emulator' } } : {}),
  };
}

function isLoopback(endpoint: string): boolean {
  const { hostname } = new URL(endpoint);
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}
