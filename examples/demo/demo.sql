-- Demo database of the fictional web shop "Voorbeeld Webwinkel B.V." (examples/demo/policy.toml).
-- Every person here is invented; addresses and numbers are made up (e-mail under example.nl).
-- Runs unchanged on SQLite and PostgreSQL. Dates are chosen so that a sweep at 2026-11-20 finds
-- expired rows for each retention rule, and an erasure meets the fiscal legal hold.

CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    email VARCHAR(200) NOT NULL,
    name VARCHAR(200),
    phone VARCHAR(40),
    street VARCHAR(200),
    postcode VARCHAR(10),
    city VARCHAR(100),
    created_at TIMESTAMP NOT NULL,
    last_contact TIMESTAMP NOT NULL
);

CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    ordered_at TIMESTAMP NOT NULL,
    delivered_at TIMESTAMP,
    total_cents INTEGER NOT NULL,
    delivery_street VARCHAR(200),
    delivery_postcode VARCHAR(10),
    delivery_city VARCHAR(100),
    delivery_note TEXT
);

CREATE TABLE order_lines (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders(id),
    product VARCHAR(200) NOT NULL,
    quantity INTEGER NOT NULL,
    price_cents INTEGER NOT NULL
);

CREATE TABLE invoices (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL REFERENCES orders(id),
    invoice_number VARCHAR(20) NOT NULL,
    invoice_date DATE NOT NULL,
    customer_name VARCHAR(200),
    billing_street VARCHAR(200),
    billing_postcode VARCHAR(10),
    billing_city VARCHAR(100),
    customer_email VARCHAR(200),
    iban VARCHAR(34),
    amount_cents INTEGER NOT NULL
);

CREATE TABLE newsletter_subscriptions (
    id INTEGER PRIMARY KEY,
    email VARCHAR(200) NOT NULL,
    first_name VARCHAR(100),
    subscribed_at TIMESTAMP NOT NULL,
    withdrawn_at TIMESTAMP
);

CREATE TABLE support_tickets (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER REFERENCES customers(id),
    email VARCHAR(200) NOT NULL,
    subject VARCHAR(200),
    message TEXT,
    created_at TIMESTAMP NOT NULL,
    last_contact TIMESTAMP NOT NULL
);

CREATE TABLE analytics_events (
    id INTEGER PRIMARY KEY,
    cookie_id VARCHAR(64) NOT NULL,
    customer_id INTEGER,
    page VARCHAR(200) NOT NULL,
    occurred_at TIMESTAMP NOT NULL
);

INSERT INTO customers VALUES (1, 'sanne.devries@example.nl', 'Sanne de Vries', '06-11112222', 'Lindelaan 12', '3511 AB', 'Utrecht', '2019-03-14 10:02:00', '2026-10-02 15:40:00');
INSERT INTO customers VALUES (2, 'daan.bakker@example.nl', 'Daan Bakker', '06-22223333', 'Beukenweg 4', '9711 CD', 'Groningen', '2021-06-01 09:00:00', '2026-06-18 11:12:00');
INSERT INTO customers VALUES (3, 'emma.visser@example.nl', 'Emma Visser', NULL, 'Kastanjeplein 7', '5611 EF', 'Eindhoven', '2018-01-20 19:30:00', '2023-02-11 08:45:00');
INSERT INTO customers VALUES (4, 'lucas.smit@example.nl', 'Lucas Smit', '06-44445555', 'Eikenlaan 30', '2511 GH', 'Den Haag', '2024-09-09 14:14:00', '2024-09-09 14:14:00');
INSERT INTO customers VALUES (5, 'julia.mulder@example.nl', 'Julia Mulder', '06-55556666', 'Wilgenstraat 3', '6811 JK', 'Arnhem', '2020-11-30 21:05:00', '2026-11-01 10:00:00');

INSERT INTO orders VALUES (101, 1, '2019-03-14 10:05:00', '2019-03-16 12:00:00', 4995, 'Lindelaan 12', '3511 AB', 'Utrecht', 'Graag bij de buren afgeven');
INSERT INTO orders VALUES (102, 1, '2022-05-02 08:00:00', '2022-05-04 13:30:00', 2450, 'Lindelaan 12', '3511 AB', 'Utrecht', NULL);
INSERT INTO orders VALUES (103, 1, '2026-09-28 17:45:00', '2026-09-30 10:10:00', 8900, 'Lindelaan 12', '3511 AB', 'Utrecht', 'Achterom, groene poort');
INSERT INTO orders VALUES (201, 2, '2026-06-15 12:00:00', '2026-06-17 09:00:00', 1299, 'Beukenweg 4', '9711 CD', 'Groningen', NULL);
INSERT INTO orders VALUES (301, 3, '2023-02-01 20:00:00', '2023-02-03 14:00:00', 3500, 'Kastanjeplein 7', '5611 EF', 'Eindhoven', 'Niet aanbellen na 20 uur');
INSERT INTO orders VALUES (501, 5, '2026-10-30 09:30:00', NULL, 15900, 'Wilgenstraat 3', '6811 JK', 'Arnhem', NULL);

