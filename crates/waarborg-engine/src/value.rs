//! Values read from and written to customer databases, independent of the backend.

use serde::{Deserialize, Serialize};

/// The kind of a live column, derived from its SQL type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColKind {
    /// Integer types.
    Int,
    /// Floating point types.
    Float,
    /// Exact numbers (numeric, decimal, money); read as text.
    Numeric,
    /// Boolean.
    Bool,
    /// Character strings.
    Text,
    /// Binary strings.
    Bytes,
    /// Date and time without time zone.
    Timestamp,
    /// Date and time with time zone.
    TimestampTz,
    /// Calendar date.
    Date,
    /// Time of day.
    Time,
    /// UUID.
    Uuid,
    /// JSON documents.
    Json,
    /// Anything else (read as text, never written).
    Other,
}

impl ColKind {
    /// Whether values of this kind are dates or times that retention can count from.
    pub fn is_temporal(self) -> bool {
        matches!(
            self,
            ColKind::Timestamp | ColKind::TimestampTz | ColKind::Date | ColKind::Int
        )
    }

    /// Whether free text (hash or random strings) can be stored in a column of this kind.
    pub fn is_textual(self) -> bool {
        matches!(self, ColKind::Text)
    }

    /// The PostgreSQL type a text parameter is cast to when compared with or written into a
    /// column of this kind. Only fixed, known names: never schema text.
    pub(crate) fn pg_cast(self) -> Option<&'static str> {
        match self {
            ColKind::Timestamp => Some("timestamp"),
            ColKind::TimestampTz => Some("timestamptz"),
            ColKind::Date => Some("date"),
            ColKind::Time => Some("time"),
            ColKind::Uuid => Some("uuid"),
            ColKind::Json => Some("jsonb"),
            ColKind::Numeric => Some("numeric"),
            _ => None,
        }
    }

    /// Classifies a PostgreSQL `information_schema` data type.
    pub fn from_pg(data_type: &str) -> ColKind {
        match data_type {
            "smallint" | "integer" | "bigint" => ColKind::Int,
            "real" | "double precision" => ColKind::Float,
            "numeric" | "money" => ColKind::Numeric,
            "boolean" => ColKind::Bool,
            "character varying" | "character" | "text" | "citext" | "name" => ColKind::Text,
            "bytea" => ColKind::Bytes,
            "timestamp without time zone" => ColKind::Timestamp,
            "timestamp with time zone" => ColKind::TimestampTz,
            "date" => ColKind::Date,
            "time without time zone" | "time with time zone" => ColKind::Time,
            "uuid" => ColKind::Uuid,
            "json" | "jsonb" => ColKind::Json,
            _ => ColKind::Other,
        }
    }

    /// Classifies a MariaDB / MySQL column by its `information_schema` `DATA_TYPE` and
    /// `COLUMN_TYPE` (`tinyint(1)` is how both spell `BOOLEAN`; `TIMESTAMP` is a point in time,
    /// `DATETIME` a civil one; MariaDB's `JSON` is `longtext` and reads as text).
    pub fn from_mysql(data_type: &str, column_type: &str) -> ColKind {
        let d = data_type.to_ascii_lowercase();
        let full = column_type.to_ascii_lowercase();
        match d.as_str() {
            "tinyint" if full.starts_with("tinyint(1)") => ColKind::Bool,
            "bool" | "boolean" => ColKind::Bool,
            "tinyint" | "smallint" | "mediumint" | "int" | "integer" | "bigint" => ColKind::Int,
            "float" | "double" | "real" | "double precision" => ColKind::Float,
            "decimal" | "numeric" | "dec" | "fixed" => ColKind::Numeric,
            "char" | "varchar" | "tinytext" | "text" | "mediumtext" | "longtext" => ColKind::Text,
            "binary" | "varbinary" | "tinyblob" | "blob" | "mediumblob" | "longblob" => {
                ColKind::Bytes
            }
            "datetime" => ColKind::Timestamp,
            "timestamp" => ColKind::TimestampTz,
            "date" => ColKind::Date,
            "time" => ColKind::Time,
            "uuid" => ColKind::Uuid,
            "json" => ColKind::Json,
            _ => ColKind::Other,
        }
    }

    /// Classifies a SQLite declared type (by SQLite's affinity rules, with date/time and boolean
    /// names recognised).
    pub fn from_sqlite(decl: &str) -> ColKind {
        let d = decl.to_ascii_uppercase();
        if d.contains("INT") {
            ColKind::Int
        } else if d.contains("CHAR") || d.contains("CLOB") || d.contains("TEXT") {
            ColKind::Text
        } else if d.contains("BLOB") {
            ColKind::Bytes
        } else if d.contains("REAL") || d.contains("FLOA") || d.contains("DOUB") {
            ColKind::Float
        } else if d.contains("BOOL") {
            ColKind::Bool
        } else if d == "DATE" {
            ColKind::Date
        } else if d.contains("DATE") || d.contains("TIME") {
            ColKind::Timestamp
        } else if d.contains("UUID") || d.contains("JSON") {
            ColKind::Text
        } else if d.is_empty() {
            ColKind::Other
        } else {
            ColKind::Numeric
        }
    }
}

