//! A progress bar per scene on stderr while a batch renders.

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::render::batch::Progress;

/// A progress bar per scene on stderr, or nothing.
pub struct SceneBars {
    bars: MultiProgress,
    style: ProgressStyle,
}

impl SceneBars {
    pub fn new(hidden: bool) -> SceneBars {
        let target = if hidden {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        };
        SceneBars {
            bars: MultiProgress::with_draw_target(target),
            style: ProgressStyle::with_template("{prefix:>24} [{bar:30}] {pos}/{len} frames {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        }
    }
}

impl Progress for SceneBars {
    fn scene(&self, name: &str) -> Box<dyn FnMut(u64, u64) + '_> {
        /// Clears its bar when the scene is done.
        struct Bar(ProgressBar);
        impl Drop for Bar {
            fn drop(&mut self) {
                self.0.finish_and_clear();
            }
        }
        let bar = Bar(self.bars.add(
            ProgressBar::new(0)
                .with_style(self.style.clone())
                .with_prefix(name.to_string()),
        ));
        Box::new(move |done, total| {
            bar.0.set_length(total);
            bar.0.set_position(done);
        })
    }
}
