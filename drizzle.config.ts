// drizzle-kit reads the schema and writes SQL migrations into db/migrations (committed); the
// application applies them at start with migrate() from db/client.ts. No credentials needed here:
// `generate` only diffs the schema against the migrations' snapshots.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema.ts',
  out: './db/migrations',
  strict: true,
  verbose: true,
});
