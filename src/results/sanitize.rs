//! The one rule that turns names (GPUs, models, test types) into parts of file names:
//! letters and digits kept, anything else one `_`.

/// The folder name for a GPU: non-alphanumerics become `_`, runs collapse, ends are trimmed.
/// `NVIDIA GeForce RTX 4090` → `NVIDIA_GeForce_RTX_4090`.
pub fn sanitize_gpu_name(name: &str) -> String {
    sanitize(name)
}

/// The same rule for any part of a file name (model names, test types).
pub fn sanitize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitizes_gpu_names() {
        assert_eq!(
            sanitize_gpu_name("NVIDIA GeForce RTX 4090"),
            "NVIDIA_GeForce_RTX_4090"
        );
        assert_eq!(sanitize_gpu_name("  NVIDIA  GB10 "), "NVIDIA_GB10");
        assert_eq!(sanitize_gpu_name("CUDA - NVIDIA GB10"), "CUDA_NVIDIA_GB10");
        assert_eq!(sanitize_gpu_name("a--b__c"), "a_b_c");
    }
}
