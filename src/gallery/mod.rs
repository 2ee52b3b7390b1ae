//! The last step from a render to a blog post: a gallery page (`index.html`) that shows every
//! scene in a renders folder, and the snippets that embed one. Both read the folder's
//! manifest, never the media files.

mod embed;
mod page;
mod text;

pub use embed::{Snippets, snippets};
pub use page::{page, write_index};
pub use text::human_size;
