//! Imports of many files hold one source at a time: each is read, filed and dropped before
//! the next, so the heap an import needs at its peak does not grow with the number of files
//! beyond a path or two per file (what was written, what the folder holds). Measured by counting every
//! byte this test binary allocates, so the figure is the same on any machine; the one test
//! here runs alone in its binary, so nothing else allocates meanwhile.

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use benchanim::import::{
    Imported, LlmOnRay, MultitenantImport, TableImport, import_genai_perf, import_llm_on_ray,
    import_multitenant, import_results, import_sweep_configs, import_table, import_vllm_json,
};

/// The system allocator, counting the bytes live and the most that were live at once.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = LIVE.fetch_add(by, Ordering::SeqCst) + by;
    PEAK.fetch_max(now, Ordering::SeqCst);
}

// SAFETY: every call is passed on to the system allocator unchanged; only counts are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's layout, as it gave it.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `alloc` above with this layout.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::SeqCst);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` was allocated by `alloc` above with this layout.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::SeqCst);
            grew(new_size);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The most heap `import` had live at once beyond what was live before it, in bytes.
fn peak_of(import: impl FnOnce(&mut Imported)) -> (usize, Imported) {
    let mut done = Imported::default();
    let before = LIVE.load(Ordering::SeqCst);
    PEAK.store(before, Ordering::SeqCst);
    import(&mut done);
    (PEAK.load(Ordering::SeqCst) - before, done)
}

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

/// `n` copies of the fixture `from` (a file or a folder) under `root`, copy `i` at `at(i)`.
fn copies(root: &Path, from: &str, n: usize, at: &dyn Fn(usize) -> String) -> PathBuf {
    fn copy(from: &Path, to: &Path) {
        if from.is_dir() {
            for entry in std::fs::read_dir(from).unwrap().flatten() {
                copy(&entry.path(), &to.join(entry.file_name()));
            }
        } else {
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(from, to).unwrap();
        }
    }
    for i in 0..n {
        copy(&fixture(from), &root.join(at(i)));
    }
    root.to_path_buf()
}

/// A second, as `HHMMSS`, for copy `i`.
fn second(i: usize) -> String {
    format!("{:02}{:02}{:02}", i / 3600, i / 60 % 60, i % 60)
}

/// Lays out a folder of `n` sources under a root, and gives what the import is handed.
type LayOut = fn(&Path, usize) -> PathBuf;

/// Imports what was laid out into a results folder.
type Import = fn(&Path, &Path, &mut Imported) -> anyhow::Result<()>;

/// Each folder importer: its name, how a folder of `n` sources is laid out, and the import.
fn importers() -> Vec<(&'static str, LayOut, Import)> {
    vec![
        (
            "vllm-json",
            |root, n| {
                copies(root, "vllm_bench_serve.json", n, &|i| {
                    format!("r{i}/run=1.json")
                })
            },
            |from, dest, done| import_vllm_json(from, Some("G"), dest, done),
        ),
        (
            "llm-on-ray",
            |root, n| {
                copies(
                    root,
                    "llm_on_ray/choice_1/bs_1/summary_20240101-000001.json",
                    n,
                    &|i| format!("choice_1/bs_{}/summary_20240101-{}.json", i + 1, second(i)),
                )
            },
            |from, dest, done| {
                let how = LlmOnRay {
                    gpu: "G".into(),
                    model: "m".into(),
                    replicas: 1,
                };
                import_llm_on_ray(from, &how, dest, done)
            },
        ),
        (
            "sweep-configs",
            |root, n| {
                let run = "sweep_configs/Qwen_Qwen3-4B/run_20250612_101500/benchmark_results.json";
                copies(root, run, n, &|i| {
                    format!("M/run_20250612_{}/benchmark_results.json", second(i))
                })
            },
            |from, dest, done| import_sweep_configs(from, "G", dest, done),
        ),
        (
            "genai-perf",
            |root, n| {
                let export = "aiperf/artifacts/concurrency_1/profile_export_aiperf.json";
                copies(root, export, n, &|i| {
                    format!("c{i}/profile_export_aiperf.json")
                })
            },
            |from, dest, done| import_genai_perf(from, "G", dest, done),
        ),
        (
            "multitenant",
            |root, n| {
                copies(root, "multitenant/mps_3_distilgpt2", n, &|i| {
                    format!("e{i}")
                })
            },
            |from, dest, done| {
                let how = MultitenantImport {
                    gpu: "G".into(),
                    mps: None,
                    config_dir: None,
                };
                import_multitenant(from, &how, dest, done)
            },
        ),
        (
            "results",
            |root, n| {
                let file = "results/NVIDIA_GB10/flux_bench_NVIDIA_GB10_FLUX_2_klein_4B_n100_20260130_022146.csv";
                copies(root, file, n, &|i| {
                    format!(
                        "G/flux_bench_G_FLUX_2_klein_4B_n100_20260130_{}.csv",
                        second(i)
                    )
                })
            },
            |from, dest, done| import_results(&[from.to_path_buf()], dest, done),
        ),
        (
            "table",
            |root, n| {
                copies(root, "exo/benchmark_results.csv", n, &|i| {
                    format!("results_20250401_{}.csv", second(i))
                })
            },
            |from, dest, done| {
                let mut files: Vec<PathBuf> = std::fs::read_dir(from)
                    .unwrap()
                    .map(|e| e.unwrap().path())
                    .collect();
                files.sort();
                let how = TableImport {
                    gpu: Some("G".into()),
                    group_by: vec!["model".into()],
                    ..TableImport::default()
                };
                import_table(&files, &how, dest, done)
            },
        ),
    ]
}

/// Heap a source may leave behind once filed: the paths of what was read and written.
const KEPT_PER_SOURCE: usize = 1024;

#[test]
fn folder_imports_hold_one_source_at_a_time() {
    for (name, lay_out, import) in importers() {
        let dir = tempfile::tempdir().unwrap();
        let mut peaks = Vec::new();
        for n in [20, 100] {
            let from = lay_out(&dir.path().join(format!("from{n}")), n);
            let dest = dir.path().join(format!("results{n}"));
            let (peak, done) = peak_of(|done| import(&from, &dest, done).unwrap());
            assert!(
                done.skipped.iter().all(|s| !s.problem),
                "{name}: {:?}",
                done.skipped
            );
            // An experiment files a run per tenant and one for itself, a table one per model.
            assert!(done.written.len() + done.already.len() >= n, "{name}");
            peaks.push(peak);
        }
        let per_source = peaks[1].saturating_sub(peaks[0]) / 80;
        assert!(
            per_source < KEPT_PER_SOURCE,
            "{name}: the peak grew by {per_source} bytes per source (from {} to {} bytes): sources are held, not dropped",
            peaks[0],
            peaks[1]
        );
    }
}
