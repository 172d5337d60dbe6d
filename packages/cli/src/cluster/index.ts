export { haproxyConfig, STICKY_COOKIE, type HaproxyConfigOptions, type HaproxyInstance } from './haproxy-config.ts';
export { redisServerArgs } from './redis-server.ts';
