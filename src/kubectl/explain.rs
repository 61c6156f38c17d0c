//! `kubectl explain TYPE[.FIELD…] [--recursive]`, in the plaintext layout of kubectl 1.27+ (OpenAPI v3): the
//! GROUP / KIND / VERSION header, the field's type, its description (and its type's) wrapped at 80 columns, and the
//! fields below it. The descriptions are the API's own, generated into `explain.data` from the pinned Kubernetes
//! version's types (see `explain_gen`). kubeplay's data has no enum lists, so the `enum:` lines and "Possible enum
//! values" paragraphs of a real server's documents are not printed.

use super::flags::{flag, val, Parsed, Spec};
use super::{resources, Awaiting, Output};
use crate::cluster::store::Kind;
use std::collections::HashMap;
use std::sync::OnceLock;

pub const FLAGS: &[Spec] = &[flag("recursive", None), val("api-version", None), val("output", Some('o'))];

/// The data's file name: next to the page in `dist/` (a separate file, fetched the first time `explain` needs it,
/// since most visits never do), and in this folder.
pub const DATA_FILE: &str = "explain.data";

/// Native builds (the CLI, tests, `kubeplay cluster`) carry the data; the browser's build fetches it ([`provide`]).
#[cfg(not(target_arch = "wasm32"))]
const EMBEDDED: Option<&str> = Some(include_str!("explain.data"));
#[cfg(target_arch = "wasm32")]
const EMBEDDED: Option<&str> = None;

static PROVIDED: OnceLock<String> = OnceLock::new();

/// The documentation, if this build has it yet.
fn data() -> Option<&'static str> {
    EMBEDDED.or_else(|| PROVIDED.get().map(String::as_str))
}

/// Whether `explain` can answer now (always, natively; in the browser once [`provide`] has run).
pub fn loaded() -> bool {
    data().is_some()
}

/// Gives the build the documentation fetched from [`DATA_FILE`]. Fetched text is checked first: a file that is not
/// the data (a host's error page, a truncated download) is refused with the reason, and `explain` keeps waiting.
pub fn provide(text: String) -> Result<(), String> {
    if !text.starts_with('@') || !text.contains(&format!("@{}|", root_path(Kind::Deployment))) {
        return Err(format!("{DATA_FILE} is not kubectl explain's data"));
    }
    let _ = PROVIDED.set(text);
    Ok(())
}

/// One field as `explain` shows it: its JSON name, kubectl's name of its type, whether it is required, the type it
/// holds (to descend into; empty for a leaf) and its description.
pub struct Field {
    pub name: String,
    pub ty: String,
    pub required: bool,
    pub target: String,
    pub doc: String,
}

