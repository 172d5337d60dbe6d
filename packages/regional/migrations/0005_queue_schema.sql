-- Custom migration: the schema of the PostgreSQL queue (pg-boss). pg-boss installs and migrates its
-- own tables in it when the queue driver starts, connected as the worker role, which then owns them.
-- The owner creates the schema and lets the worker create objects in it and nowhere else: CREATE on
-- the database instead would let the worker create a schema of any name, such as one named after the
-- app or owner role, which comes first on that role's default search_path ("$user", public).
CREATE SCHEMA pgboss;
--> statement-breakpoint
GRANT USAGE, CREATE ON SCHEMA pgboss TO keel_regional_worker;
