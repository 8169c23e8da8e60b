//! `datasets scan`: proposes a dataset from a live schema (foreign keys become references,
//! column names hint at data categories and identities). A proposal to review, not a verdict.

use crate::db::{Pool, introspect};
use crate::error::Result;
use crate::model::{
    ColumnAddr, ColumnSpec, DatabaseSpec, Datasets, Direction, Reference, TableSpec,
};

/// (category, identity kind) hinted by a column name.
pub fn hint(column: &str) -> Option<(&'static str, Option<&'static str>)> {
    let c = column.to_ascii_lowercase();
    let has = |xs: &[&str]| xs.iter().any(|x| c.contains(x));
    let is = |xs: &[&str]| xs.contains(&c.as_str());
    if has(&["email", "e_mail", "mailadres"]) || is(&["mail"]) {
        Some(("user.contact.email", Some("email")))
    } else if has(&["phone", "telefoon", "mobiel", "mobile"]) || is(&["tel"]) {
        Some(("user.contact.phone_number", Some("phone")))
    } else if has(&["bsn", "burgerservicenummer", "ssn"]) {
        Some((
            "user.government_id.national_identification_number",
            Some("bsn"),
        ))
    } else if has(&["iban", "rekeningnummer", "bank_account"]) {
        Some(("user.financial.bank_account", None))
    } else if has(&["birth", "geboorte", "dob"]) {
        Some(("user.demographic.date_of_birth", None))
    } else if has(&["customer_number", "klantnummer", "client_number"]) {
        Some(("user.unique_id", Some("customer_number")))
    } else if has(&["postcode", "postal", "zip"]) {
        Some(("user.contact.address.postal_code", None))
    } else if has(&["city", "woonplaats", "plaats"]) {
        Some(("user.contact.address.city", None))
    } else if has(&[
        "street",
        "straat",
        "address",
        "adres",
        "huisnummer",
        "house",
    ]) {
        Some(("user.contact.address.street", None))
    } else if has(&[
        "first_name",
        "last_name",
        "voornaam",
        "achternaam",
        "surname",
        "fullname",
    ]) || is(&["name", "naam"])
    {
        Some(("user.name", None))
    } else if has(&["ip_address", "ipaddress"]) || is(&["ip"]) {
        Some(("user.device.ip_address", None))
    } else if has(&["password", "wachtwoord"]) {
        Some(("user.authorization.credentials", None))
    } else if has(&["gender", "geslacht"]) {
        Some(("user.demographic.gender", None))
    } else {
        None
    }
}

/// A proposed dataset and what the proposal could not express.
#[derive(Debug, Clone)]
pub struct Proposal {
    /// The proposed dataset.
    pub datasets: Datasets,
    /// Composite foreign keys (`table(a, b) -> other(x, y)`) that are not proposed as
    /// references: the engine follows single-column references only.
    pub composite_keys: Vec<String>,
}

/// Reads the schema at `url` and proposes a dataset named `name`.
pub async fn scan(name: &str, url: &str) -> Result<Datasets> {
    Ok(scan_proposal(name, url).await?.datasets)
}

/// Reads the schema at `url` and proposes a dataset named `name`, with what it left out.
pub async fn scan_proposal(name: &str, url: &str) -> Result<Proposal> {
    let pool = Pool::connect(name, url).await?;
    let live = introspect(name, &pool).await?;
    let mut tables = Vec::new();
    let mut composite = Vec::new();
    for t in &live {
        let mut spec = TableSpec {
            name: t.name.clone(),
            schema: t.schema.clone().filter(|s| s != "public"),
            ..TableSpec::default()
        };
        for c in &t.columns {
            let is_key = t.primary_key.contains(&c.name);
            let is_fk = t.foreign_keys.iter().any(|f| f.columns.contains(&c.name));
            let (category, identity) = match hint(&c.name) {
                Some((cat, id)) if !is_key => (cat.to_string(), id.map(str::to_string)),
                _ if is_key || is_fk => ("system.operations".to_string(), None),
                _ => ("system.operations".to_string(), None),
            };
            spec.columns.push(ColumnSpec {
                name: c.name.clone(),
                category: Some(category),
                identity,
                masking: None,
                matching: None,
            });
        }
        let has_identity = spec.columns.iter().any(|c| c.identity.is_some());
        for fk in &t.foreign_keys {
            if let ([col], [rcol]) = (fk.columns.as_slice(), fk.ref_columns.as_slice()) {
                // Ownership: the walk goes from a person's row to the rows that point at it
                // (`from`). A row holding an identity may also lead to what it points at (an
                // address): the engine shows such a row as shared context unless it is the
                // person's alone. A reference from a table to itself links people: `from`.
                let direction = if has_identity && fk.ref_table != t.name {
                    Direction::Both
                } else {
                    Direction::From
                };
                spec.references.push(Reference {
                    column: col.clone(),
                    target: ColumnAddr {
                        database: name.to_string(),
                        table: fk.ref_table.clone(),
                        column: rcol.clone(),
                    },
                    direction,
                });
            } else {
                tracing::warn!(
                    table = %t.name,
                    "composite foreign key ({}) -> {}({}) is not proposed as a reference: the engine follows single-column references; describe a single-column link if there is one",
                    fk.columns.join(", "),
                    fk.ref_table,
                    fk.ref_columns.join(", ")
                );
                composite.push(format!(
                    "{}({}) -> {}({})",
                    t.name,
                    fk.columns.join(", "),
                    fk.ref_table,
                    fk.ref_columns.join(", ")
                ));
            }
        }
        tables.push(spec);
    }
    Ok(Proposal {
        datasets: Datasets {
            databases: vec![DatabaseSpec {
                name: name.to_string(),
                url: Some(url.to_string()),
                timezone: None,
                tables,
            }],
            masking: Default::default(),
            phone_country: None,
        },
        composite_keys: composite,
    })
}

#[cfg(test)]
mod tests {
    use super::hint;

    #[test]
    fn hints() {
        assert_eq!(hint("email").map(|h| h.1), Some(Some("email")));
        assert_eq!(
            hint("Telefoonnummer").map(|h| h.0),
            Some("user.contact.phone_number")
        );
        assert_eq!(hint("bsn").map(|h| h.1), Some(Some("bsn")));
        assert_eq!(
            hint("iban").map(|h| h.0),
            Some("user.financial.bank_account")
        );
        assert_eq!(
            hint("geboortedatum").map(|h| h.0),
            Some("user.demographic.date_of_birth")
        );
        assert_eq!(hint("amount"), None);
    }
}