INSERT INTO order_lines VALUES (1, 101, 'Theepot Delfts blauw', 1, 4995);
INSERT INTO order_lines VALUES (2, 102, 'Stroopwafelblik', 2, 1225);
INSERT INTO order_lines VALUES (3, 103, 'Fietstas waterdicht', 1, 8900);
INSERT INTO order_lines VALUES (4, 201, 'Notitieboek A5', 1, 1299);
INSERT INTO order_lines VALUES (5, 301, 'Klompen maat 39', 1, 3500);
INSERT INTO order_lines VALUES (6, 501, 'Regenjas', 1, 15900);

INSERT INTO invoices VALUES (1001, 101, 'VW-2019-0041', '2019-03-14', 'Sanne de Vries', 'Lindelaan 12', '3511 AB', 'Utrecht', 'sanne.devries@example.nl', 'NL00BANK0123456789', 4995);
INSERT INTO invoices VALUES (1002, 102, 'VW-2022-0310', '2022-05-02', 'Sanne de Vries', 'Lindelaan 12', '3511 AB', 'Utrecht', 'sanne.devries@example.nl', 'NL00BANK0123456789', 2450);
INSERT INTO invoices VALUES (1003, 103, 'VW-2026-0815', '2026-09-28', 'Sanne de Vries', 'Lindelaan 12', '3511 AB', 'Utrecht', 'sanne.devries@example.nl', 'NL00BANK0123456789', 8900);
INSERT INTO invoices VALUES (2001, 201, 'VW-2026-0522', '2026-06-15', 'Daan Bakker', 'Beukenweg 4', '9711 CD', 'Groningen', 'daan.bakker@example.nl', 'NL00BANK0987654321', 1299);
INSERT INTO invoices VALUES (3001, 301, 'VW-2023-0077', '2023-02-01', 'Emma Visser', 'Kastanjeplein 7', '5611 EF', 'Eindhoven', 'emma.visser@example.nl', NULL, 3500);
INSERT INTO invoices VALUES (5001, 501, 'VW-2026-0901', '2026-10-30', 'Julia Mulder', 'Wilgenstraat 3', '6811 JK', 'Arnhem', 'julia.mulder@example.nl', 'NL00BANK0555666777', 15900);

INSERT INTO newsletter_subscriptions VALUES (1, 'sanne.devries@example.nl', 'Sanne', '2019-03-14 10:06:00', NULL);
INSERT INTO newsletter_subscriptions VALUES (2, 'lucas.smit@example.nl', 'Lucas', '2024-09-09 14:15:00', '2026-09-01 08:00:00');
INSERT INTO newsletter_subscriptions VALUES (3, 'noor.jansen@example.nl', 'Noor', '2025-02-02 12:00:00', NULL);
INSERT INTO newsletter_subscriptions VALUES (4, 'julia.mulder@example.nl', 'Julia', '2026-11-01 10:01:00', '2026-11-10 18:00:00');

INSERT INTO support_tickets VALUES (1, 1, 'sanne.devries@example.nl', 'Pakket niet ontvangen', 'Mijn pakket is nog niet bezorgd, kunt u kijken waar het is?', '2026-09-30 18:00:00', '2026-10-02 15:40:00');
INSERT INTO support_tickets VALUES (2, 1, 'sanne.devries@example.nl', 'Factuur kwijt', 'Kunt u de factuur van mei opnieuw sturen?', '2022-06-01 09:00:00', '2022-06-02 10:00:00');
INSERT INTO support_tickets VALUES (3, NULL, 'noor.jansen@example.nl', 'Vraag over levertijd', 'Hoe lang duurt levering naar Belgie?', '2025-01-10 11:00:00', '2025-01-10 15:00:00');
INSERT INTO support_tickets VALUES (4, 2, 'daan.bakker@example.nl', 'Retour', 'Ik wil het notitieboek ruilen.', '2026-06-20 10:00:00', '2026-06-21 10:00:00');

INSERT INTO analytics_events VALUES (1, 'c0ffee01', 1, '/producten/theepot', '2025-05-01 10:00:00');
INSERT INTO analytics_events VALUES (2, 'c0ffee01', 1, '/winkelwagen', '2026-09-28 17:40:00');
INSERT INTO analytics_events VALUES (3, 'beef0002', NULL, '/', '2024-12-24 23:59:00');
INSERT INTO analytics_events VALUES (4, 'beef0003', 2, '/producten/notitieboek', '2026-06-15 11:55:00');
