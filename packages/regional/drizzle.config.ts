import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './packages/regional/src/schema.ts',
  out: './packages/regional/migrations',
});
