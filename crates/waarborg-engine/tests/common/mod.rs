//! Shared fixtures: a small web-shop schema on SQLite, PostgreSQL or MariaDB, its dataset and
//! register.
#![allow(dead_code)]

use sqlx::Connection;
use waarborg_engine::{Datasets, Policy};

pub const NOW: &str = "2026-11-20T12:00:00Z";

pub fn now() -> jiff::Timestamp {
    NOW.parse().unwrap()
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    Sqlite,
    Pg,
    /// MariaDB (or MySQL) on the server `WAARBORG_TEST_MYSQL_URL` names.
    Maria,
}

pub struct Db {
    pub url: String,
    pub kind: Kind,
    _dir: Option<tempfile::TempDir>,
    _pg: Option<waarborg_testkit::PgTestDb>,
    _maria: Option<waarborg_testkit::MariaTestDb>,
}

pub async fn new_db(kind: Kind) -> Db {
    match kind {
        Kind::Sqlite => {
            let dir = tempfile::tempdir().unwrap();
            let url = format!("sqlite://{}?mode=rwc", dir.path().join("shop.db").display());
            Db {
                url,
                kind,
                _dir: Some(dir),
                _pg: None,
                _maria: None,
            }
        }
        Kind::Pg => {
            let pg = waarborg_testkit::PgTestDb::create()
                .await
                .expect("test PostgreSQL must run");
            Db {
                url: pg.url().to_string(),
                kind,
                _dir: None,
                _pg: Some(pg),
                _maria: None,
            }
        }
        Kind::Maria => {
            let m = waarborg_testkit::MariaTestDb::create()
                .await
                .expect("test MariaDB must run");
            Db {
                url: m.url().to_string(),
                kind,
                _dir: None,
                _pg: None,
                _maria: Some(m),
            }
        }
    }
}

/// The fixture SQL in the dialect of `kind`: MariaDB casts to `CHAR`, not `TEXT`.
pub fn dialect(kind: Kind, sql: &str) -> String {
    match kind {
        Kind::Maria => sql.replace(" AS TEXT)", " AS CHAR)"),
        _ => sql.to_string(),
    }
}

/// A MariaDB cell as text (`NULL` for NULL), whatever its type.
fn maria_cell(r: &sqlx::mysql::MySqlRow, i: usize) -> String {
    use sqlx::Row;
    if let Ok(v) = r.try_get::<Option<String>, _>(i) {
        return v.unwrap_or_else(|| "NULL".into());
    }
    if let Ok(v) = r.try_get::<Option<i64>, _>(i) {
        return v.map_or_else(|| "NULL".into(), |v| v.to_string());
    }
    if let Ok(v) = r.try_get::<Option<f64>, _>(i) {
        return v.map_or_else(|| "NULL".into(), |v| v.to_string());
    }
    let v = r.try_get::<Option<Vec<u8>>, _>(i).unwrap();
    v.map_or_else(
        || "NULL".into(),
        |b| String::from_utf8_lossy(&b).into_owned(),
    )
}

/// Runs a script of `;`-separated statements.
pub async fn exec(db: &Db, script: &str) {
    let stmts: Vec<String> = script
        .split(";\n")
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty() && !s.lines().all(|l| l.trim_start().starts_with("--")))
        .collect();
    match db.kind {
        Kind::Sqlite => {
            let mut c = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
            for s in stmts {
                sqlx::query(sqlx::AssertSqlSafe(s.clone()))
                    .execute(&mut c)
                    .await
                    .unwrap_or_else(|e| panic!("{s}: {e}"));
            }
        }
        Kind::Pg => {
            let mut c = sqlx::PgConnection::connect(&db.url).await.unwrap();
            for s in stmts {
                sqlx::query(sqlx::AssertSqlSafe(s.clone()))
                    .execute(&mut c)
                    .await
                    .unwrap_or_else(|e| panic!("{s}: {e}"));
            }
        }
        Kind::Maria => {
            let mut c = sqlx::MySqlConnection::connect(&db.url).await.unwrap();
            for s in stmts {
                let s = dialect(db.kind, &s);
                sqlx::query(sqlx::AssertSqlSafe(s.clone()))
                    .execute(&mut c)
                    .await
                    .unwrap_or_else(|e| panic!("{s}: {e}"));
            }
        }
    }
}

