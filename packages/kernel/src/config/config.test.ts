import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const regionalDatabaseUrls = {
  REGIONAL_DATABASE_OWNER_URL: 'postgres://owner@127.0.0.1:5432/regional',
  REGIONAL_DATABASE_APP_URL: 'postgres://app@127.0.0.1:5432/regional',
  REGIONAL_DATABASE_WORKER_URL: 'postgres://worker@127.0.0.1:5432/regional',
};

const snsTopicArn = 'arn:aws:sns:us-east-1:000000000000:keel-central-feed';

describe('loadConfig', () => {
  it('defaults to port 3000 on 127.0.0.1 running every layer', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', role: 'all', bodyLimitBytes: 1_048_576, queryRepeatWarnThreshold: 5, signingKeyOverlapMs: 900_000 });
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', KEEL_ROLE: '' })).toMatchObject({ port: 3000, role: 'all' });
  });

  it('reads the values it is given', () => {
    const config = loadConfig({ PORT: '8080', HOST: '0.0.0.0', KEEL_ROLE: 'regional', CENTRAL_JWKS_URL: 'http://central.test/jwks', CENTRAL_URL: 'http://central.test', KEEL_REGION_CREDENTIAL: 'c'.repeat(32), ...regionalDatabaseUrls });
    expect(config).toMatchObject({ port: 8080, host: '0.0.0.0', role: 'regional', centralJwksUrl: 'http://central.test/jwks' });
    expect(config.regionalDatabase).toEqual({ owner: regionalDatabaseUrls.REGIONAL_DATABASE_OWNER_URL, app: regionalDatabaseUrls.REGIONAL_DATABASE_APP_URL, worker: regionalDatabaseUrls.REGIONAL_DATABASE_WORKER_URL });
  });

  it('lets central alone relay its feed to SNS whatever QUEUE_DRIVER is', () => {
    expect(loadConfig({ KEEL_ROLE: 'central', FEED_DRIVER: 'sns', SNS_TOPIC_ARN: snsTopicArn }).feed.driver).toBe('sns');
  });

  it('reads AUTH_SECRET and PUBLIC_URL, which are unset by default', () => {
    expect(loadConfig({})).toMatchObject({ authSecret: undefined, publicUrl: undefined });
    const secret = 's'.repeat(32);
    expect(loadConfig({ NODE_ENV: 'production', KEEL_ROLE: 'central', AUTH_SECRET: secret, PUBLIC_URL: 'https://keel.test' })).toMatchObject({ authSecret: secret, publicUrl: 'https://keel.test' });
  });

  it('parses KEEL_REGION_URLS for an edge', () => {
    const config = loadConfig({ KEEL_ROLE: 'edge', CENTRAL_URL: 'http://central.test', KEEL_REGION_URLS: 'us-east=http://us.test,eu-west=https://eu.test:8443' });
    expect([...config.regionUrls]).toEqual([
      ['us-east', 'http://us.test'],
      ['eu-west', 'https://eu.test:8443'],
    ]);
  });
});

