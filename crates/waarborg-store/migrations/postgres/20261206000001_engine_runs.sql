-- Intent before action: every engine run that changes the organisation's data (erasure,
-- rectification, sweep) is recorded here, with an `engine.intent` audit entry, BEFORE its data
-- transaction; its outcome (an `engine.run` or `engine.recovered` entry) fills `outcome` after.
-- A row without an outcome is a run that was interrupted (or still runs); recovery re-reads the
-- rows and records what actually happened.
CREATE TABLE engine_runs (
    id              TEXT PRIMARY KEY,        -- UUID v4
    op              TEXT NOT NULL,           -- erase, rectify, sweep
    case_id         TEXT,                    -- the case it answers, if any
    subject_fp      TEXT,                    -- keyed fingerprint of the person (never the identity)
    request_id      TEXT,
    register_sha256 TEXT,
    worker          TEXT NOT NULL,           -- host and pid of the process
    plan            TEXT NOT NULL,           -- JSON: the dry run's counts, `now`, rules
    started_at      TEXT NOT NULL,
    intent_seq      BIGINT NOT NULL,         -- the engine.intent audit entry
    outcome         TEXT,                    -- applied, failed, recovered: applied|partly applied|not applied
    outcome_seq     BIGINT,                  -- the audit entry of the outcome
    summary         TEXT,                    -- JSON: the outcome's counts (as in its audit entry)
    finished_at     TEXT
);
CREATE INDEX engine_runs_open ON engine_runs (outcome, started_at);

-- A random secret of this store, used (when no audit key is set) to key subject fingerprints,
-- so that a fingerprint cannot be confirmed by hashing a guessed address.
CREATE TABLE store_secret (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    secret TEXT NOT NULL
);
