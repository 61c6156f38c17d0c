//! Where the cursor is in a manifest, read from the lines alone: the document, its `kind`, the field path of the
//! mapping (or list) the cursor is in, and whether a key or a value is being typed. The text is usually half typed
//! and not valid YAML, so this does not parse it: like editors' YAML modes it reads block-style indentation (keys,
//! `- ` items, block scalars), walking up from the cursor's line to the keys that own it. Flow style (`{a: b}`) is
//! read only as a value.

use crate::manifest::decode::Seg;
use std::ops::Range;

/// One line's shape.
#[derive(Debug, Clone, Default)]
pub(crate) struct Shape {
    /// Byte offset of the line's start in the text.
    pub start: usize,
    /// The line without its newline.
    pub len: usize,
    /// Nothing to read: blank, a comment, a `---` separator, or inside a block scalar.
    pub skip: bool,
    /// The columns (characters) of the line's `- ` markers, left to right.
    pub dashes: Vec<usize>,
    /// The column where the content after the indentation and markers starts.
    pub content: usize,
    /// The key, when the content is `key:` or `key: value`.
    pub key: Option<String>,
    /// The value after `key:` (trimmed, without a trailing comment); empty when the key opens a block.
    pub value: String,
}

impl Shape {
    /// A key whose value is on the following lines (a mapping or a list).
    fn opens(&self) -> bool {
        self.key.is_some() && self.value.is_empty()
    }
}

fn is_separator(line: &str) -> bool {
    line == "---" || line.starts_with("--- ") || line == "..." || line.starts_with("---\t")
}

/// `key` and the rest after `key:`, when `content` starts with a key.
pub(crate) fn split_key(content: &str) -> Option<(String, &str)> {
    let (key, rest) = if let Some(q) = content.strip_prefix('"').or_else(|| content.strip_prefix('\'')) {
        let quote = content.chars().next()?;
        let end = q.find(quote)?;
        (q[..end].to_string(), &q[end + 1..])
    } else {
        let mut end = None;
        for (i, c) in content.char_indices() {
            if c == ':' && content[i + 1..].chars().next().is_none_or(|n| n == ' ' || n == '\t') {
                end = Some(i);
                break;
            }
            if c == '#' && i > 0 && content[..i].ends_with(' ') {
                return None;
            }
        }
        let end = end?;
        if content.starts_with(['{', '[', '#', '&', '*', '!', '|', '>']) {
            return None;
        }
        (content[..end].trim_end().to_string(), &content[end..])
    };
    let rest = rest.strip_prefix(':')?;
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    Some((key, rest))
}

/// A value without its trailing comment, trimmed.
fn value_text(rest: &str) -> String {
    let t = rest.trim();
    if t.starts_with('#') {
        return String::new();
    }
    let cut = t.find(" #").unwrap_or(t.len());
    t[..cut].trim_end().to_string()
}

/// The `- ` item markers at the start of `rest` (which starts at column `col`): their columns, the column of the
/// content after them, and that content.
fn markers(mut rest: &str, mut col: usize) -> (Vec<usize>, usize, &str) {
    let mut dashes = Vec::new();
    while rest == "-" || rest.starts_with("- ") {
        dashes.push(col);
        let after = rest[1..].chars().take_while(|c| *c == ' ').count();
        col += 1 + after;
        rest = &rest[1 + after..];
    }
    (dashes, col, rest)
}

