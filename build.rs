//! Warns when OpenH264 will be built without its x86 assembly: without `nasm` the `openh264`
//! crate falls back to plain C, and MP4 encoding takes about twice as long.

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    if !matches!(arch.as_str(), "x86_64" | "x86") {
        return;
    }
    let nasm = Command::new("nasm").arg("-v").output();
    if !nasm.is_ok_and(|out| out.status.success()) {
        println!(
            "cargo:warning=nasm not found: OpenH264 is built without its assembly and MP4 \
             encoding takes about twice as long; install nasm (apt-get install nasm), then \
             `cargo clean -p openh264-sys2` and build again"
        );
    }
}
