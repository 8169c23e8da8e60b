-- Waarborg store, schema version 3: the breach register (GDPR Art. 33(5)). An incident's row holds
-- its current state as one JSON document; every change is an event holding the document after it,
-- written in one transaction with an audit entry that commits to the document's SHA-256.

CREATE TABLE incidents (
    id          TEXT PRIMARY KEY,                -- UUID v7
    summary     TEXT NOT NULL,
    aware_at    TEXT NOT NULL,                   -- when the organisation became aware (the 72 h count from here)
    ap_deadline TEXT NOT NULL,                   -- aware_at + 72 hours
    status      TEXT NOT NULL,                   -- open, notified, closed
    doc         TEXT NOT NULL,                   -- JSON: the whole incident now
    updated_at  TEXT NOT NULL
);
CREATE INDEX incidents_deadline ON incidents (status, ap_deadline);

CREATE TABLE incident_events (
    id          BIGSERIAL PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    at          TEXT NOT NULL,
    event       TEXT NOT NULL,                   -- opened, updated, assessed, notified, informed, closed
    doc         TEXT NOT NULL,                   -- JSON: the incident after this event
    audit_seq   BIGINT NOT NULL
);
CREATE INDEX incident_events_incident ON incident_events (incident_id, id);
