//! Quick fixes: a diagnostic whose [`Hint`] says what would fix it becomes an edit of the text. A fix is offered only
//! when it works: the text after it is checked again, and the fix must remove its diagnostic and add none.

use super::diagnostics;
use super::edit::leading;
use crate::cluster::images::{self, Pull};
use crate::manifest::decode::Seg;
use crate::manifest::yaml::{Node, Value};
use crate::manifest::{self, Diagnostic, Doc, Hint, Pos, Severity, Span};

/// One quick fix: the diagnostic, what the fix does (for its button), and the whole text after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub diagnostic: Diagnostic,
    pub title: Title,
    pub text: String,
    /// Where the cursor goes: the start of what changed (a byte offset in `text`).
    pub cursor: usize,
}

/// What a fix does, as data for the UI's words (`i18n`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Title {
    /// Rename the field to this.
    Rename(String),
    /// Move the field to this path.
    Move(String),
    /// Quote this value.
    Quote(String),
    /// Set the selector's matchLabels to the template's labels.
    MatchSelector,
    /// Write this kind (and its apiVersion).
    Kind(String),
    /// Write this value instead.
    Replace(String),
}

/// The most fixes worked out for one text (each costs a check of the text after it).
const MAX_FIXES: usize = 32;

/// Every quick fix for `text`.
pub fn fixes(text: &str) -> Vec<Fix> {
    let m = manifest::read(text, "STDIN");
    let before: Vec<String> = diagnostics(text).into_iter().map(|d| d.message).collect();
    let mut out = Vec::new();
    for doc in &m.docs {
        let mut all: Vec<Diagnostic> = doc.diagnostics.clone();
        all.extend(image_warnings(doc));
        for d in all {
            if out.len() >= MAX_FIXES {
                return out;
            }
            let Some(hint) = &d.hint else { continue };
            let Some((title, edits)) = edit(text, doc, &d, hint) else { continue };
            let Some((new, cursor)) = apply(text, edits) else { continue };
            if works(&before, &d, &new) {
                out.push(Fix { diagnostic: d.clone(), title, text: new, cursor });
            }
        }
    }
    out
}

/// Whether the text after a fix has lost `fixed` and gained nothing: its problems are those before, less
/// `fixed` (and less any it made moot).
fn works(before: &[String], fixed: &Diagnostic, after_text: &str) -> bool {
    let mut left: Vec<&String> = before.iter().collect();
    let Some(i) = left.iter().position(|m| **m == fixed.message) else { return false };
    left.remove(i);
    for d in diagnostics(after_text) {
        match left.iter().position(|m| **m == d.message) {
            Some(i) => {
                left.remove(i);
            }
            None => return false,
        }
    }
    true
}

/// A replacement of bytes `range` by `text`.
type Edit = (std::ops::Range<usize>, String);

fn apply(text: &str, mut edits: Vec<Edit>) -> Option<(String, usize)> {
    crate::util::sort_by_key(&mut edits, |(r, _)| r.start);
    let cursor = edits.first()?.0.start;
    let mut out = text.to_string();
    let mut last_start = usize::MAX;
    for (r, t) in edits.into_iter().rev() {
        if r.end > last_start || r.start > r.end || r.end > out.len() || !out.is_char_boundary(r.start) {
            return None;
        }
        if !out.is_char_boundary(r.end) {
            return None;
        }
        out.replace_range(r.clone(), &t);
        last_start = r.start;
    }
    Some((out, cursor))
}

/// Byte offsets of each line's start.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect()
}

/// The byte offset of a position (1-based line, column in characters).
fn offset(text: &str, starts: &[usize], p: Pos) -> Option<usize> {
    let start = *starts.get(p.line.checked_sub(1)? as usize)?;
    let line = &text[start..];
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    let col = p.col.checked_sub(1)? as usize;
    let b = line
        .char_indices()
        .nth(col)
        .map_or_else(|| (col == line.chars().count()).then_some(line.len()), |(b, _)| Some(b))?;
    Some(start + b)
}

fn range(text: &str, starts: &[usize], s: Span) -> Option<std::ops::Range<usize>> {
    Some(offset(text, starts, s.start)?..offset(text, starts, s.end)?)
}

