-- Custom migration: the PostgreSQL real-time adapter runs as the worker role; it writes payloads too
-- large for NOTIFY, reads the other instances', and deletes those older than 30 s.
GRANT SELECT, INSERT, DELETE ON realtime_attachments TO keel_regional_worker;
GRANT USAGE ON SEQUENCE realtime_attachments_id_seq TO keel_regional_worker;