describe('PLT-010 an invalid or missing value stops start-up with one line naming the variable', () => {
  it.each([
    { variable: 'PORT', env: { PORT: 'abc' } },
    { variable: 'PORT', env: { PORT: '70000' } },
    { variable: 'KEEL_ROLE', env: { KEEL_ROLE: 'moon' } },
    { variable: 'BODY_LIMIT_BYTES', env: { BODY_LIMIT_BYTES: '-1' } },
    { variable: 'QUERY_REPEAT_WARN_THRESHOLD', env: { QUERY_REPEAT_WARN_THRESHOLD: '1.5' } },
    { variable: 'LOG_LEVEL', env: { LOG_LEVEL: 'loud' } },
    { variable: 'SENTRY_DSN', env: { SENTRY_DSN: 'not a url' } },
    { variable: 'REGIONAL_DATABASE_APP_URL', env: { ...regionalDatabaseUrls, REGIONAL_DATABASE_APP_URL: 'http://not-postgres.test/db' } },
    { variable: 'KEEL_REGION_URLS', env: { KEEL_REGION_URLS: 'us-east' } },
    { variable: 'FEED_LONG_POLL_MS', env: { FEED_LONG_POLL_MS: '30000' } },
    { variable: 'PUBLIC_URL', env: { PUBLIC_URL: 'https://keel.example/app' } },
    { variable: 'SIGNING_KEY_OVERLAP_MS', env: { SIGNING_KEY_OVERLAP_MS: '60000' } },
    { variable: 'AUTH_SECRET', env: { AUTH_SECRET: 'too short' } },
    { variable: 'PUBLIC_URL', env: { PUBLIC_URL: 'ftp://keel.test' } },
    { variable: 'TRUST_PROXY', env: { TRUST_PROXY: '10.0.0.0/33' } },
    { variable: 'TRUST_PROXY', env: { TRUST_PROXY: 'everyone' } },
  ])('rejects a bad $variable ($env)', ({ variable, env }) => {
    expectConfigError(env, variable);
  });

  it.each([
    { missing: 'REGIONAL_DATABASE_WORKER_URL', env: { REGIONAL_DATABASE_OWNER_URL: regionalDatabaseUrls.REGIONAL_DATABASE_OWNER_URL, REGIONAL_DATABASE_APP_URL: regionalDatabaseUrls.REGIONAL_DATABASE_APP_URL } },
    { missing: 'REGIONAL_DATABASE_OWNER_URL', env: { REGIONAL_DATABASE_WORKER_URL: regionalDatabaseUrls.REGIONAL_DATABASE_WORKER_URL } },
  ])('names $missing when only some regional database URLs are set', ({ missing, env }) => {
    expectConfigError(env, missing);
  });

  it.each([
    { missing: 'CENTRAL_JWKS_URL', env: { KEEL_ROLE: 'regional' } },
    { missing: 'CENTRAL_URL', env: { KEEL_ROLE: 'edge', KEEL_REGION_URLS: 'us-east=http://us.test' } },
    { missing: 'KEEL_REGION_URLS', env: { KEEL_ROLE: 'edge', CENTRAL_URL: 'http://central.test' } },
    { missing: 'CENTRAL_DATABASE_OWNER_URL', env: { KEEL_ROLE: 'all', ...regionalDatabaseUrls } },
    { missing: 'CENTRAL_URL', env: { KEEL_ROLE: 'regional', CENTRAL_JWKS_URL: 'http://central.test/jwks' } },
    { missing: 'KEEL_REGION_CREDENTIAL', env: { KEEL_ROLE: 'regional', CENTRAL_JWKS_URL: 'http://central.test/jwks', CENTRAL_URL: 'http://central.test' } },
    {
      missing: 'CENTRAL_URL',
      env: { KEEL_ROLE: 'regional', CENTRAL_JWKS_URL: 'http://central.test/jwks', FEED_DRIVER: 'sns', SNS_TOPIC_ARN: snsTopicArn, QUEUE_DRIVER: 'sqs', KEEL_REGION_CREDENTIAL: 'c'.repeat(32) },
    },
    { missing: 'SNS_TOPIC_ARN', env: { FEED_DRIVER: 'sns' } },
    { missing: 'RETRY_MAX_DELAY_MS', env: { QUEUE_DRIVER: 'sqs', RETRY_MAX_DELAY_MS: '900001' } },
    { missing: 'AUTH_SECRET', env: { NODE_ENV: 'production', KEEL_ROLE: 'central' } },
    { missing: 'AUTH_SECRET', env: { NODE_ENV: 'production', KEEL_ROLE: 'all' } },
    { missing: 'PUBLIC_URL', env: { NODE_ENV: 'production', KEEL_ROLE: 'all', AUTH_SECRET: 's'.repeat(32) } },
    { missing: 'STORAGE_SIGNING_SECRET', env: { NODE_ENV: 'production', KEEL_ROLE: 'all', AUTH_SECRET: 's'.repeat(32), PUBLIC_URL: 'https://keel.test', WEBHOOK_SECRET_KEY: 'w'.repeat(32) } },
  ])('names $missing when the role needs it ($env.KEEL_ROLE)', ({ missing, env }) => {
    expectConfigError(env, missing);
  });

  it.each(['all', 'regional'])('requires QUEUE_DRIVER=sqs with FEED_DRIVER=sns when the process runs a region (KEEL_ROLE=%s)', (role) => {
    const env = { KEEL_ROLE: role, FEED_DRIVER: 'sns', SNS_TOPIC_ARN: snsTopicArn, CENTRAL_JWKS_URL: 'http://central.test/jwks' };
    expectConfigError(env, 'QUEUE_DRIVER');
    expect(loadConfig({ ...env, QUEUE_DRIVER: 'sqs' }).feed).toMatchObject({ driver: 'sns', sns: { topicArn: snsTopicArn } });
  });

  it('never echoes a URL, DSN or credential, which may hold a secret', () => {
    const secret = 'hunter2-secret';
    expectConfigError({ ...regionalDatabaseUrls, REGIONAL_DATABASE_APP_URL: `mysql://app:${secret}@db.test/keel` }, 'REGIONAL_DATABASE_APP_URL', secret);
    expectConfigError({ SENTRY_DSN: `https://${secret}@ sentry.test/1` }, 'SENTRY_DSN', secret);
    expectConfigError({ KEEL_REGION_CREDENTIAL: secret }, 'KEEL_REGION_CREDENTIAL', secret);
    expectConfigError({ AUTH_SECRET: secret }, 'AUTH_SECRET', secret);
  });
});

function expectConfigError(env: NodeJS.ProcessEnv, variable: string, mustNotShow?: string): void {
  let thrown: unknown;
  try {
    loadConfig(env);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ConfigError);
  const message = (thrown as ConfigError).message;
  expect(message.startsWith(`Invalid configuration: ${variable} `), message).toBe(true);
  expect(message).not.toMatch(/[\r\n]/);
  if (mustNotShow !== undefined) expect(message).not.toContain(mustNotShow);
}

describe('PLT-016 demo data is for development', () => {
  it.each([
    { env: {}, seeds: true },
    { env: { KEEL_SEED: 'false' }, seeds: false },
    { env: { NODE_ENV: 'production', AUTH_SECRET: 's'.repeat(32), PUBLIC_URL: 'https://keel.example', WEBHOOK_SECRET_KEY: 'w'.repeat(32), STORAGE_SIGNING_SECRET: 'u'.repeat(32) }, seeds: false },
  ])('PLT-016 with $env demo data is seeded: $seeds', ({ env, seeds }) => {
    expect(loadConfig(env).seedDemoData).toBe(seeds);
  });

  it('PLT-016 KEEL_SEED=true is refused in production, naming the variable', () => {
    expectConfigError({ NODE_ENV: 'production', AUTH_SECRET: 's'.repeat(32), PUBLIC_URL: 'https://keel.example', KEEL_SEED: 'true' }, 'KEEL_SEED');
  });
});