fn edit(text: &str, doc: &Doc, d: &Diagnostic, hint: &Hint) -> Option<(Title, Vec<Edit>)> {
    let starts = line_starts(text);
    let at = range(text, &starts, d.span)?;
    match hint {
        Hint::Rename(to) => {
            let raw = &text[at.clone()];
            let quote = raw.chars().next().filter(|c| *c == '"' || *c == '\'');
            let new = quote.map_or_else(|| to.clone(), |q| format!("{q}{to}{q}"));
            Some((Title::Rename(to.clone()), vec![(at, new)]))
        }
        Hint::Replace(to) => Some((Title::Replace(to.clone()), vec![(at, to.clone())])),
        Hint::Quote => {
            let raw = text[at.clone()].to_string();
            if raw.contains('\n') || raw.starts_with(['"', '\'']) {
                return None;
            }
            let quoted = format!("\"{}\"", raw.replace('\\', "\\\\").replace('"', "\\\""));
            Some((Title::Quote(raw), vec![(at, quoted)]))
        }
        Hint::Kind { api_version, kind } => {
            let root = doc.root.as_ref()?;
            let mut edits = vec![(range(text, &starts, root.get("kind")?.span)?, kind.clone())];
            if root.get("apiVersion").and_then(Node::as_str) != Some(api_version) {
                edits.push((range(text, &starts, root.get("apiVersion")?.span)?, api_version.clone()));
            }
            Some((Title::Kind(kind.clone()), edits))
        }
        Hint::MatchSelector => match_selector(text, &starts, doc.root.as_ref()?).map(|e| (Title::MatchSelector, e)),
        Hint::Move { from, to } => {
            move_field(text, &starts, doc, d, from, to).map(|e| (Title::Move(to.replace("[*]", "")), e))
        }
    }
}

fn line_at<'t>(text: &'t str, starts: &[usize], i: usize) -> &'t str {
    let s = starts[i];
    let rest = &text[s..];
    let line = &rest[..rest.find('\n').unwrap_or(rest.len())];
    line.strip_suffix('\r').unwrap_or(line)
}

/// `spec.selector.matchLabels` := the template's labels, keeping each label as written.
fn match_selector(text: &str, starts: &[usize], root: &Node) -> Option<Vec<Edit>> {
    let spec = root.get("spec")?;
    let selector = spec.get("selector")?;
    let Value::Map(sel) = &selector.value else { return None };
    // With matchExpressions the intent is not one thing.
    if sel.iter().any(|(k, _)| k.name != "matchLabels") {
        return None;
    }
    let (ml_key, ml) = sel.iter().find(|(k, _)| k.name == "matchLabels")?;
    let labels = spec.get("template")?.get("metadata")?.get("labels")?;
    let Value::Map(pairs) = &labels.value else { return None };
    if pairs.is_empty() {
        return None;
    }
    let mut written = Vec::new();
    for (k, v) in pairs {
        let key = &text[range(text, starts, k.span)?];
        let value = &text[range(text, starts, v.span)?];
        if key.contains('\n') || value.contains('\n') {
            return None;
        }
        written.push(format!("{key}: {value}"));
    }
    let ml_range = range(text, starts, ml.span)?;
    let key_line = ml_key.span.start.line as usize - 1;
    match &ml.value {
        Value::Map(entries) if !entries.is_empty() && ml.span.start.line != ml_key.span.start.line => {
            // A block: its lines, from the first key's to the last value's.
            let first = entries[0].0.span.start.line as usize - 1;
            let last = ml.span.end.line as usize - 1;
            let col = entries[0].0.span.start.col as usize - 1;
            let from = starts[first];
            let to = starts[last] + line_at(text, starts, last).len();
            let pad = " ".repeat(col);
            let body: Vec<String> = written.iter().map(|w| format!("{pad}{w}")).collect();
            Some(vec![(from..to, body.join("\n"))])
        }
        Value::Map(_) if text[ml_range.start..].starts_with('{') => {
            let close = text[ml_range.start..].find('}')? + ml_range.start + 1;
            Some(vec![(ml_range.start..close, format!("{{{}}}", written.join(", ")))])
        }
        Value::Null => {
            // `matchLabels:` with nothing under it.
            let line_end = starts[key_line] + line_at(text, starts, key_line).len();
            let pad = " ".repeat(ml_key.span.start.col as usize - 1 + 2);
            let body: String = written.iter().map(|w| format!("\n{pad}{w}")).collect();
            Some(vec![(line_end..line_end, body)])
        }
        _ => None,
    }
}

