-- Custom migration: the feed cursor is the worker role's (the feed subscription runs as worker).
GRANT SELECT, INSERT, UPDATE ON feed_cursors TO keel_regional_worker;
