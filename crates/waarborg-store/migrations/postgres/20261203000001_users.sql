-- Waarborg store, schema version 2 (PostgreSQL): accounts, sessions, API tokens and login throttling.
-- No secret is stored in the clear: passwords as argon2id PHC strings, session and API tokens as
-- hex SHA-256, failed logins under a hash of the e-mail address.

CREATE TABLE users (
    id            BIGSERIAL PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,          -- trimmed and lower-cased
    password_hash TEXT NOT NULL,                 -- argon2id PHC string ($argon2id$v=19$m=...)
    role          TEXT NOT NULL,                 -- officer, operator, auditor
    lang          TEXT NOT NULL DEFAULT 'nl',    -- nl, en
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    disabled_at   TEXT                           -- NULL while the account may log in
);

CREATE TABLE sessions (
    id           BIGSERIAL PRIMARY KEY,
    token_sha256 TEXT NOT NULL UNIQUE,           -- hex SHA-256 of the token held by the browser
    user_id      BIGINT NOT NULL REFERENCES users (id),
    csrf_secret  TEXT NOT NULL,                  -- random, hex; CSRF tokens are derived from it
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL                   -- absolute expiry (exclusive instant)
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE api_tokens (
    id           BIGSERIAL PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,                  -- the token's first characters, for display (not secret)
    token_sha256 TEXT NOT NULL UNIQUE,           -- hex SHA-256 of the whole token
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id, id);

CREATE TABLE login_failures (
    id        BIGSERIAL PRIMARY KEY,
    email_key TEXT NOT NULL,                     -- hex SHA-256 of the case-folded e-mail (never the address)
    at        TEXT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (email_key, at);
CREATE INDEX login_failures_at ON login_failures (at);