/// The lines of the block a key starts at line `k`, column `c` (its own line, the lines indented past it and a list
/// at its own indentation), without trailing blank lines: `k..end`.
fn block(text: &str, starts: &[usize], k: usize, c: usize) -> usize {
    let n = starts.len();
    let mut end = k + 1;
    while end < n {
        let l = line_at(text, starts, end);
        let ind = leading(l);
        if l.trim().is_empty() || ind > c || (ind == c && (l[ind..].starts_with("- ") || &l[ind..] == "-")) {
            end += 1;
        } else {
            break;
        }
    }
    while end > k + 1 && line_at(text, starts, end - 1).trim().is_empty() {
        end -= 1;
    }
    end
}

/// Moves the block of the field at `from` to `to`, creating the mappings on the way that are missing.
fn move_field(text: &str, starts: &[usize], doc: &Doc, d: &Diagnostic, from: &str, to: &str) -> Option<Vec<Edit>> {
    let field = from.rsplit('.').next()?;
    let target = manifest::parse_path(&to.replace("[*]", "[0]"));
    let (Seg::Key(last), parent) = target.split_last()? else { return None };
    if last != field {
        return None;
    }
    let k = d.span.start.line as usize - 1;
    let c = d.span.start.col as usize - 1;
    if leading(line_at(text, starts, k)) != c {
        return None;
    }
    let end = block(text, starts, k, c);
    // Where it goes, in the tree as it is: the deepest mapping of the target's parent path that is written, or a key
    // written with nothing under it (`spec:`), and the keys still to write below it.
    let root = doc.root.as_ref()?;
    let mut node = root;
    let mut missing: Vec<&str> = Vec::new();
    let mut empty_key: Option<(usize, usize)> = None;
    for seg in parent {
        if !missing.is_empty() || empty_key.is_some() {
            let Seg::Key(name) = seg else { return None };
            missing.push(name);
            continue;
        }
        match (&node.value, seg) {
            (Value::Map(entries), Seg::Key(name)) => match entries.iter().find(|(kk, _)| kk.name == *name) {
                Some((_, v)) if matches!(v.value, Value::Map(_)) => node = v,
                Some((kk, v)) if v.value == Value::Null => {
                    empty_key = Some((kk.span.start.line as usize - 1, kk.span.start.col as usize - 1));
                }
                Some(_) => return None,
                None => missing.push(name),
            },
            (Value::Seq(items), Seg::Index(i)) => match items.get(*i) {
                Some(v) if matches!(v.value, Value::Map(_)) => node = v,
                _ => return None,
            },
            _ => return None,
        }
    }
    let (insert_line, col) = match empty_key {
        Some((line, key_col)) => {
            if !line_at(text, starts, line).trim_end().ends_with(':') || (k..end).contains(&line) {
                return None;
            }
            (line + 1, key_col + 2)
        }
        None => {
            let Value::Map(entries) = &node.value else { return None };
            if missing.is_empty() && entries.iter().any(|(kk, _)| kk.name == *field) {
                return None;
            }
            let first = entries.first()?;
            if text[range(text, starts, node.span)?.start..].starts_with('{') {
                return None;
            }
            let child_line = first.0.span.start.line as usize - 1;
            let col = first.0.span.start.col as usize - 1;
            // The end of the mapping's block: the lines past its first key indented at least as far, or blank.
            let mut insert_at = child_line + 1;
            for j in child_line + 1..starts.len() {
                let l = line_at(text, starts, j);
                if l.trim().is_empty() {
                    continue;
                }
                if leading(l) < col {
                    break;
                }
                insert_at = j + 1;
            }
            (insert_at, col)
        }
    };
    let mut body = String::new();
    for (i, m) in missing.iter().enumerate() {
        body.push_str(&format!("{}{m}:\n", " ".repeat(col + 2 * i)));
    }
    body.push_str(&reindent(text, starts, k, end, c, col + 2 * missing.len())?);
    let cut = starts[k]..starts.get(end).copied().unwrap_or(text.len());
    let insert = starts.get(insert_line).copied().unwrap_or(text.len());
    if insert > cut.start && insert < cut.end {
        return None;
    }
    if insert == text.len() && !text.ends_with('\n') {
        body.insert(0, '\n');
        body.pop();
    }
    Some(vec![(cut, String::new()), (insert..insert, body)])
}