/// One value of one cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    /// SQL NULL.
    Null,
    /// An integer.
    Int(i64),
    /// A floating point number.
    Float(f64),
    /// Text (also dates, times, numerics, UUIDs and JSON, as the database prints them).
    Text(String),
    /// A boolean.
    Bool(bool),
    /// Bytes.
    Bytes(Vec<u8>),
}

impl Val {
    /// Whether this is NULL.
    pub fn is_null(&self) -> bool {
        matches!(self, Val::Null)
    }

    /// A canonical string for identity comparisons (set membership, row keys).
    pub fn key(&self) -> String {
        match self {
            Val::Null => "\u{0}null".to_string(),
            Val::Int(i) => i.to_string(),
            Val::Float(f) => f.to_string(),
            Val::Text(s) => s.clone(),
            Val::Bool(b) => b.to_string(),
            Val::Bytes(b) => hex::encode(b),
        }
    }

    /// The value as text (for hashing and CSV), `None` for NULL.
    pub fn as_text(&self) -> Option<String> {
        match self {
            Val::Null => None,
            other => Some(other.key()),
        }
    }

    /// The value as JSON (bytes as lowercase hex).
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Val::Null => serde_json::Value::Null,
            Val::Int(i) => serde_json::Value::from(*i),
            Val::Float(f) => serde_json::Number::from_f64(*f)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            Val::Text(s) => serde_json::Value::String(s.clone()),
            Val::Bool(b) => serde_json::Value::Bool(*b),
            Val::Bytes(b) => serde_json::Value::String(hex::encode(b)),
        }
    }

    /// Converts the value so that it can be compared with or stored in a column of `kind`.
    /// `None` when it cannot (e.g. text that is not a number for an integer column).
    pub fn coerce(&self, kind: ColKind) -> Option<Val> {
        match (self, kind) {
            (Val::Null, _) => Some(Val::Null),
            (Val::Int(i), ColKind::Int) => Some(Val::Int(*i)),
            (Val::Int(i), ColKind::Float) => Some(Val::Float(*i as f64)),
            (Val::Int(i), ColKind::Bool) => Some(Val::Bool(*i != 0)),
            (Val::Int(i), _) => Some(Val::Text(i.to_string())),
            (Val::Float(f), ColKind::Float) => Some(Val::Float(*f)),
            (Val::Float(f), ColKind::Int) if f.fract() == 0.0 => Some(Val::Int(*f as i64)),
            (Val::Float(_), ColKind::Int) => None,
            (Val::Float(f), _) => Some(Val::Text(f.to_string())),
            (Val::Bool(b), ColKind::Bool) => Some(Val::Bool(*b)),
            (Val::Bool(b), ColKind::Int) => Some(Val::Int(i64::from(*b))),
            (Val::Bool(b), _) => Some(Val::Text(b.to_string())),
            (Val::Bytes(b), ColKind::Bytes) => Some(Val::Bytes(b.clone())),
            (Val::Bytes(b), _) => Some(Val::Text(hex::encode(b))),
            (Val::Text(s), k) => parse_text(s, k),
        }
    }

    /// Converts to a sea-query value for binding.
    pub(crate) fn to_sea(&self) -> sea_query::Value {
        match self {
            Val::Null => sea_query::Value::String(None),
            Val::Int(i) => sea_query::Value::BigInt(Some(*i)),
            Val::Float(f) => sea_query::Value::Double(Some(*f)),
            Val::Text(s) => sea_query::Value::String(Some(s.clone())),
            Val::Bool(b) => sea_query::Value::Bool(Some(*b)),
            Val::Bytes(b) => sea_query::Value::Bytes(Some(b.clone())),
        }
    }
}

/// Parses user or database text into a value for a column of `kind`, validating it.
pub fn parse_text(s: &str, kind: ColKind) -> Option<Val> {
    match kind {
        ColKind::Int => s.trim().parse::<i64>().ok().map(Val::Int),
        ColKind::Float => s.trim().parse::<f64>().ok().map(Val::Float),
        ColKind::Bool => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "t" | "1" | "yes" | "ja" => Some(Val::Bool(true)),
            "false" | "f" | "0" | "no" | "nee" => Some(Val::Bool(false)),
            _ => None,
        },
        ColKind::Bytes => hex::decode(s.trim()).ok().map(Val::Bytes),
        ColKind::Numeric => {
            let t = s.trim().trim_start_matches('$').replace(',', "");
            t.parse::<f64>()
                .ok()
                .map(|_| Val::Text(s.trim().to_string()))
        }
        ColKind::Date => parse_civil(s).map(|dt| Val::Text(dt.date().to_string())),
        ColKind::Timestamp | ColKind::TimestampTz => {
            parse_civil(s).map(|_| Val::Text(s.trim().to_string()))
        }
        ColKind::Time => s
            .trim()
            .parse::<jiff::civil::Time>()
            .ok()
            .map(|_| Val::Text(s.trim().to_string())),
        ColKind::Uuid => uuid::Uuid::parse_str(s.trim())
            .ok()
            .map(|u| Val::Text(u.to_string())),
        ColKind::Json => serde_json::from_str::<serde_json::Value>(s)
            .ok()
            .map(|_| Val::Text(s.to_string())),
        ColKind::Text | ColKind::Other => Some(Val::Text(s.to_string())),
    }
}

