//! The table printed at the end of a run, laid out as `vllm bench serve` prints its own.

const WIDTH: usize = 50;

pub struct Summary {
    text: String,
}

impl Summary {
    pub fn new(title: &str) -> Summary {
        Summary {
            text: format!("{:=^WIDTH$}\n", format!(" {title} ")),
        }
    }

    pub fn field(&mut self, label: &str, value: impl std::fmt::Display) -> &mut Summary {
        self.text.push_str(&format!("{label:<40} {value:<10}\n"));
        self
    }

    /// A figure, with two decimals.
    pub fn figure(&mut self, label: &str, value: f64) -> &mut Summary {
        self.field(label, format!("{value:.2}"))
    }

    pub fn section(&mut self, title: &str) -> &mut Summary {
        self.text.push_str(&format!("{title:-^WIDTH$}\n"));
        self
    }

    pub fn render(&self) -> String {
        format!("{}{}\n", self.text, "=".repeat(WIDTH))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lays_out_like_vllm() {
        let mut s = Summary::new("Serving Benchmark Result");
        s.field("Successful requests:", 10)
            .section("Time to First Token")
            .field("Mean TTFT (ms):", "43.10");
        let text = s.render();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "============ Serving Benchmark Result ============"
        );
        assert_eq!(
            lines[1].trim_end(),
            format!("{:<40} 10", "Successful requests:")
        );
        assert_eq!(
            lines[2],
            "---------------Time to First Token----------------"
        );
        assert_eq!(lines[4], "=".repeat(50));
    }
}
