-- Custom migration: the feed is written by central's app role in the transaction of the change,
-- and read by the feed endpoint; long-polling readers wake on this notification.
GRANT SELECT, INSERT ON feed_events TO keel_central_app;
--> statement-breakpoint
GRANT USAGE ON SEQUENCE feed_events_position_seq TO keel_central_app;
--> statement-breakpoint
GRANT SELECT, UPDATE ON feed_events TO keel_central_worker;
--> statement-breakpoint
GRANT SELECT ON regions TO keel_central_worker;
--> statement-breakpoint
CREATE FUNCTION keel_notify_feed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('keel_feed', '');
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER feed_events_notify AFTER INSERT ON feed_events FOR EACH STATEMENT EXECUTE FUNCTION keel_notify_feed();
