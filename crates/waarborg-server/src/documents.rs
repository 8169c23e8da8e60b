//! Documents delivered for a case (certificates, access exports), kept in the data folder for
//! download: `<data>/cases/<case id>/<name>`. Names are made here, never taken from a request
//! without checking.

use std::path::{Path, PathBuf};

use waarborg_app::AppError;

fn safe(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_')
}

fn case_dir(data: &Path, case_id: &str) -> Result<PathBuf, AppError> {
    if !safe(case_id) {
        return Err(AppError::invalid("not a case id"));
    }
    Ok(data.join("cases").join(case_id))
}

/// Keeps `bytes` as document `name` of the case; replaces an older one atomically.
pub(crate) fn save(data: &Path, case_id: &str, name: &str, bytes: &[u8]) -> Result<(), AppError> {
    if !safe(name) {
        return Err(AppError::internal(format!("bad document name {name}")));
    }
    let dir = case_dir(data, case_id)?;
    std::fs::create_dir_all(&dir)
        .map_err(|e| AppError::from(e).context(format!("cannot create {}", dir.display())))?;
    let tmp = dir.join(format!(".{name}.tmp"));
    std::fs::write(&tmp, bytes)
        .map_err(|e| AppError::from(e).context(format!("cannot write {}", tmp.display())))?;
    std::fs::rename(&tmp, dir.join(name))
        .map_err(|e| AppError::from(e).context("cannot keep the document"))?;
    Ok(())
}

/// The documents of a case, by name.
pub(crate) fn list(data: &Path, case_id: &str) -> Result<Vec<String>, AppError> {
    let dir = case_dir(data, case_id)?;
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(AppError::from(e)),
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| safe(n))
        .collect();
    names.sort();
    Ok(names)
}

/// One document of a case.
pub(crate) fn read(data: &Path, case_id: &str, name: &str) -> Result<Vec<u8>, AppError> {
    if !safe(name) {
        return Err(AppError::not_found("no such document"));
    }
    let p = case_dir(data, case_id)?.join(name);
    std::fs::read(&p).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => AppError::not_found("no such document"),
        _ => AppError::from(e),
    })
}
