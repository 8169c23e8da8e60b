-- Who made each change to an incident (a dashboard user, an API token's user, or the CLI's
-- operating-system user), so that the breach register's history says who did what when.
-- Older events have none.
ALTER TABLE incident_events ADD COLUMN actor TEXT;