/// Parses a date or date-time as a database prints it (`2020-04-01`, `2020-04-01 11:47:42`,
/// `2020-04-01T11:47:42.123`, with or without an offset) into a civil date-time. An offset, if
/// present, is dropped after converting to UTC.
pub fn parse_civil(s: &str) -> Option<jiff::civil::DateTime> {
    let t = s.trim();
    if let Ok(ts) = t.parse::<jiff::Timestamp>() {
        return Some(ts.to_zoned(jiff::tz::TimeZone::UTC).datetime());
    }
    if let Ok(dt) = t.parse::<jiff::civil::DateTime>() {
        return Some(dt);
    }
    if let Ok(d) = t.parse::<jiff::civil::Date>() {
        return Some(d.to_datetime(jiff::civil::Time::midnight()));
    }
    // PostgreSQL prints short offsets such as "+00" or "+01"; give them minutes.
    if let Some(idx) = t.rfind(['+', '-'])
        && idx > 10
        && t.len() - idx == 3
    {
        let fixed = format!("{t}:00");
        if let Ok(ts) = fixed.parse::<jiff::Timestamp>() {
            return Some(ts.to_zoned(jiff::tz::TimeZone::UTC).datetime());
        }
    }
    None
}

/// The text MariaDB / MySQL accepts for a date-time parameter: `YYYY-MM-DD HH:MM:SS[.f]`
/// without an offset (MariaDB refuses offsets). A value with an offset is converted to UTC,
/// the session time zone the engine sets, which is how `TIMESTAMP` columns are read.
pub(crate) fn mysql_datetime_text(s: &str) -> Option<String> {
    parse_civil(s).map(|dt| dt.strftime("%Y-%m-%d %H:%M:%S%.f").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_mysql_types() {
        assert_eq!(ColKind::from_mysql("tinyint", "tinyint(1)"), ColKind::Bool);
        assert_eq!(ColKind::from_mysql("tinyint", "tinyint(4)"), ColKind::Int);
        assert_eq!(
            ColKind::from_mysql("bigint", "bigint(20) unsigned"),
            ColKind::Int
        );
        assert_eq!(
            ColKind::from_mysql("varchar", "varchar(200)"),
            ColKind::Text
        );
        assert_eq!(ColKind::from_mysql("longtext", "longtext"), ColKind::Text);
        assert_eq!(
            ColKind::from_mysql("datetime", "datetime(6)"),
            ColKind::Timestamp
        );
        assert_eq!(
            ColKind::from_mysql("timestamp", "timestamp"),
            ColKind::TimestampTz
        );
        assert_eq!(
            ColKind::from_mysql("decimal", "decimal(10,2)"),
            ColKind::Numeric
        );
        assert_eq!(
            ColKind::from_mysql("varbinary", "varbinary(16)"),
            ColKind::Bytes
        );
        assert_eq!(ColKind::from_mysql("enum", "enum('a','b')"), ColKind::Other);
    }

    #[test]
    fn mysql_datetimes_have_no_offset() {
        assert_eq!(
            mysql_datetime_text("2026-10-01 10:00:00+00:00").as_deref(),
            Some("2026-10-01 10:00:00")
        );
        assert_eq!(
            mysql_datetime_text("2026-10-01T12:00:00+02:00").as_deref(),
            Some("2026-10-01 10:00:00")
        );
        assert_eq!(
            mysql_datetime_text("2026-10-01 10:00:00.25").as_deref(),
            Some("2026-10-01 10:00:00.25")
        );
        assert_eq!(mysql_datetime_text("gisteren"), None);
    }

    #[test]
    fn parses_database_dates() {
        assert!(parse_civil("2020-04-01 11:47:42").is_some());
        assert!(parse_civil("2020-04-01T11:47:42.5").is_some());
        assert!(parse_civil("2020-04-01").is_some());
        assert!(parse_civil("2020-04-01 11:47:42+00").is_some());
        assert!(parse_civil("2020-04-01 11:47:42+01:00").is_some());
        assert!(parse_civil("garbage").is_none());
    }

    #[test]
    fn coerces_for_columns() {
        assert_eq!(
            Val::Text("12".into()).coerce(ColKind::Int),
            Some(Val::Int(12))
        );
        assert_eq!(Val::Text("x".into()).coerce(ColKind::Int), None);
        assert_eq!(
            Val::Int(3).coerce(ColKind::Text),
            Some(Val::Text("3".into()))
        );
        assert_eq!(parse_text("ja", ColKind::Bool), Some(Val::Bool(true)));
    }
}