/// A documented type: its description and its fields in name order.
pub struct Type {
    pub doc: String,
    pub fields: Vec<Field>,
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('p') => out.push('|'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// Every documented type by its k8s-openapi path (`crate::api::apps::v1::Deployment`), once the data is here
/// (always natively; see [`loaded`]).
pub fn types() -> Option<&'static HashMap<String, Type>> {
    static TYPES: OnceLock<HashMap<String, Type>> = OnceLock::new();
    let data = data()?;
    Some(TYPES.get_or_init(|| {
        let mut map = HashMap::new();
        let mut current: Option<(String, Type)> = None;
        for line in data.lines() {
            if let Some(head) = line.strip_prefix('@') {
                if let Some((p, t)) = current.take() {
                    map.insert(p, t);
                }
                let mut parts = head.splitn(3, '|');
                let path = parts.next().unwrap_or("").to_string();
                let _name = parts.next();
                let doc = unescape(parts.next().unwrap_or(""));
                current = Some((path, Type { doc, fields: Vec::new() }));
                continue;
            }
            let mut parts = line.splitn(5, '|');
            let (Some(name), Some(ty), Some(req), Some(target), Some(doc)) =
                (parts.next(), parts.next(), parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            if let Some((_, t)) = current.as_mut() {
                t.fields.push(Field {
                    name: name.into(),
                    ty: ty.into(),
                    required: req == "1",
                    target: target.into(),
                    doc: unescape(doc),
                });
            }
        }
        if let Some((p, t)) = current {
            map.insert(p, t);
        }
        map
    }))
}

/// Where a kind's documentation starts: its type as k8s-openapi names it.
pub fn root_path(kind: Kind) -> &'static str {
    match kind {
        Kind::Deployment => "crate::api::apps::v1::Deployment",
        Kind::ReplicaSet => "crate::api::apps::v1::ReplicaSet",
        Kind::Pod => "crate::api::core::v1::Pod",
        Kind::Service => "crate::api::core::v1::Service",
        Kind::Namespace => "crate::api::core::v1::Namespace",
        Kind::Node => "crate::api::core::v1::Node",
        Kind::ConfigMap => "crate::api::core::v1::ConfigMap",
        Kind::Secret => "crate::api::core::v1::Secret",
        Kind::Endpoints => "crate::api::core::v1::Endpoints",
        Kind::Event => "crate::api::core::v1::Event",
        Kind::EndpointSlice => "crate::api::discovery::v1::EndpointSlice",
    }
}

/// Greedy word wrap: each line of `text` on its own, at most 80 columns with `indent` (longer words alone).
/// mitchellh/go-wordwrap's `WrapString`, which kubectl's explain template calls with 80 minus the indentation:
/// lines break at spaces before a word that would pass the limit; runs of spaces inside a line are kept, the spaces at
/// a break are dropped, and a word longer than the limit is not broken.
fn word_wrap(text: &str, limit: usize) -> String {
    let mut out = String::new();
    let (mut word, mut spaces) = (String::new(), String::new());
    let mut current = 0;
    for c in text.chars() {
        if c == '\n' {
            out.push_str(&spaces);
            out.push_str(&word);
            out.push('\n');
            spaces.clear();
            word.clear();
            current = 0;
        } else if c.is_whitespace() && c != '\u{a0}' {
            if spaces.is_empty() || !word.is_empty() {
                current += spaces.chars().count() + word.chars().count();
                out.push_str(&spaces);
                out.push_str(&word);
                spaces.clear();
                word.clear();
            }
            spaces.push(c);
        } else {
            word.push(c);
            let (s, w) = (spaces.chars().count(), word.chars().count());
            if current + s + w > limit && w < limit {
                out.push('\n');
                current = 0;
                spaces.clear();
            }
        }
    }
    if word.is_empty() {
        if current + spaces.chars().count() <= limit {
            out.push_str(&spaces);
        }
    } else {
        out.push_str(&spaces);
        out.push_str(&word);
    }
    out
}

/// A description as the template prints it: wrapped, then every line indented (the empty ones too).
fn wrap(text: &str, indent: usize) -> String {
    let pad = " ".repeat(indent);
    word_wrap(text, 80 - indent).split('\n').map(|line| format!("{pad}{line}\n")).collect()
}

/// A field's description as `explain` prints it: the field's own, then (for a field holding a struct) its type's.
pub fn description(all: &HashMap<String, Type>, field: &Field) -> String {
    let mut doc = field.doc.clone();
    if let Some(t) = all.get(&field.target).filter(|t| !t.doc.is_empty()) {
        doc.push('\n');
        doc.push_str(&t.doc);
    }
    doc
}

fn field_line(f: &Field, indent: usize) -> String {
    format!("{}{}\t<{}>{}\n", " ".repeat(indent), f.name, f.ty, if f.required { " -required-" } else { "" })
}

fn fields(t: &Type, out: &mut String) {
    out.push_str("FIELDS:\n");
    for f in &t.fields {
        out.push_str(&field_line(f, 2));
        if !f.doc.is_empty() {
            out.push_str(&wrap(&f.doc, 4));
        }
        out.push('\n');
    }
}

fn recursive(all: &HashMap<String, Type>, t: &Type, indent: usize, out: &mut String) {
    if indent > 40 {
        return;
    }
    for f in &t.fields {
        out.push_str(&field_line(f, indent));
        if let Some(child) = all.get(&f.target) {
            recursive(all, child, indent + 2, out);
        }
    }
}

pub fn run(f: &Parsed) -> Output {
    let Some(arg) = f.args.first() else {
        return Output::err("error: You must specify the type of resource to explain. Use \"kubectl api-resources\" for a complete list of supported resources.");
    };
    if f.args.len() > 1 {
        return Output::err(format!(
            "error: unexpected arguments: {:?}\nSee 'kubectl explain -h' for help and examples",
            &f.args[1..]
        ));
    }
    if let Some(o) = f.get("output").filter(|o| !matches!(*o, "plaintext" | "plaintext-openapiv2")) {
        return Output::err(format!("error: unsupported output format: {o}"));
    }
    let mut parts = arg.split('.');
    let resource = parts.next().unwrap_or("");
    let path: Vec<&str> = parts.filter(|p| !p.is_empty()).collect();
    // explain.go prints the mapper's error as it is, without `error: `.
    let kind = match resources::resolve(resource) {
        Ok(k) => k,
        Err(w) => return Output::err(resources::unknown_type(&w).trim_start_matches("error: ").to_string()),
    };
    if let Some(v) = f.get("api-version").filter(|v| *v != kind.api_version()) {
        return Output::err(format!("error: couldn't find resource for \"{v}, Resource={}\"", kind.plural()));
    }
    // In the browser the documentation comes on demand: the terminal says it is loading and runs the line again
    // once it is here (`Output::awaiting`, `scenario::Run::fill_awaiting`).
    let Some(all) = types() else {
        return Output { awaiting: Some(Awaiting::ExplainData), ..Output::default() };
    };
    let Some(mut t) = all.get(root_path(kind)) else {
        return Output::err(format!("error: kubeplay has no documentation for {}", kind.plural()));
    };
    let mut out = String::new();
    if !kind.group().is_empty() {
        out.push_str(&format!("GROUP:      {}\n", kind.group()));
    }
    let version = kind.api_version().rsplit('/').next().unwrap_or("v1");
    out.push_str(&format!("KIND:       {}\nVERSION:    {version}\n\n", kind.name()));
    let mut field: Option<&Field> = None;
    for step in &path {
        // The header is already printed when the path turns out wrong, and the error names the path's last field
        // (as real kubectl 1.35 does against kubeplay cluster), whichever step was missing.
        let last = path.last().unwrap_or(step);
        let Some(found) = t.fields.iter().find(|x| x.name == *step) else {
            return Output { stdout: out, ..Output::err(format!("error: field \"{last}\" does not exist")) };
        };
        field = Some(found);
        match all.get(&found.target) {
            Some(next) => t = next,
            None => {
                if step != last {
                    return Output { stdout: out, ..Output::err(format!("error: field \"{last}\" does not exist")) };
                }
            }
        }
    }
    let is_struct = field.is_none_or(|fl| all.contains_key(&fl.target));
    match field {
        // The template ends a description with an empty line of its own, indented like the rest.
        None => {
            out.push_str("DESCRIPTION:\n");
            out.push_str(&wrap(&t.doc, 4));
            out.push_str("    \n");
        }
        Some(fl) => {
            out.push_str(&format!("FIELD: {} <{}>\n\n\nDESCRIPTION:\n", fl.name, fl.ty));
            out.push_str(&wrap(&description(all, fl), 4));
            out.push_str("    \n");
        }
    }
    if is_struct {
        if f.bool("recursive") {
            out.push_str("FIELDS:\n");
            recursive(all, t, 2, &mut out);
        } else {
            fields(t, &mut out);
        }
    }
    // The template ends with an empty line, fields or not.
    out.push('\n');
    Output::ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_eighty_columns_keeping_lines_and_long_words() {
        let text = "Number of desired pods. This is a pointer to distinguish between explicit zero and not specified. Defaults to 1.";
        assert_eq!(
            wrap(text, 4),
            "    Number of desired pods. This is a pointer to distinguish between explicit\n    zero and not specified. Defaults to 1.\n"
        );
        // Empty lines are indented too; runs of spaces inside a line stay, the spaces at a break go.
        assert_eq!(wrap("a\n\nb", 4), "    a\n    \n    b\n");
        assert_eq!(wrap("Example:\n  Name: x,  next", 4), "    Example:\n      Name: x,  next\n");
        assert_eq!(word_wrap("aaaa  bbbb", 6), "aaaa\nbbbb");
        let url = "x".repeat(90);
        assert_eq!(wrap(&format!("see {url}"), 2), format!("  see\n  {url}\n"));
    }

    #[test]
    fn every_field_of_every_kind_resolves() {
        let all = types().expect("native builds carry the data");
        assert!(all.len() > 100);
        for t in all.values() {
            for f in &t.fields {
                assert!(f.target.is_empty() || all.contains_key(&f.target), "{} -> {}", f.name, f.target);
            }
        }
    }
}
