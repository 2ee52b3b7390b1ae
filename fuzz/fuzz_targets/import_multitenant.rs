//! Any bytes given to the reader of a multi-tenant experiment's event logs (`import
//! multitenant`, `<tenant>/events.jsonl`) come back as a tenant's result file (with a warning
//! per bad line, each naming it) or a one-line error, never a panic.
#![no_main]

use std::path::Path;

use benchanim::import::multitenant::tenant_record;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("/data/exp/a/events.jsonl");
    match tenant_record(path, data, "NVIDIA A100-SXM4-40GB") {
        Ok((record, warnings)) => {
            assert!(record.benchmark.starts_with("multitenant_"));
            for w in warnings {
                assert!(w.line.is_some() && !w.message.contains('\n'), "{w:?}");
            }
        }
        Err(why) => assert!(!why.is_empty() && !why.contains('\n'), "{why:?}"),
    }
});