/// Rows of a query whose every column is cast to text by the caller, joined by `|`.
pub async fn rows(db: &Db, sql: &str) -> Vec<String> {
    use sqlx::Row;
    match db.kind {
        Kind::Sqlite => {
            let mut c = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
            let rs = sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
                .fetch_all(&mut c)
                .await
                .unwrap();
            rs.iter()
                .map(|r| {
                    (0..r.len())
                        .map(|i| {
                            r.try_get::<Option<String>, _>(i)
                                .unwrap()
                                .unwrap_or_else(|| "NULL".into())
                        })
                        .collect::<Vec<_>>()
                        .join("|")
                })
                .collect()
        }
        Kind::Pg => {
            let mut c = sqlx::PgConnection::connect(&db.url).await.unwrap();
            let rs = sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
                .fetch_all(&mut c)
                .await
                .unwrap();
            rs.iter()
                .map(|r| {
                    (0..r.len())
                        .map(|i| {
                            r.try_get::<Option<String>, _>(i)
                                .unwrap()
                                .unwrap_or_else(|| "NULL".into())
                        })
                        .collect::<Vec<_>>()
                        .join("|")
                })
                .collect()
        }
        Kind::Maria => {
            let mut c = sqlx::MySqlConnection::connect(&db.url).await.unwrap();
            let rs = sqlx::query(sqlx::AssertSqlSafe(dialect(db.kind, sql)))
                .fetch_all(&mut c)
                .await
                .unwrap();
            rs.iter()
                .map(|r| {
                    (0..r.len())
                        .map(|i| maria_cell(r, i))
                        .collect::<Vec<_>>()
                        .join("|")
                })
                .collect()
        }
    }
}

pub async fn count(db: &Db, table: &str) -> usize {
    rows(db, &format!("SELECT CAST(COUNT(*) AS TEXT) FROM {table}")).await[0]
        .parse()
        .unwrap()
}

pub fn shop_schema(kind: Kind) -> String {
    let ts = if kind == Kind::Pg {
        "TIMESTAMP"
    } else {
        "DATETIME"
    };
    format!(
        "CREATE TABLE customer (id INTEGER PRIMARY KEY, email VARCHAR(200) NOT NULL, name TEXT, phone TEXT, last_contact {ts} NOT NULL);
CREATE TABLE address (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customer(id), street TEXT, city TEXT);
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customer(id), placed_at {ts} NOT NULL, total REAL, note TEXT);
CREATE TABLE invoice (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES orders(id), invoice_date DATE NOT NULL, name TEXT, email TEXT, amount REAL);
CREATE TABLE newsletter (email VARCHAR(200) PRIMARY KEY, subscribed_at {ts});
CREATE TABLE ticket (id INTEGER PRIMARY KEY, requester_email TEXT, body TEXT, created_at {ts});
"
    )
}

/// Jan (1) and Piet (2) with orders, invoices (recent and old), tickets; Klaas (3) long gone.
pub const SHOP_DATA: &str = "
INSERT INTO customer VALUES (1, 'jan@example.nl', 'Jan Jansen', '0612345678', '2026-10-01 10:00:00');
INSERT INTO customer VALUES (2, 'piet@example.nl', 'Piet Pietersen', '0687654321', '2026-09-01 10:00:00');
INSERT INTO customer VALUES (3, 'klaas@example.nl', 'Klaas Klaassen', NULL, '2020-01-01 10:00:00');
INSERT INTO address VALUES (1, 1, 'Dorpsstraat 1', 'Utrecht');
INSERT INTO address VALUES (2, 2, 'Kerkstraat 2', 'Zwolle');
INSERT INTO address VALUES (3, 3, 'Molenweg 3', 'Breda');
INSERT INTO orders VALUES (10, 1, '2026-09-01 12:00:00', 25.5, 'bel even aan');
INSERT INTO orders VALUES (11, 1, '2018-03-01 12:00:00', 10.0, 'achterdeur');
INSERT INTO orders VALUES (20, 2, '2026-08-01 12:00:00', 99.0, 'bij de buren');
INSERT INTO orders VALUES (21, 2, '2021-01-01 12:00:00', 15.0, 'graag snel');
INSERT INTO invoice VALUES (100, 10, '2026-09-02', 'Jan Jansen', 'jan@example.nl', 25.5);
INSERT INTO invoice VALUES (101, 11, '2018-03-02', 'Jan Jansen', 'jan@example.nl', 10.0);
INSERT INTO invoice VALUES (200, 20, '2026-08-02', 'Piet Pietersen', 'piet@example.nl', 99.0);
INSERT INTO invoice VALUES (201, 21, '2021-01-02', 'Piet Pietersen', 'piet@example.nl', 15.0);
INSERT INTO newsletter VALUES ('jan@example.nl', '2025-01-01 00:00:00');
INSERT INTO newsletter VALUES ('piet@example.nl', '2025-01-01 00:00:00');
INSERT INTO ticket VALUES (1, 'jan@example.nl', 'Waar blijft mijn pakket?', '2026-09-05 09:00:00');
INSERT INTO ticket VALUES (2, 'piet@example.nl', 'Retour', '2026-08-05 09:00:00');
INSERT INTO ticket VALUES (3, 'jan@example.nl', 'Oude vraag', '2024-01-05 09:00:00');
";

