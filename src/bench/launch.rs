//! Servers an experiment starts itself: each tenant's command, run in a process group of its
//! own so that Ctrl-C reaches benchanim alone (which files what was measured, then stops the
//! servers), its output logged, and awaited until it answers.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use hyper::Method;

use super::driver::stop::StopSignal;
use super::transport::Server;

/// How long a server has to end after SIGTERM before it is killed.
const STOP_GRACE: Duration = Duration::from_secs(10);
/// How long one readiness probe may take.
const PROBE_DEADLINE: Duration = Duration::from_secs(5);
/// How often a starting server is asked whether it is ready.
const PROBE_EVERY: Duration = Duration::from_millis(250);
/// How much of a server's output an error quotes.
const TAIL_LINES: usize = 12;

/// A server to start: whose it is, the program and its arguments, and where it will answer.
pub struct Launch {
    pub tenant: String,
    pub command: Vec<String>,
    pub url: String,
}

struct Launched {
    tenant: String,
    program: String,
    /// Where it answers once started.
    server: Server,
    child: Child,
    log: PathBuf,
}

/// The running servers; dropping them stops them.
pub struct Servers {
    servers: Vec<Launched>,
    _logs: tempfile::TempDir,
}

impl Servers {
    /// Starts every server, once sure that nothing answers at their targets yet (a server
    /// left running there would be measured instead of the new one).
    pub async fn start(launches: &[Launch]) -> anyhow::Result<Servers> {
        let mut targets = Vec::with_capacity(launches.len());
        for l in launches {
            let server = Server::new(&l.url, 1, PROBE_DEADLINE)
                .with_context(|| format!("tenant `{}`", l.tenant))?;
            if server.alive().await {
                bail!(
                    "tenant `{}`: something already listens at {}; stop it, or give the \
                     tenant's `command` and `url` another port",
                    l.tenant,
                    l.url
                );
            }
            targets.push(server);
        }
        let logs = tempfile::tempdir().context("cannot make a folder for the servers' logs")?;
        let mut servers = Servers {
            servers: Vec::new(),
            _logs: logs,
        };
        for (i, (l, server)) in launches.iter().zip(targets).enumerate() {
            let log = servers._logs.path().join(format!("{i}.log"));
            let out = File::create(&log).context("cannot make a server's log file")?;
            let err = out.try_clone()?;
            let (program, args) = l
                .command
                .split_first()
                .with_context(|| format!("tenant `{}`: `command` is empty", l.tenant))?;
            let child = std::os::unix::process::CommandExt::process_group(
                Command::new(program)
                    .args(args)
                    .stdin(Stdio::null())
                    .stdout(out)
                    .stderr(err),
                0,
            )
            .spawn()
            .with_context(|| format!("tenant `{}`: cannot start `{program}`", l.tenant))?;
            servers.servers.push(Launched {
                tenant: l.tenant.clone(),
                program: program.clone(),
                server,
                child,
                log,
            });
        }
        Ok(servers)
    }

    /// Waits until every server answers `/health` (llama.cpp, vLLM, SGLang) or `/v1/models`
    /// with 200; fails when one exits, `limit` passes, or the run is stopped.
    pub async fn wait_ready(&mut self, limit: Duration, stop: &StopSignal) -> anyhow::Result<()> {
        let began = Instant::now();
        for s in &mut self.servers {
            loop {
                if let Some(status) = s.child.try_wait()? {
                    bail!(
                        "tenant `{}`: its server `{}` ended ({status}) before it answered at \
                         {}. The end of its output:\n{}",
                        s.tenant,
                        s.program,
                        s.server.base,
                        tail(&s.log)
                    );
                }
                if ready(&s.server).await {
                    stderr_line!(
                        "   {}: ready at {} after {:.1} s",
                        s.tenant,
                        s.server.base,
                        began.elapsed().as_secs_f64()
                    );
                    break;
                }
                if began.elapsed() >= limit {
                    bail!(
                        "tenant `{}`: its server `{}` did not answer at {} within {} s \
                         (--ready-timeout). The end of its output:\n{}",
                        s.tenant,
                        s.program,
                        s.server.base,
                        limit.as_secs(),
                        tail(&s.log)
                    );
                }
                if let Some(why) = stop.get() {
                    bail!(
                        "{} while the servers started; nothing measured",
                        why.reason()
                    );
                }
                tokio::time::sleep(PROBE_EVERY).await;
            }
        }
        Ok(())
    }

