//! Any bytes given to the result-file reader come back as a result or a warning, never a panic;
//! whatever it reads collates and reports.
#![no_main]

use std::path::Path;

use benchanim::report::{Format, Options, Report};
use benchanim::results::{ResultFile, Table};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("NVIDIA_GB10/vLLM_NVIDIA_GB10_fuzz_20260101_000000.csv");
    if let Ok((file, _warnings)) = ResultFile::parse(path, Some("NVIDIA_GB10"), data) {
        let table = Table::collate(vec![file]);
        for format in [Format::Markdown, Format::Json, Format::Csv] {
            let _ = Report::build(&table, &Options::default()).render(format);
        }
    }
});
