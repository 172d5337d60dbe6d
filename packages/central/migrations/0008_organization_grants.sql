-- Custom migration: central's app role creates organizations with their owner's membership (one
-- transaction with the feed event) and reads them to list a user's organizations and sign tokens.
GRANT SELECT, INSERT ON organizations, memberships TO keel_central_app;
