//! The last step from a render to a blog post: a gallery page (`index.html`) that plays every
//! rendered scene, and the snippets that embed one.

mod embed;
mod mp4;
mod page;
mod scene;
mod text;

pub use embed::{Snippets, snippets};
pub use mp4::{VideoInfo, probe};
pub use page::{page, write_index};
pub use scene::{MediaKind, RenderedFile, RenderedScene};
pub use text::human_size;