/// Every line of `text`, shaped.
pub(crate) fn shapes(text: &str) -> Vec<Shape> {
    let mut out: Vec<Shape> = Vec::new();
    let mut start = 0;
    // The indentation a block scalar's content must exceed, while inside one.
    let mut scalar_above: Option<usize> = None;
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let mut s = Shape { start, len: line.len(), ..Shape::default() };
        start += line.len() + 1;
        let indent = line.chars().take_while(|c| *c == ' ').count();
        let trimmed = &line[indent..];
        if let Some(limit) = scalar_above {
            if trimmed.is_empty() || indent > limit {
                s.skip = true;
                out.push(s);
                continue;
            }
            scalar_above = None;
        }
        if trimmed.is_empty() || trimmed.starts_with('#') || is_separator(line) {
            s.skip = true;
            out.push(s);
            continue;
        }
        let (dashes, col, rest) = markers(trimmed, indent);
        s.dashes = dashes;
        s.content = col;
        if let Some((key, after)) = split_key(rest) {
            s.value = value_text(after);
            if s.value.starts_with(['|', '>']) {
                // Its content is text, however it is indented, down to the next line at or left of the key.
                scalar_above = Some(s.dashes.first().copied().unwrap_or(col).min(col));
            }
            s.key = Some(key);
        } else if rest.starts_with(['|', '>']) {
            scalar_above = Some(s.dashes.last().copied().unwrap_or(indent));
        }
        out.push(s);
    }
    out
}

/// The lines of the document holding line `i`: between the `---` separators around it.
pub(crate) fn document(text: &str, lines: &[Shape], i: usize) -> Range<usize> {
    let sep = |j: usize| is_separator(&text[lines[j].start..lines[j].start + lines[j].len]);
    let first = (0..i).rev().find(|&j| sep(j)).map_or(0, |j| j + 1);
    let end = (i + 1..lines.len()).find(|&j| sep(j)).unwrap_or(lines.len());
    first..end
}

/// The path of the mapping whose keys sit at column `col`, for a line `i` of it (the line itself included: a line
/// that starts with `- ` begins an item). `None` when the indentation cannot be read.
pub(crate) fn path_of(lines: &[Shape], doc: &Range<usize>, i: usize, col: usize) -> Option<Vec<Seg>> {
    enum Want {
        /// The owner of a mapping at this column.
        Map(usize),
        /// The owner of a list whose `- ` markers are at this column; `items` counts the items above.
        Seq(usize, usize),
    }
    let mut rev: Vec<Seg> = Vec::new();
    // Entering a list: the item is the mapping's owner. `dashes` are the markers before the content, outermost first.
    fn enter(rev: &mut Vec<Seg>, dashes: &[usize]) -> Want {
        for _ in dashes {
            rev.push(Seg::Index(0));
        }
        Want::Seq(dashes[0], 0)
    }
    let here = &lines[i];
    let mut want = if !here.skip && here.content == col && !here.dashes.is_empty() {
        enter(&mut rev, &here.dashes)
    } else {
        Want::Map(col)
    };
    for j in (doc.start..i).rev() {
        let l = &lines[j];
        if l.skip {
            continue;
        }
        match want {
            Want::Map(0) => break,
            Want::Map(c) => {
                if l.content == c && !l.dashes.is_empty() {
                    want = enter(&mut rev, &l.dashes);
                } else if l.content < c {
                    if !l.opens() {
                        return None;
                    }
                    rev.push(Seg::Key(l.key.clone()?));
                    want = if l.dashes.is_empty() { Want::Map(l.content) } else { enter(&mut rev, &l.dashes) };
                }
            }
            Want::Seq(d, items) => {
                if l.dashes.first() == Some(&d) {
                    want = Want::Seq(d, items + 1);
                } else if let Some(k) = l.dashes.iter().position(|x| *x == d) {
                    // `- - x`: this list is the value of the item at the marker before it.
                    set_last_index(&mut rev, items + 1);
                    want = enter(&mut rev, &l.dashes[..k]);
                } else if l.content > d || (l.dashes.iter().any(|x| *x > d)) {
                    continue;
                } else if l.opens() && l.content <= d {
                    set_last_index(&mut rev, items);
                    rev.push(Seg::Key(l.key.clone()?));
                    want = if l.dashes.is_empty() { Want::Map(l.content) } else { enter(&mut rev, &l.dashes) };
                } else {
                    return None;
                }
            }
        }
    }
    match want {
        Want::Map(0) => {}
        Want::Map(_) | Want::Seq(..) => {
            // Indented from the document's first column, with no owner: not a manifest's shape.
            let top = (doc.start..i).find(|&j| !lines[j].skip).map_or(col, |j| lines[j].content);
            if !matches!(want, Want::Map(c) if c == top) {
                return None;
            }
        }
    }
    rev.reverse();
    Some(rev)
}

