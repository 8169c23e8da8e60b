-- Waarborg store, schema version 1 (SQLite). Timestamps are RFC 3339 UTC text with exactly six
-- fractional digits (e.g. 2026-11-20T23:15:00.000000Z), so text order is time order.

CREATE TABLE cases (
    id              TEXT PRIMARY KEY,          -- UUID v7
    kind            TEXT NOT NULL,             -- access, rectification, erasure, ...
    status          TEXT NOT NULL,             -- received, verified, in_progress, done, rejected
    subject         TEXT,                      -- JSON object of identity key -> value; NULL once anonymised
    verification    TEXT,                      -- how the identity was verified; NULL until verified / once anonymised
    received_at     TEXT NOT NULL,
    due_at          TEXT NOT NULL,             -- the effective deadline (exclusive instant)
    original_due_at TEXT NOT NULL,             -- the deadline before any extension
    extended        INTEGER NOT NULL DEFAULT 0,
    extension_reason TEXT,
    outcome         TEXT,                      -- reason for rejection / note on completion
    claimed_by      TEXT,
    claimed_at      TEXT,
    closed_at       TEXT,
    anonymised_at   TEXT,
    updated_at      TEXT NOT NULL
);
CREATE INDEX cases_status_due ON cases (status, due_at);

CREATE TABLE case_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id     TEXT NOT NULL REFERENCES cases (id),
    at          TEXT NOT NULL,
    event       TEXT NOT NULL,                 -- opened, verified, started, extended, done, rejected, anonymised
    from_status TEXT,
    to_status   TEXT NOT NULL,
    detail      TEXT,                          -- free text (reason); NULL once anonymised
    audit_seq   INTEGER NOT NULL
);
CREATE INDEX case_events_case ON case_events (case_id, id);

CREATE TABLE consent_events (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    subject        TEXT NOT NULL,
    purpose        TEXT NOT NULL,
    action         TEXT NOT NULL,              -- granted, withdrawn, used
    scope          TEXT,                       -- standing, single_use (for granted and used)
    object         TEXT,                       -- single use: the one object
    recipient      TEXT,                       -- single use: the one recipient
    grant_id       INTEGER,                    -- used: the grant it uses
    register_hash  TEXT,
    wording_sha256 TEXT,
    wording        TEXT,
    source         TEXT NOT NULL,
    at             TEXT NOT NULL,
    audit_seq      INTEGER NOT NULL
);
CREATE INDEX consent_events_subject ON consent_events (subject, purpose, id);
CREATE UNIQUE INDEX consent_events_single_use ON consent_events (grant_id) WHERE action = 'used' AND scope = 'single_use';

CREATE TABLE audit_log (
    seq            INTEGER PRIMARY KEY,        -- 1, 2, 3, ... without gaps
    at             TEXT NOT NULL,
    kind           TEXT NOT NULL,
    alg            TEXT NOT NULL,              -- sha256 or hmac-sha256
    payload        TEXT,                       -- the JSON payload; NULL once erased
    payload_digest TEXT NOT NULL,              -- hex SHA-256 of the payload's UTF-8 bytes
    prev_hash      TEXT NOT NULL,
    hash           TEXT NOT NULL
);

-- One row: the chain's head. Writers lock it so that appends form one linear chain.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
