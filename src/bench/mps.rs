//! The CUDA MPS control daemon, started for an experiment with MPS on (`--start-mps`) and told
//! to quit when it ends. Servers must start after it to share the GPU through it.

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

const CONTROL: &str = "nvidia-cuda-mps-control";
/// How long starting or stopping the daemon may take.
const DEADLINE: Duration = Duration::from_secs(30);

/// The daemon this run started; dropping it makes it quit.
pub struct MpsDaemon {
    control: PathBuf,
}

impl MpsDaemon {
    /// Starts the daemon (`nvidia-cuda-mps-control -d`): needs the program, which comes with
    /// the NVIDIA driver, and root.
    pub fn start() -> anyhow::Result<MpsDaemon> {
        let Some(control) = on_path(CONTROL) else {
            bail!(
                "--start-mps: `{CONTROL}` is not on PATH. It comes with the NVIDIA driver on \
                 machines with a GPU; without it, leave --start-mps out"
            );
        };
        // SAFETY: geteuid(2) only reads the process' user id.
        if unsafe { libc::geteuid() } != 0 {
            bail!(
                "--start-mps: starting the MPS control daemon needs root. Run as root, or start \
                 it yourself (`sudo {CONTROL} -d`) and leave --start-mps out"
            );
        }
        // Its output goes to a file, not a pipe: the daemon it forks may hold a pipe open.
        let mut output = tempfile::tempfile()?;
        let mut child = Command::new(&control)
            .arg("-d")
            .stdin(Stdio::null())
            .stdout(output.try_clone()?)
            .stderr(output.try_clone()?)
            .spawn()
            .with_context(|| format!("--start-mps: cannot run `{}`", control.display()))?;
        let status = wait(&mut child)?;
        if !status.success() {
            let mut said = String::new();
            output.seek(SeekFrom::Start(0))?;
            output.read_to_string(&mut said)?;
            bail!(
                "--start-mps: `{CONTROL} -d` failed ({status}): {}",
                crate::terminal::printable(said.trim())
            );
        }
        stderr_line!("== MPS control daemon started");
        Ok(MpsDaemon { control })
    }
}

impl Drop for MpsDaemon {
    /// `echo quit | nvidia-cuda-mps-control`.
    fn drop(&mut self) {
        let quit = Command::new(&self.control)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .and_then(|mut child| {
                if let Some(mut stdin) = child.stdin.take() {
                    stdin.write_all(b"quit\n")?;
                }
                wait(&mut child).map_err(std::io::Error::other)
            });
        match quit {
            Ok(status) if status.success() => stderr_line!("== MPS control daemon stopped"),
            Ok(status) => {
                stderr_line!("warning: `{CONTROL}` quit: {status}; is the daemon still up?")
            }
            Err(e) => stderr_line!("warning: cannot stop the MPS control daemon: {e}"),
        }
    }
}

/// Waits for `child` up to [`DEADLINE`], killing it past that.
fn wait(child: &mut std::process::Child) -> anyhow::Result<std::process::ExitStatus> {
    let began = Instant::now();
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(status);
        }
        if began.elapsed() >= DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            bail!("`{CONTROL}` did not finish within {} s", DEADLINE.as_secs());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Where `program` is on PATH, if anywhere.
fn on_path(program: &str) -> Option<PathBuf> {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|p| {
            p.metadata()
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
}
