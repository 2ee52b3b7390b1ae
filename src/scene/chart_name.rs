//! A chart's name: its scene's, and for a chart of a `for_each` scene the suffix after `@`
//! that names its combination (`qwen_configs@tp2_dp4_pp1`).

use std::fmt;

/// A chart's name, read as its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChartName<'a> {
    /// The scene's name: its file in the scenes folder, without `.toml`.
    pub scene: &'a str,
    /// The combination of a `for_each` scene's chart.
    pub suffix: Option<&'a str>,
}

impl<'a> ChartName<'a> {
    /// `qwen_configs@tp2_dp4_pp1` → scene `qwen_configs`, suffix `tp2_dp4_pp1`.
    pub fn parse(name: &'a str) -> ChartName<'a> {
        match name.split_once('@') {
            Some((scene, suffix)) => ChartName {
                scene,
                suffix: Some(suffix),
            },
            None => ChartName {
                scene: name,
                suffix: None,
            },
        }
    }
}

impl fmt::Display for ChartName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.suffix {
            Some(suffix) => write!(f, "{}@{suffix}", self.scene),
            None => f.write_str(self.scene),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_reads_as_its_parts_and_back() {
        for text in ["vllm_input", "qwen_configs@tp2_dp4_pp1"] {
            assert_eq!(ChartName::parse(text).to_string(), text);
        }
        let name = ChartName::parse("qwen_configs@tp2_dp4_pp1");
        assert_eq!(
            (name.scene, name.suffix),
            ("qwen_configs", Some("tp2_dp4_pp1"))
        );
        assert_eq!(ChartName::parse("a").suffix, None);
    }
}
