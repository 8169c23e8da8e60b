-- Synthetic demo data for the kvgo example; all members are invented.
CREATE TABLE members (id INTEGER PRIMARY KEY, email VARCHAR(200) NOT NULL, name VARCHAR(200), street VARCHAR(200), city VARCHAR(100), phone VARCHAR(40), employer VARCHAR(200), birth_year INTEGER, erasure_requested_at TIMESTAMP);
CREATE TABLE contributions (id INTEGER PRIMARY KEY, member_id INTEGER NOT NULL REFERENCES members(id), invoice_date DATE NOT NULL, amount_cents INTEGER NOT NULL, iban VARCHAR(34));
CREATE TABLE newsletter (id INTEGER PRIMARY KEY, email VARCHAR(200) NOT NULL, unsubscribed_at TIMESTAMP);
CREATE TABLE messages (id INTEGER PRIMARY KEY, email VARCHAR(200) NOT NULL, name VARCHAR(200), body TEXT, sent_at TIMESTAMP NOT NULL, erasure_requested_at TIMESTAMP);
INSERT INTO members VALUES (1, 'anouk.bos@example.nl', 'Anouk Bos', 'Stationsweg 8', 'Amersfoort', '06-30303030', 'Voorbeeldziekenhuis', 1984, NULL);
INSERT INTO members VALUES (2, 'thijs.kok@example.nl', 'Thijs Kok', 'Havenkade 2', 'Harlingen', NULL, 'Testgemeente', 1979, '2026-11-01 10:00:00');
INSERT INTO contributions VALUES (1, 1, '2025-01-15', 4500, 'NL00BANK0111222333');
INSERT INTO contributions VALUES (2, 1, '2018-01-15', 4000, 'NL00BANK0111222333');
INSERT INTO newsletter VALUES (1, 'anouk.bos@example.nl', NULL);
INSERT INTO newsletter VALUES (2, 'thijs.kok@example.nl', '2026-10-01 08:00:00');
INSERT INTO messages VALUES (1, 'thijs.kok@example.nl', 'Thijs Kok', 'Graag mijn lidmaatschap opzeggen.', '2026-10-20 09:00:00', '2026-11-01 10:00:00');
INSERT INTO messages VALUES (2, 'anouk.bos@example.nl', 'Anouk Bos', 'Vraag over de cao.', '2026-09-01 09:00:00', NULL);
