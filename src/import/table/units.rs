//! The unit a metric column's name says it is in.

/// The unit a metric's name ends with: `ttft_p50_ms` → ms.
pub(super) fn unit_from_name(name: &str) -> &'static str {
    let lower = name.to_ascii_lowercase();
    const SUFFIXES: [(&str, &str); 14] = [
        ("_tokens_per_sec", "tok/s"),
        ("_tokens_per_s", "tok/s"),
        ("_tokens_per_second", "tok/s"),
        ("_tok_s", "tok/s"),
        ("_req_s", "req/s"),
        ("_ms", "ms"),
        ("_us", "us"),
        ("_sec", "s"),
        ("_seconds", "s"),
        ("_s", "s"),
        ("_pct", "%"),
        ("_percent", "%"),
        ("_mb", "MB"),
        ("_gb", "GB"),
    ];
    if let Some((_, unit)) = SUFFIXES.iter().find(|(suffix, _)| lower.ends_with(suffix)) {
        return unit;
    }
    // Bare names as benchmark scripts write them (exo-lab's `latency` in s, `memory_usage` in
    // MB).
    match lower.as_str() {
        "latency" | "duration" | "elapsed" | "wall_time" => "s",
        m if m.starts_with("memory") || m.starts_with("peak_memory") => "MB",
        _ => "",
    }
}
