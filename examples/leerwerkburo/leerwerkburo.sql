-- Synthetic demo data for the leerwerkburo example; all clients are invented and the BSNs are
-- made-up test numbers.
CREATE TABLE clients (id INTEGER PRIMARY KEY, email VARCHAR(200) NOT NULL, name VARCHAR(200), bsn VARCHAR(9), birth_date DATE, created_at TIMESTAMP NOT NULL);
CREATE TABLE case_notes (id INTEGER PRIMARY KEY, client_id INTEGER NOT NULL REFERENCES clients(id), note TEXT, medical_note TEXT, written_at TIMESTAMP NOT NULL);
CREATE TABLE accounts (id INTEGER PRIMARY KEY, client_id INTEGER NOT NULL REFERENCES clients(id), username VARCHAR(100), closed_at TIMESTAMP);
CREATE TABLE visits (id INTEGER PRIMARY KEY, ip VARCHAR(45), page VARCHAR(200), visited_at TIMESTAMP NOT NULL);
CREATE TABLE support_messages (id INTEGER PRIMARY KEY, email VARCHAR(200) NOT NULL, message TEXT, sent_at TIMESTAMP NOT NULL);
CREATE TABLE invoices (id INTEGER PRIMARY KEY, client_id INTEGER REFERENCES clients(id), invoice_number VARCHAR(20) NOT NULL, invoice_date DATE NOT NULL, billing_name VARCHAR(200), billing_email VARCHAR(200), amount_cents INTEGER NOT NULL);
INSERT INTO clients VALUES (1, 'mila.vos@example.nl', 'Mila Vos', '000000036', '1990-04-12', '2025-03-01 09:00:00');
INSERT INTO clients VALUES (2, 'finn.dejong@example.nl', 'Finn de Jong', '000000048', '1986-08-30', '2024-06-01 09:00:00');
INSERT INTO case_notes VALUES (1, 1, 'Start traject, doel: werk in de logistiek.', NULL, '2025-03-02 10:00:00');
INSERT INTO case_notes VALUES (2, 1, 'Voortgangsgesprek.', 'Belastbaarheid 20 uur per week', '2025-06-02 10:00:00');
INSERT INTO case_notes VALUES (3, 2, 'Afsluiting traject.', NULL, '2025-01-15 10:00:00');
INSERT INTO accounts VALUES (1, 1, 'milavos', NULL);
INSERT INTO accounts VALUES (2, 2, 'finnj', '2025-02-01 00:00:00');
INSERT INTO visits VALUES (1, '198.51.100.7', '/trajecten', '2025-05-05 10:00:00');
INSERT INTO visits VALUES (2, '198.51.100.8', '/contact', '2026-10-05 10:00:00');
INSERT INTO support_messages VALUES (1, 'mila.vos@example.nl', 'Kan mijn afspraak verzet worden?', '2025-04-01 09:00:00');
INSERT INTO support_messages VALUES (2, 'finn.dejong@example.nl', 'Vraag over mijn factuur', '2023-05-01 09:00:00');
INSERT INTO invoices VALUES (1, 1, 'LWB-2025-010', '2025-04-01', 'Mila Vos', 'mila.vos@example.nl', 120000);
INSERT INTO invoices VALUES (2, 2, 'LWB-2018-003', '2018-02-01', 'Finn de Jong', 'finn.dejong@example.nl', 80000);
