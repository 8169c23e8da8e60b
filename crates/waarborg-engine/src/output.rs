//! Writing an output file without destroying what the path names: a regular file is replaced
//! atomically (a temporary file beside it, then a rename), a symbolic link keeps pointing where
//! it pointed (its target is written), a device or a pipe (`/dev/null`, `/dev/stdout`, a FIFO)
//! is written in place, and `-` means standard output. A directory is refused.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{EngineError, Result};

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> EngineError + '_ {
    move |source| EngineError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Writes `bytes` to `path` as described in the module documentation.
pub fn write_output(path: &Path, bytes: &[u8]) -> Result<()> {
    if path.as_os_str() == "-" {
        let mut out = std::io::stdout().lock();
        out.write_all(bytes).map_err(io(path))?;
        return out.flush().map_err(io(path));
    }
    // Follow a symbolic link (chains too) to the file it names: the link stays a link.
    let target: PathBuf = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(path).map_err(io(path))?,
        _ => path.to_path_buf(),
    };
    match std::fs::metadata(&target) {
        Ok(m) if m.is_dir() => Err(EngineError::Io {
            path: path.display().to_string(),
            source: std::io::Error::other("is a directory; give a file name"),
        }),
        Ok(m) if !m.is_file() => {
            // A device, a pipe or a socket: write into it, never replace it.
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .open(&target)
                .map_err(io(path))?;
            f.write_all(bytes).map_err(io(path))
        }
        _ => {
            // A regular file or a new one: write beside it, make it durable, then rename.
            let dir = target
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let name = target
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_else(|| "output".into());
            let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
            let result = (|| {
                let mut f = std::fs::File::create(&tmp)?;
                f.write_all(bytes)?;
                f.sync_all()?;
                std::fs::rename(&tmp, &target)
            })();
            if result.is_err() {
                let _ = std::fs::remove_file(&tmp);
            }
            result.map_err(io(path))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_regular_files_and_keeps_links_and_devices() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let file = dir.path().join("cert.json");
        write_output(&file, b"one").unwrap_or_else(|e| panic!("{e}"));
        write_output(&file, b"two").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(std::fs::read(&file).ok(), Some(b"two".to_vec()));
        // A link stays a link; its target gets the text.
        #[cfg(unix)]
        {
            let link = dir.path().join("link.json");
            std::os::unix::fs::symlink(&file, &link).unwrap_or_else(|e| panic!("{e}"));
            write_output(&link, b"three").unwrap_or_else(|e| panic!("{e}"));
            let m = std::fs::symlink_metadata(&link).unwrap_or_else(|e| panic!("{e}"));
            assert!(m.file_type().is_symlink());
            assert_eq!(std::fs::read(&file).ok(), Some(b"three".to_vec()));
            // A device is written in place, not replaced by a file.
            write_output(Path::new("/dev/null"), b"x").unwrap_or_else(|e| panic!("{e}"));
            let m = std::fs::metadata("/dev/null").unwrap_or_else(|e| panic!("{e}"));
            assert!(!m.is_file());
        }
        assert!(
            write_output(dir.path(), b"x").is_err(),
            "a directory is refused"
        );
    }
}
