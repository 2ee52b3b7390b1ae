//! Running the program as a user does, from the repository root.
#![allow(dead_code)] // each test file uses a different part

use std::process::{Command, Output};

pub fn benchanim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_benchanim"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run benchanim")
}

/// Standard output of a run that must succeed.
pub fn stdout(args: &[&str]) -> String {
    let out = benchanim(args);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
