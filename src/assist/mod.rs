//! The editor's knowledge of Kubernetes, computed here and only drawn by the UI: completion at the cursor
//! ([`complete`]), the documentation of the field under it ([`hover`]), quick fixes for the diagnostics that have
//! one ([`fixes`]), and the plain-text edits a code editor makes (indent, outdent, newline, comments, undo: [`edit`]).
//!
//! The field lists and descriptions are the API's for the pinned Kubernetes (`kubectl explain`'s data); the page
//! loads them on demand, so completion and hover say when they are still loading.

mod complete;
mod context;
pub mod edit;
mod fix;
mod hover;

pub use complete::{complete, Completions, Item, ItemKind};
pub use fix::{fixes, Fix, Title};
pub use hover::{hover, Hover, Hovered};

use crate::manifest::{self, Diagnostic};

/// The editor's diagnostics: every problem the API server would report ([`manifest::check`]) and kubeplay's own
/// warnings about images its registry does not have.
pub fn diagnostics(text: &str) -> Vec<Diagnostic> {
    let m = manifest::read(text, "STDIN");
    let mut all = m.diagnostics();
    all.extend(m.docs.iter().flat_map(fix::image_warnings));
    crate::util::sort_by_key(&mut all, |d| (d.span.start, d.span.end));
    all
}