/// Lines `k..end`, moved from column `from` to column `to`, each ending in a newline.
fn reindent(text: &str, starts: &[usize], k: usize, end: usize, from: usize, to: usize) -> Option<String> {
    let mut out = String::new();
    for j in k..end {
        let l = line_at(text, starts, j);
        if l.trim().is_empty() {
            out.push('\n');
            continue;
        }
        if to >= from {
            out.push_str(&" ".repeat(to - from));
            out.push_str(l);
        } else {
            let cut = from - to;
            if leading(l) < cut {
                return None;
            }
            out.push_str(&l[cut..]);
        }
        out.push('\n');
    }
    Some(out)
}

/// kubeplay's own warnings, beside the API server's: an image its registry does not have would leave the pod in
/// `ErrImagePull`, so the editor says so, with the tag (or repository) the learner most likely meant.
pub(crate) fn image_warnings(doc: &Doc) -> Vec<Diagnostic> {
    let Some(root) = &doc.root else { return Vec::new() };
    let kind = root.get("kind").and_then(Node::as_str).unwrap_or("");
    let spec = match kind {
        "Pod" => root.get("spec"),
        "Deployment" | "ReplicaSet" => root.get("spec").and_then(|s| s.get("template")).and_then(|t| t.get("spec")),
        _ => None,
    };
    let Some(spec) = spec else { return Vec::new() };
    let mut out = Vec::new();
    for list in ["initContainers", "containers"] {
        let Some(Value::Seq(items)) = spec.get(list).map(|n| &n.value) else { continue };
        for item in items {
            let Some(node) = item.get("image") else { continue };
            let Some(reference) = node.as_str() else { continue };
            if !matches!(images::resolve(reference), Pull::Fails(_)) {
                continue;
            }
            let Some(r) = images::parse(reference) else { continue };
            let catalogue = images::catalogue();
            let (message, meant) = match catalogue.iter().find(|i| i.repository == r.name || i.canonical == r.name) {
                Some(image) => (
                    format!(
                        "image {reference:?} will not pull: kubeplay's registry has no tag {:?} for {} (the pod would wait in ErrImagePull)",
                        r.tag, image.repository
                    ),
                    images::meant_tag(image, &r.tag).map(|t| format!("{}:{t}", r.name)),
                ),
                None => {
                    let close = crate::manifest::decode::suggest(&r.name, catalogue.iter().map(|i| i.repository));
                    let meant = close
                        .and_then(|repo| catalogue.iter().find(|i| i.repository == repo))
                        .filter(|image| images::tag_exists(image, &r.tag))
                        .map(|image| format!("{}:{}", image.repository, r.tag));
                    (
                        format!(
                            "image {reference:?} will not pull: kubeplay's registry has no repository {:?} (the pod would wait in ErrImagePull)",
                            r.name
                        ),
                        meant,
                    )
                }
            };
            // A letter that looks like a digit is hard to see in a monospaced font: say which it was.
            let look_alike = meant.as_deref().and_then(|m| {
                let pairs: Vec<(char, char)> = reference.chars().zip(m.chars()).filter(|(a, b)| a != b).collect();
                let same_length = reference.chars().count() == m.chars().count();
                (same_length
                    && !pairs.is_empty()
                    && pairs.iter().all(|(a, b)| "OolI".contains(*a) && b.is_ascii_digit()))
                .then(|| pairs.iter().map(|(a, b)| format!(" (the letter {a} where the digit {b} belongs)")).next())
                .flatten()
            });
            let suggestion = meant.as_ref().map(|m| format!("did you mean {m:?}?{}", look_alike.unwrap_or_default()));
            let d = Diagnostic { severity: Severity::Warning, span: node.span, message, suggestion: None, hint: None };
            out.push(d.with_suggestion(suggestion).with_hint(meant.map(Hint::Replace)));
        }
    }
    out
}