/// Fixes up the index of the item just entered (the last `Index` pushed, which is the nearest to the end).
fn set_last_index(rev: &mut [Seg], items: usize) {
    if let Some(Seg::Index(i)) = rev.iter_mut().rev().find(|s| matches!(s, Seg::Index(_))) {
        *i = items;
    }
}

/// The keys of the mapping that line `i` belongs to, whose keys sit at column `col`.
pub(crate) fn siblings(lines: &[Shape], doc: &Range<usize>, i: usize, col: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut take = |l: &Shape| {
        if let Some(k) = &l.key {
            out.push(k.clone());
        }
    };
    // Up to the line that starts the mapping (an item's `- `) or its owner.
    if lines[i].content != col || lines[i].dashes.is_empty() {
        for j in (doc.start..i).rev() {
            let l = &lines[j];
            if l.skip || l.content > col || (l.content == col && l.dashes.last().is_some_and(|d| *d > col)) {
                continue;
            }
            if l.content < col {
                break;
            }
            take(l);
            if !l.dashes.is_empty() {
                break;
            }
        }
    }
    for l in &lines[i + 1..doc.end] {
        if l.skip || l.content > col {
            continue;
        }
        if l.content < col || !l.dashes.is_empty() {
            break;
        }
        take(l);
    }
    out
}

/// The value of a root key of the document (`kind`, `apiVersion`), unquoted.
pub(crate) fn root_value(lines: &[Shape], doc: &Range<usize>, key: &str) -> Option<String> {
    lines[doc.clone()]
        .iter()
        .find(|l| !l.skip && l.content == 0 && l.dashes.is_empty() && l.key.as_deref() == Some(key))
        .map(|l| unquote(&l.value).to_string())
        .filter(|v| !v.is_empty())
}

pub(crate) fn unquote(v: &str) -> &str {
    let v = v.trim();
    for q in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(q).and_then(|x| x.strip_suffix(q)) {
            return inner;
        }
    }
    v
}

/// What the cursor is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum At {
    /// A key being typed (or about to be, on an empty line): the fields of the mapping.
    Key,
    /// The value of `key`.
    Value { key: String },
}

/// The cursor's place in the manifest.
#[derive(Debug, Clone)]
pub struct Context {
    pub kind: Option<String>,
    pub api_version: Option<String>,
    /// The path of the mapping the cursor's key belongs to (for `At::Value`, the mapping holding `key`).
    pub parent: Vec<Seg>,
    pub at: At,
    /// The bytes a completion replaces: the word or value typed so far.
    pub word: Range<usize>,
    /// The column where the mapping's keys start.
    pub col: usize,
    /// The keys the mapping already has (the one being typed excluded).
    pub siblings: Vec<String>,
    /// The cursor's line (0-based).
    pub line: usize,
    /// `:` was typed right before the cursor with no space yet: a value completion adds one.
    pub needs_space: bool,
}

