-- The data subject's portal: links sent by mail (verification, status, download, preferences,
-- unsubscribe), the requests that came in through it, and the outbox of mails to send.
-- No link is stored in the clear: only the hex SHA-256 of its random token.

CREATE TABLE portal_tokens (
    id           BIGSERIAL PRIMARY KEY,
    token_sha256 TEXT NOT NULL UNIQUE,           -- hex SHA-256 of the token in the link
    purpose      TEXT NOT NULL,                  -- verify, status, download, preferences, unsubscribe
    single_use   BIGINT NOT NULL,                -- 1: refused after its first use
    subject      TEXT NOT NULL,                  -- the normalised e-mail address the link was sent to
    kind         TEXT,                           -- verify: the request kind asked for
    lang         TEXT NOT NULL,                  -- nl, en
    case_id      TEXT,                           -- status, download: the case
    purpose_id   TEXT,                           -- unsubscribe: the register's purpose
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,                  -- exclusive instant
    used_at      TEXT                            -- first use
);
CREATE INDEX portal_tokens_expires ON portal_tokens (expires_at);

CREATE TABLE portal_requests (
    case_id     TEXT NOT NULL PRIMARY KEY,
    kind        TEXT NOT NULL,
    subject_key TEXT NOT NULL,                   -- hex SHA-256 of the normalised address (joins duplicates)
    subject     TEXT NOT NULL,                   -- the address, for the mails about the case
    lang        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    answered_at TEXT,                            -- when the answer (or refusal) mail was queued
    extension_notified_at TEXT                   -- when the extension notice was queued
);
CREATE INDEX portal_requests_subject ON portal_requests (subject_key, kind);
CREATE INDEX portal_requests_unanswered ON portal_requests (answered_at);

CREATE TABLE outbox (
    id               BIGSERIAL PRIMARY KEY,
    kind             TEXT NOT NULL,              -- verification, receipt, extension, answer, rejection, consent
    to_addr          TEXT NOT NULL,
    subject          TEXT NOT NULL,
    body             TEXT NOT NULL,
    list_unsubscribe TEXT,                       -- the one-click URL (RFC 8058), when about a subscription
    case_id          TEXT,
    created_at       TEXT NOT NULL,
    attempts         BIGINT NOT NULL DEFAULT 0, 
    next_attempt_at  TEXT NOT NULL,
    sent_at          TEXT,
    last_error       TEXT                        -- the last failure (no address in it)
);
CREATE INDEX outbox_due ON outbox (sent_at, next_attempt_at);
