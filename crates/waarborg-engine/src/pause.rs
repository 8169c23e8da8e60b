//! A test hook that stops the process at a named step, so that a test can kill it exactly there.
//!
//! In builds with debug assertions (tests, `cargo build`), [`pause_point`] checks the
//! environment variable `WAARBORG_TEST_PAUSE_AT`: when it names the step, the process writes
//! `waarborg: paused at STEP` to standard error and sleeps for good (the test then sends
//! SIGKILL). In release builds the function does nothing and reads no environment.
//!
//! The steps: `erase.before-commit` and `erase.after-commit` (the first database's erasure or
//! rectification transaction, its writes done), `sweep.before-commit` and `sweep.after-commit`
//! (the first batch), and the application's `run.before-intent`, `run.after-intent`,
//! `run.before-certificate`, `run.after-certificate` (see `waarborg_app::requests`).

/// The environment variable read by [`pause_point`] in debug builds.
pub const PAUSE_ENV: &str = "WAARBORG_TEST_PAUSE_AT";

/// Stops the process for good at `step` when `WAARBORG_TEST_PAUSE_AT` names it (debug builds
/// only; a no-op in release builds).
pub fn pause_point(step: &str) {
    #[cfg(debug_assertions)]
    {
        if std::env::var(PAUSE_ENV).is_ok_and(|v| v == step) {
            eprintln!("waarborg: paused at {step}");
            loop {
                std::thread::sleep(std::time::Duration::from_secs(3600));
            }
        }
    }
    #[cfg(not(debug_assertions))]
    let _ = step;
}
