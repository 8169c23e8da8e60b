-- Synthetic demo data for the werktijden example; all users are invented.
CREATE TABLE accounts (id INTEGER PRIMARY KEY, email VARCHAR(200) NOT NULL, name VARCHAR(200), phone VARCHAR(40), password_hash VARCHAR(200), contract_ended_at TIMESTAMP);
CREATE TABLE timesheets (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE, work_date DATE NOT NULL, hours REAL, remark TEXT);
CREATE TABLE sessions (id INTEGER PRIMARY KEY, account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE, ip VARCHAR(45), ended_at TIMESTAMP);
INSERT INTO accounts VALUES (1, 'ruben.dekker@example.nl', 'Ruben Dekker', '06-70707070', 'argon2id$demo$1', NULL);
INSERT INTO accounts VALUES (2, 'eva.peters@example.nl', 'Eva Peters', NULL, 'argon2id$demo$2', '2026-10-01 00:00:00');
INSERT INTO timesheets VALUES (1, 1, '2026-11-02', 8, 'Project A');
INSERT INTO timesheets VALUES (2, 1, '2026-11-03', 7.5, NULL);
INSERT INTO timesheets VALUES (3, 2, '2026-09-29', 6, 'Afronding');
INSERT INTO sessions VALUES (1, 1, '192.0.2.10', '2026-11-19 17:00:00');
INSERT INTO sessions VALUES (2, 2, '192.0.2.20', '2026-09-30 17:00:00');
