-- Custom migration: revocations are tenant data (written by the consumer of central's events in
-- the revoked token's tenant).
SELECT keel_isolate_tenant_table('token_revocations');
--> statement-breakpoint
-- Authentication asks on every request whether a token was revoked: one statement, not a
-- transaction of four. The function sets the token's (already verified) tenant for its own
-- implicit transaction, so row-level security still scopes the lookup; it runs as the caller.
CREATE FUNCTION keel_token_revoked(tenant uuid, token_subject text, issued_at_seconds bigint) RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM set_config('app.tenant_id', tenant::text, true);
  RETURN EXISTS (
    SELECT 1 FROM token_revocations
    WHERE tenant_id = tenant AND subject = token_subject
      -- iat has whole seconds: a token of the revocation's second counts as issued before it.
      AND issued_at_seconds <= floor(extract(epoch FROM revoked_at))
  );
END $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION keel_token_revoked(uuid, text, bigint) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION keel_token_revoked(uuid, text, bigint) TO keel_regional_app;
