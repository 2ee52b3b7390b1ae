//! What every benchmark run takes besides its runner: where results go, which GPU they belong
//! to, how much to say, and, for an experiment's tenants, the gate and rows they share.

use std::path::PathBuf;
use std::sync::Arc;

use super::gate::StartGate;
use crate::bench::telemetry::Device;
use crate::results::Row;

/// What every benchmark takes: where results go, which GPU they belong to, how much to say.
#[derive(Debug, Clone)]
pub struct Options {
    /// Folder the result file goes in, under `<GPU>/`.
    pub output_dir: PathBuf,
    /// Name of the GPU for the results folder, instead of asking NVML.
    pub gpu_name: Option<String>,
    /// Which GPU NVML samples.
    pub gpu_index: u32,
    /// Print every failed request with its reason.
    pub verbose: bool,
    /// The server's process, whose resident memory is sampled through the measured requests.
    pub server_pid: Option<u32>,
    /// File the machine-local fields too (`server_url`, `model_path`).
    pub record_local: bool,
    /// Runs that measure together (an experiment's tenants): each waits here after its
    /// warm-ups until all have arrived.
    pub start_gate: Option<Arc<StartGate>>,
    /// Config rows every result file gets (`experiment`, `tenant`, ...).
    pub extra_rows: Vec<Row>,
    /// The experiment tenant this run measures: it names the run's progress bars, which go
    /// among the other tenants' in `bars`, and the experiment says once what the GPU is.
    pub tenant: Option<Tenant>,
}

/// A run among an experiment's tenants, as the terminal shows it.
#[derive(Debug, Clone)]
pub struct Tenant {
    pub name: String,
    pub bars: indicatif::MultiProgress,
}

impl Options {
    /// Finds the device and, unless an experiment does, says on stderr what the results will
    /// be filed under.
    pub(super) fn device(&self) -> Device {
        let (device, why_not) = Device::detect(self.gpu_name.as_deref(), self.gpu_index);
        if self.tenant.is_none() {
            device.announce(why_not.as_deref());
        }
        device
    }
}
