//! Documentation for the field at the cursor, in `kubectl explain`'s words: its path (as `kubectl explain` takes
//! it), its type and its description.

use super::complete::{kind_named, walk, Spot};
use super::context::{self, path_of, root_value, shapes};
use crate::kubectl::explain;
use crate::manifest::decode::Seg;
use std::ops::Range;

/// What hovering a key shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hovered {
    Doc(Hover),
    /// The descriptions are on their way (the page fetches them on demand); `path` is what will be shown.
    Loading {
        path: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    /// `deployment.spec.strategy`: what `kubectl explain` takes.
    pub path: String,
    /// The type as `kubectl explain` names it (`DeploymentStrategy`, `[]Container`, `integer`).
    pub ty: String,
    pub required: bool,
    /// The description as `kubectl explain` prints it (the field's, then its type's), unwrapped.
    pub doc: String,
    /// The key's bytes in the text.
    pub key: Range<usize>,
}

/// The documentation of the key on the line of byte `cursor`, if that line is a field of a kind kubeplay simulates.
pub fn hover(text: &str, cursor: usize) -> Option<Hovered> {
    let cursor = text.floor_char_boundary(cursor);
    let lines = shapes(text);
    let i = lines.iter().rposition(|l| l.start <= cursor)?;
    let l = &lines[i];
    let key = l.key.as_ref().filter(|_| !l.skip)?;
    let doc = context::document(text, &lines, i);
    let kind = kind_named(&root_value(&lines, &doc, "kind")?)?;
    let path = path_of(&lines, &doc, i, l.content)?;
    let line = &text[l.start..l.start + l.len];
    let at = line.char_indices().nth(l.content).map_or(line.len(), |(b, _)| b);
    let quoted = line[at..].starts_with(['"', '\'']);
    let key_start = l.start + at + usize::from(quoted);
    let key_range = key_start..key_start + key.len();
    let mut words = vec![kind.name().to_ascii_lowercase()];
    words.extend(path.iter().chain([&Seg::Key(key.clone())]).filter_map(|s| match s {
        Seg::Key(k) => Some(k.clone()),
        Seg::Index(_) => None,
    }));
    let explained = words.join(".");
    let Some(all) = explain::types() else { return Some(Hovered::Loading { path: explained }) };
    let Some(Spot::Struct(_, t)) = walk(all, kind, &path) else { return None };
    let f = t.fields.iter().find(|f| f.name == *key)?;
    Some(Hovered::Doc(Hover {
        path: explained,
        ty: f.ty.clone(),
        required: f.required,
        doc: explain::description(all, f),
        key: key_range,
    }))
}