pub const SHOP_DATASETS: &str = r#"
[masking.categories]
"user.contact.email" = { strategy = "hash" }

[databases.shop.tables.customer]
purposes = ["orders"]
erase = "delete"
retention = { rule = "customers-2y", from = "last_contact" }
columns = { id = "user.unique_id", email = { category = "user.contact.email", identity = "email" }, name = "user.name", phone = { category = "user.contact.phone_number", identity = "phone" }, last_contact = "system.operations" }

[databases.shop.tables.address]
purposes = ["orders"]
columns = { id = "system.operations", customer_id = "user.unique_id", street = "user.contact.address.street", city = "user.contact.address.city" }
references = [{ column = "customer_id", to = "customer.id" }]

[databases.shop.tables.orders]
purposes = ["orders"]
erase = "mask"
retention = { rule = "orders-anon", from = "placed_at" }
columns = { id = "system.operations", customer_id = "user.unique_id", placed_at = "system.operations", total = "system.operations", note = "user.content" }
references = [{ column = "customer_id", to = "customer.id" }]

[databases.shop.tables.invoice]
purposes = ["invoices"]
erase = "mask"
retention = { rule = "invoices-5y", from = "invoice_date" }
hold = { hold = "fiscal", from = "invoice_date", keep = ["name"] }
columns = { id = "system.operations", order_id = "system.operations", invoice_date = "system.operations", name = "user.name", email = "user.contact.email", amount = "system.operations" }
references = [{ column = "order_id", to = "orders.id" }]

[databases.shop.tables.newsletter]
purposes = ["newsletter"]
columns = { email = { category = "user.contact.email", identity = "email" }, subscribed_at = "system.operations" }

[databases.shop.tables.ticket]
purposes = ["service"]
retention = { rule = "tickets-1y", from = "created_at" }
columns = { id = "system.operations", requester_email = "user.contact.email", body = "user.content", created_at = "system.operations" }
references = [{ column = "requester_email", to = "customer.email" }]
"#;

/// The shop's register, in the format of `policy.toml` (docs/policy.md).
pub const REGISTER: &str = r#"
[statement]
version = "test"
effective_date = 2026-01-01

[controller]
name = "Testwinkel B.V."
email = "privacy@testwinkel.example"

[rights]
complaint_authority = "Autoriteit Persoonsgegevens"

[[data]]
id = "name"
category = "user.name"
label = { nl = "Naam", en = "Name" }

[[data]]
id = "email"
category = "user.contact.email"
label = { nl = "E-mailadres", en = "E-mail address" }

[[purposes]]
id = "orders"
name = { nl = "Bestellingen afhandelen", en = "Handling orders" }
legal_basis = "contract"
data = ["name", "email"]
recipients = ["carrier"]

[[purposes]]
id = "invoices"
name = { nl = "Facturen", en = "Invoices" }
legal_basis = "legal_obligation"
data = ["name"]

[[purposes]]
id = "newsletter"
name = { nl = "Nieuwsbrief", en = "Newsletter" }
legal_basis = "consent"
data = ["email"]

