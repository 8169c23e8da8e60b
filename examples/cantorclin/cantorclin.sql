-- Synthetic demo data for the cantorclin example; all candidates are invented and the BSNs are
-- made-up test numbers.
CREATE TABLE candidates (id INTEGER PRIMARY KEY, email VARCHAR(200) NOT NULL, name VARCHAR(200), phone VARCHAR(40), cv TEXT, iban VARCHAR(34), application_closed_at TIMESTAMP);
CREATE TABLE placements (id INTEGER PRIMARY KEY, candidate_id INTEGER NOT NULL REFERENCES candidates(id), client VARCHAR(200), hours_per_week INTEGER, contract_end DATE);
CREATE TABLE legal_records (id INTEGER PRIMARY KEY, candidate_id INTEGER NOT NULL REFERENCES candidates(id), bsn VARCHAR(9), id_document_number VARCHAR(20), employment_end DATE);
CREATE TABLE screenings (id INTEGER PRIMARY KEY, candidate_id INTEGER NOT NULL REFERENCES candidates(id), vaccination_status VARCHAR(50), vog_checked INTEGER, contract_end DATE);
INSERT INTO candidates VALUES (1, 'lotte.meijer@example.nl', 'Lotte Meijer', '06-40404040', 'Verpleegkundige, 6 jaar ervaring', 'NL00BANK0444555666', NULL);
INSERT INTO candidates VALUES (2, 'sem.vandam@example.nl', 'Sem van Dam', '06-50505050', 'Doktersassistent', NULL, '2026-09-01 12:00:00');
INSERT INTO candidates VALUES (3, 'iris.hendriks@example.nl', 'Iris Hendriks', '06-60606060', 'Fysiotherapeut', 'NL00BANK0777888999', NULL);
INSERT INTO placements VALUES (1, 1, 'Voorbeeldkliniek', 32, '2026-12-31');
INSERT INTO placements VALUES (2, 3, 'Testziekenhuis', 24, '2018-06-30');
INSERT INTO legal_records VALUES (1, 1, '000000012', 'XX0000001', NULL);
INSERT INTO legal_records VALUES (2, 3, '000000024', 'XX0000002', '2018-06-30');
INSERT INTO screenings VALUES (1, 1, 'volledig', 1, '2026-12-31');
INSERT INTO screenings VALUES (2, 3, 'volledig', 1, '2018-06-30');
