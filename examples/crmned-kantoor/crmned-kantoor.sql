-- Synthetic demo data for the crmned-kantoor example; all people are invented.
CREATE TABLE subscribers (id INTEGER PRIMARY KEY, email VARCHAR(200) NOT NULL, subscribed_at TIMESTAMP NOT NULL, unsubscribed_at TIMESTAMP);
CREATE TABLE leads (id INTEGER PRIMARY KEY, email VARCHAR(200) NOT NULL, name VARCHAR(200), company VARCHAR(200), job_title VARCHAR(100), phone VARCHAR(40), created_at TIMESTAMP NOT NULL);
CREATE TABLE downloads (id INTEGER PRIMARY KEY, lead_id INTEGER NOT NULL REFERENCES leads(id), whitepaper VARCHAR(200) NOT NULL, downloaded_at TIMESTAMP NOT NULL);
CREATE TABLE invoices (id INTEGER PRIMARY KEY, lead_id INTEGER REFERENCES leads(id), invoice_number VARCHAR(20) NOT NULL, invoice_date DATE NOT NULL, billing_name VARCHAR(200), billing_company VARCHAR(200), contact_email VARCHAR(200), amount_cents INTEGER NOT NULL);
INSERT INTO subscribers VALUES (1, 'femke.dijkstra@example.nl', '2024-02-01 09:00:00', NULL);
INSERT INTO subscribers VALUES (2, 'bram.vermeulen@example.nl', '2023-05-05 09:00:00', '2026-10-01 12:00:00');
INSERT INTO leads VALUES (1, 'femke.dijkstra@example.nl', 'Femke Dijkstra', 'Voorbeeld Zorg B.V.', 'Inkoper', '06-10101010', '2024-02-01 09:05:00');
INSERT INTO leads VALUES (2, 'bram.vermeulen@example.nl', 'Bram Vermeulen', 'Testbouw B.V.', 'Directeur', '06-20202020', '2023-05-05 09:10:00');
INSERT INTO downloads VALUES (1, 1, 'Whitepaper CRM in de zorg', '2024-02-01 09:06:00');
INSERT INTO downloads VALUES (2, 2, 'Whitepaper klantdata', '2023-05-05 09:11:00');
INSERT INTO invoices VALUES (1, 1, 'CK-2024-001', '2024-03-01', 'Femke Dijkstra', 'Voorbeeld Zorg B.V.', 'femke.dijkstra@example.nl', 125000);
INSERT INTO invoices VALUES (2, 2, 'CK-2017-044', '2017-06-01', 'Bram Vermeulen', 'Testbouw B.V.', 'bram.vermeulen@example.nl', 99000);