[[purposes]]
id = "service"
name = { nl = "Klantenservice", en = "Customer service" }
legal_basis = "legitimate_interests"
data = ["email"]

[[events]]
id = "order_date"
label = { nl = "de bestelling", en = "the order" }

[[retention]]
id = "customers-2y"
purpose = "orders"
period = "P2Y"
from = "last_contact"

[[retention]]
id = "orders-anon"
purpose = "orders"
period = "P2Y"
from = "order_date"
action = "anonymise"

[[retention]]
id = "invoices-5y"
purpose = "invoices"
period = "P5Y"
from = "invoice_date"

[[retention]]
id = "tickets-1y"
purpose = "service"
period = "P1Y"
from = "request"

[[legal_holds]]
id = "fiscal"
law = "AWR art. 52(4)"
period = "P7Y"
from = "invoice_date"
purposes = ["invoices"]
note = { nl = "fiscale bewaarplicht", en = "fiscal duty to keep records" }

[[recipients]]
id = "carrier"
name = { nl = "Pakketbezorger", en = "Parcel carrier" }
role = "controller"
country = "NL"
"#;

pub fn datasets(db: &Db) -> Datasets {
    let mut ds = Datasets::from_toml(SHOP_DATASETS).unwrap();
    ds.bind(&[("shop".into(), db.url.clone())]).unwrap();
    ds
}

pub fn register() -> Policy {
    waarborg_policy::from_toml_str(REGISTER, "shop register").unwrap()
}

pub async fn shop(kind: Kind) -> Db {
    let db = new_db(kind).await;
    exec(&db, &shop_schema(kind)).await;
    exec(&db, SHOP_DATA).await;
    db
}

/// Everything about Piet (and Klaas), as text, to check nobody else's row changes.
pub async fn others(db: &Db) -> Vec<String> {
    let mut out = Vec::new();
    for sql in [
        "SELECT CAST(id AS TEXT), email, name, phone, CAST(last_contact AS TEXT) FROM customer WHERE id <> 1 ORDER BY id",
        "SELECT CAST(id AS TEXT), street, city FROM address WHERE customer_id <> 1 ORDER BY id",
        "SELECT CAST(id AS TEXT), note FROM orders WHERE customer_id <> 1 ORDER BY id",
        "SELECT CAST(id AS TEXT), name, email FROM invoice WHERE order_id NOT IN (10, 11) ORDER BY id",
        "SELECT email FROM newsletter WHERE email <> 'jan@example.nl' ORDER BY email",
        "SELECT CAST(id AS TEXT), requester_email, body FROM ticket WHERE id = 2",
    ] {
        out.extend(rows(db, sql).await);
    }
    out
}

/// A seed organisation of examples/<org>/: its database name, a person to erase, and one to
/// rectify with the value set.
pub struct Seed {
    pub org: &'static str,
    pub db: &'static str,
    pub erase: &'static str,
    pub rectify: &'static str,
    pub set: (&'static str, &'static str),
}

/// The five seed organisations.
pub const SEEDS: &[Seed] = &[
    Seed {
        org: "crmned-kantoor",
        db: "crm",
        erase: "femke.dijkstra@example.nl",
        rectify: "bram.vermeulen@example.nl",
        set: ("leads.job_title", "Eigenaar"),
    },
    Seed {
        org: "kvgo",
        db: "leden",
        erase: "anouk.bos@example.nl",
        rectify: "thijs.kok@example.nl",
        set: ("members.city", "Leeuwarden"),
    },
    Seed {
        org: "cantorclin",
        db: "bemiddeling",
        erase: "lotte.meijer@example.nl",
        rectify: "iris.hendriks@example.nl",
        set: ("placements.hours_per_week", "28"),
    },
    Seed {
        org: "werktijden",
        db: "app",
        erase: "ruben.dekker@example.nl",
        rectify: "eva.peters@example.nl",
        set: ("accounts.phone", "06-80808080"),
    },
    Seed {
        org: "leerwerkburo",
        db: "dossier",
        erase: "mila.vos@example.nl",
        rectify: "finn.dejong@example.nl",
        set: ("clients.birth_date", "1986-08-31"),
    },
];
