//! A process's resident memory, read from `/proc/<pid>/status`: a server's sampled through the
//! measured requests (what serving the load cost it over idle), and a program's peak once it
//! has ended (`getrusage`), as exo-lab reports memory per model.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::results::Row;

/// Largest process id Linux hands out (`/proc/sys/kernel/pid_max` at most).
pub const MAX_PID: u32 = 4_194_304;
const PERIOD: Duration = Duration::from_millis(100);

/// Resident memory now (`VmRSS`) and at its peak so far (`VmHWM`), in KiB; `None` when the
/// process is gone or its status unreadable.
pub fn resident_kib(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| {
                rest.trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse::<u64>()
                    .ok()
            })
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// Checks that `pid` (`--server-pid`) names a process whose memory can be read.
pub fn check_pid(pid: u32) -> anyhow::Result<()> {
    if !(1..=MAX_PID).contains(&pid) {
        anyhow::bail!("--server-pid {pid} is out of range: 1 to {MAX_PID}");
    }
    if resident_kib(pid).is_none() {
        anyhow::bail!(
            "--server-pid {pid}: no process {pid} whose memory can be read (/proc/{pid}/status); give the server's process id, e.g. from `pgrep llama-server`"
        );
    }
    Ok(())
}

/// Samples a process's resident memory until finished.
pub struct MemorySampler {
    stop: Arc<AtomicBool>,
    handle: JoinHandle<Vec<u64>>,
    /// Resident memory when sampling began: the server at idle.
    idle_kib: u64,
}

impl MemorySampler {
    /// Starts sampling `pid` every 100 ms; `None` when its memory cannot be read now.
    pub fn start(pid: u32) -> Option<MemorySampler> {
        let (idle_kib, _) = resident_kib(pid)?;
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let handle = std::thread::spawn(move || {
            let mut samples = vec![idle_kib];
            while !flag.load(Ordering::Relaxed) {
                match resident_kib(pid) {
                    Some((rss, _)) => samples.push(rss),
                    None => break,
                }
                std::thread::sleep(PERIOD);
            }
            samples
        });
        Some(MemorySampler {
            stop,
            handle,
            idle_kib,
        })
    }

    /// Stops sampling: the server's memory at idle, at its peak under load, and the increase.
    pub fn finish(self) -> Vec<Row> {
        self.stop.store(true, Ordering::Relaxed);
        let samples = self.handle.join().unwrap_or_default();
        let peak = samples.iter().copied().max().unwrap_or(self.idle_kib);
        let mb = |kib: u64| kib as f64 / 1024.0;
        vec![
            Row::number("server_memory_idle_mb", mb(self.idle_kib), 1, "MB"),
            Row::number("server_memory_peak_mb", mb(peak), 1, "MB"),
            Row::number(
                "server_memory_increase_mb",
                mb(peak.saturating_sub(self.idle_kib)),
                1,
                "MB",
            ),
        ]
    }
}

/// The peak resident memory of the children this process has waited for, in MB (Linux counts
/// `ru_maxrss` in KiB); `None` when the system does not say.
pub fn children_peak_mb() -> Option<f64> {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let ok = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) } == 0;
    (ok && usage.ru_maxrss > 0).then(|| usage.ru_maxrss as f64 / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_memory_is_sampled_and_an_absent_one_refused() {
        let pid = std::process::id();
        let (rss, hwm) = resident_kib(pid).unwrap();
        assert!(rss > 0 && hwm >= rss);
        check_pid(pid).unwrap();
        assert!(
            check_pid(0)
                .unwrap_err()
                .to_string()
                .contains("out of range")
        );
        let e = check_pid(MAX_PID).unwrap_err().to_string();
        assert!(e.contains("no process"), "{e}");

        let sampler = MemorySampler::start(pid).unwrap();
        // Some memory to notice.
        let held: Vec<u8> = vec![1; 64 << 20];
        std::thread::sleep(PERIOD * 3);
        let rows = sampler.finish();
        assert_eq!(
            held.iter().map(|&b| usize::from(b)).sum::<usize>(),
            64 << 20
        );
        let value = |name: &str| {
            rows.iter()
                .find(|r| r.metric == name)
                .and_then(|r| r.value.as_number())
                .unwrap()
        };
        let (_, hwm) = resident_kib(pid).unwrap();
        assert!(value("server_memory_peak_mb") > 0.0);
        assert!(value("server_memory_peak_mb") <= hwm as f64 / 1024.0 + 0.1);
        assert!(value("server_memory_increase_mb") >= 60.0, "{rows:?}");
    }
}