/// Reads the cursor's place; `None` where nothing can be offered (a comment, a block scalar, flow style, text that
/// is not a manifest's shape).
pub fn at(text: &str, cursor: usize) -> Option<Context> {
    let cursor = text.floor_char_boundary(cursor);
    let lines = shapes(text);
    let i = lines.iter().rposition(|l| l.start <= cursor)?;
    let l = &lines[i];
    let doc = document(text, &lines, i);
    let line = &text[l.start..l.start + l.len];
    let in_line = (cursor - l.start).min(line.len());
    let before = &line[..in_line];
    // A comment, a separator or a block scalar's text (the lines `shapes` skips that are not blank): nothing.
    if l.skip && !line.trim().is_empty() {
        return None;
    }
    let kind = root_value(&lines, &doc, "kind");
    let api_version = root_value(&lines, &doc, "apiVersion");
    let indent = before.chars().take_while(|c| *c == ' ').count();
    let (dashes, col, rest) = markers(&before[indent..], indent);
    if rest.contains('#') {
        return None;
    }
    // The line as the cursor's line is shaped, for the walk up (its own markers start an item).
    let mut shaped = lines.clone();
    shaped[i] = Shape {
        start: l.start,
        len: l.len,
        skip: false,
        dashes: dashes.clone(),
        content: col,
        key: None,
        value: String::new(),
    };
    // A word goes on past the cursor to the next space.
    let word_end = {
        let tail = &line[in_line..];
        l.start + in_line + tail.find(|c: char| c.is_whitespace()).unwrap_or(tail.len())
    };
    if let Some((key, after)) = split_key(rest) {
        // A value: from after `: ` to the end of the value's word.
        let value_start = rest.len() - after.len();
        let lead = after.len() - after.trim_start().len();
        if after.trim_start().starts_with(['{', '[', '|', '>', '&', '*', '!']) {
            return None;
        }
        let from = l.start + (before.len() - rest.len()) + value_start + lead;
        let parent = path_of(&shaped, &doc, i, col)?;
        let siblings = siblings(&shaped, &doc, i, col);
        return Some(Context {
            kind,
            api_version,
            parent,
            at: At::Value { key },
            word: from..word_end,
            col,
            siblings,
            line: i,
            needs_space: after.is_empty(),
        });
    }
    if rest.contains(':') || rest.starts_with(['"', '\'', '{', '[']) {
        return None;
    }
    let from = l.start + (before.len() - rest.len());
    // The word typed so far must look like the start of a key.
    if !rest.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/')) {
        return None;
    }
    let parent = path_of(&shaped, &doc, i, col)?;
    let siblings = siblings(&shaped, &doc, i, col);
    Some(Context {
        kind,
        api_version,
        parent,
        at: At::Key,
        word: from..word_end,
        col,
        siblings,
        line: i,
        needs_space: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The context at `^`.
    fn path(text: &str) -> (String, At, Vec<String>) {
        let cursor = text.find('^').unwrap();
        let text = text.replacen('^', "", 1);
        let c = at(&text, cursor).unwrap_or_else(|| panic!("no context in {text:?}"));
        (crate::manifest::decode::path_string(&c.parent), c.at, c.siblings)
    }

    #[test]
    fn the_path_comes_from_the_indentation_of_the_lines_above() {
        let d = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        ^\n";
        assert_eq!(path(d), ("spec.template.spec.containers[0]".into(), At::Key, vec!["name".into()]));
        let second = "spec:\n  containers:\n  - name: a\n    image: x\n  - name: b\n    ports:\n    - containerPort: 80\n      ^";
        assert_eq!(path(second).0, "spec.containers[1].ports[0]");
        let value = "spec:\n  strategy:\n    type: Ro^\n";
        assert_eq!(path(value), ("spec.strategy".into(), At::Value { key: "type".into() }, vec![]));
        let same_indent_list = "spec:\n  containers:\n  - name: a\n  ^";
        assert_eq!(path(same_indent_list).0, "spec");
        let root = "apiVersion: v1\nki^";
        assert_eq!(path(root), (String::new(), At::Key, vec!["apiVersion".into()]));
        let new_item = "spec:\n  ports:\n  - port: 80\n  - ^";
        assert_eq!(path(new_item).0, "spec.ports[1]");
        let block_scalar = "data:\n  run.sh: |\n    echo a: b\n  ^";
        assert_eq!(path(block_scalar), ("data".into(), At::Key, vec!["run.sh".into()]));
    }

    #[test]
    fn comments_and_flow_values_offer_nothing() {
        assert!(at("# a comment", 5).is_none());
        assert!(at("metadata:\n  labels: {app: w", 25).is_none());
    }
}