    /// The process id of `tenant`'s server, if this experiment started it.
    pub fn pid(&self, tenant: &str) -> Option<u32> {
        self.servers
            .iter()
            .find(|s| s.tenant == tenant)
            .map(|s| s.child.id())
    }

    /// Copies each server's output to `<folder>/<tenant folder>/server.log`.
    pub fn keep_logs(&self, folder: &Path, tenant_folder: impl Fn(&str) -> String) {
        for s in &self.servers {
            let to = folder.join(tenant_folder(&s.tenant)).join("server.log");
            let copied = std::fs::create_dir_all(to.parent().unwrap_or(folder))
                .and_then(|()| std::fs::read(&s.log))
                .and_then(|bytes| crate::atomic::write_atomic(&to, &bytes).map_err(io_error));
            if let Err(e) = copied {
                stderr_line!(
                    "warning: tenant `{}`: cannot keep its server's log: {e}",
                    s.tenant
                );
            }
        }
    }
}

fn io_error(e: anyhow::Error) -> std::io::Error {
    std::io::Error::other(format!("{e:#}"))
}

async fn ready(server: &Server) -> bool {
    for path in ["/health", "/v1/models"] {
        let answer = tokio::time::timeout(PROBE_DEADLINE, server.fetch(Method::GET, path, None));
        if let Ok(Ok((200, _))) = answer.await {
            return true;
        }
    }
    false
}

/// The last lines of a log, indented; `(no output)` when it is empty or unreadable.
fn tail(log: &Path) -> String {
    let mut text = String::new();
    if let Ok(mut f) = File::open(log) {
        let len = f.metadata().map(|m| m.len()).unwrap_or(0);
        let _ = f.seek(SeekFrom::Start(len.saturating_sub(4096)));
        let mut bytes = Vec::new();
        let _ = f.read_to_end(&mut bytes);
        text = String::from_utf8_lossy(&bytes).into_owned();
    }
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    if lines.is_empty() {
        return "  (no output)".into();
    }
    lines[lines.len().saturating_sub(TAIL_LINES)..]
        .iter()
        .map(|l| format!("  {}", crate::terminal::printable(l)))
        .collect::<Vec<_>>()
        .join("\n")
}

impl Drop for Servers {
    /// SIGTERM to each server's process group, then SIGKILL to any still there after the grace.
    fn drop(&mut self) {
        for s in &mut self.servers {
            if let Ok(None) = s.child.try_wait() {
                signal_group(&s.child, libc::SIGTERM);
            }
        }
        let deadline = Instant::now() + STOP_GRACE;
        for s in &mut self.servers {
            while let Ok(None) = s.child.try_wait() {
                if Instant::now() >= deadline {
                    stderr_line!(
                        "warning: tenant `{}`: its server did not stop within {} s of SIGTERM; killed",
                        s.tenant,
                        STOP_GRACE.as_secs()
                    );
                    signal_group(&s.child, libc::SIGKILL);
                    let _ = s.child.wait();
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }
}

/// Sends `signal` to the child's process group (the child and anything it started).
fn signal_group(child: &Child, signal: libc::c_int) {
    if let Ok(group) = libc::pid_t::try_from(child.id()) {
        // SAFETY: kill(2) with a negative pid signals that process group; no memory is shared.
        unsafe {
            libc::kill(-group, signal);
        }
    }
}
