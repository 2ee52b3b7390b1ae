//! Multi-tenant experiments: tenants (servers sharing one GPU) measured together. Each tenant
//! is measured as `bench openai` measures; all warm up first, then their measured requests
//! start together behind a gate. A result file per tenant, one for the experiment, and each
//! tenant's request events are written.
//!
//! - `file`: the experiment file, read; `check`: what it and the options must be.
//! - `run`: the experiment from the servers' start to the files it wrote.
//! - `tenants`: the tenants' runs, alone or together.
//! - `record`: the experiment's own result file; `folder`: the file as it ran, each
//!   tenant's events and the started servers' logs.

mod check;
mod file;
mod folder;
mod record;
mod run;
mod settings;
mod tenants;

pub use run::run;
pub use settings::Settings;
