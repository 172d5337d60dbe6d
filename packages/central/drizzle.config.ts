import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './packages/central/src/schema.ts',
  out: './packages/central/migrations',
});
