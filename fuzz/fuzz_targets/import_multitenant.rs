//! Any bytes given to the reader of a multi-tenant experiment's event logs (`import
//! multitenant`, `<tenant>/events.jsonl`) come back as a tenant's result file (with a warning
//! per bad line, each naming it) or a one-line error, never a panic. A tenant's iterations
//! never keep the GPU busy more than 100% of its time, and its time is a real one.
#![no_main]

use std::path::Path;

use benchanim::import::multitenant::tenant_record;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("/data/exp/a/events.jsonl");
    match tenant_record(path, data, "NVIDIA A100-SXM4-40GB") {
        Ok((record, warnings)) => {
            assert!(record.benchmark.starts_with("multitenant_"));
            let busy = record
                .rows
                .iter()
                .find(|r| r.metric == "gpu_busy_pct")
                .and_then(|r| r.value.as_number());
            assert!(busy.is_none_or(|b| b <= 100.0), "busy {busy:?}");
            match record.check() {
                Ok(()) => {}
                Err(why) => {
                    let why = why.to_string();
                    assert!(
                        !why.contains("not a time") && !why.contains("1970") && !why.contains('\n'),
                        "{why:?}"
                    );
                }
            }
            for w in warnings {
                assert!(w.line.is_some() && !w.message.contains('\n'), "{w:?}");
            }
        }
        Err(why) => {
            let why = why.to_string();
            assert!(!why.is_empty() && !why.contains('\n'), "{why:?}");
        }
    }
});
