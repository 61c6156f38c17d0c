//! The map is a test: `src/lib.rs` lists the crate's modules as numbered layers, and this test reads every source
//! file's paths into the crate (`use crate::…` lines, grouped and nested `use` trees, `super::…` paths, inline
//! `crate::x::y` paths in expressions and macros, `$crate::…` in macro definitions and the crate's exported macros)
//! and fails on
//!
//! - an import of a module in the same layer or a lower one (a layer uses only the layers listed above it),
//! - two files of one module that use each other, directly or around a circle (a parent module and its own
//!   submodules may use each other: that is how Rust modules are written), and
//! - a module that `lib.rs` declares but does not list, or lists twice.
//!
//! Comments (doc links included) and string literals are not code and are skipped.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// One source file: its module path (`["scenario", "lesson"]`; `[]` for `lib.rs`) and its text.
struct File {
    module: Vec<String>,
    text: String,
}

/// The layers `lib.rs` lists, top (0) to bottom: module name → layer number.
fn layers(lib_rs: &str) -> Result<BTreeMap<String, usize>, String> {
    let mut out = BTreeMap::new();
    for line in lib_rs.lines() {
        let Some(rest) = line.strip_prefix("//! ") else { continue };
        let Some((number, rest)) = rest.split_once(". ") else { continue };
        let Ok(number) = number.parse::<usize>() else { continue };
        let head = rest.split(" — ").next().unwrap_or("");
        for name in head.split(", ") {
            let name = name.trim_matches(|c| c == '[' || c == ']' || c == '`');
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
                return Err(format!("lib.rs: layer {number} names {name:?}, which is not a module name"));
            }
            if out.insert(name.to_string(), number).is_some() {
                return Err(format!("lib.rs lists the module `{name}` twice"));
            }
        }
    }
    Ok(out)
}

/// The modules `lib.rs` declares (`pub mod x;`, with or without attributes).
fn declared(lib_rs: &str) -> BTreeSet<String> {
    lib_rs
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub mod ").or_else(|| l.trim().strip_prefix("mod ")))
        .filter_map(|l| l.strip_suffix(';'))
        .map(str::to_string)
        .collect()
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    PathSep,
    Open,
    Close,
    Comma,
    Other,
}

/// The file as tokens, with comments, string and character literals and lifetimes left out.
fn tokens(text: &str) -> Vec<Tok> {
    let c: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < c.len() {
        let ch = c[i];
        let next = c.get(i + 1).copied();
        if ch == '/' && next == Some('/') {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if ch == '/' && next == Some('*') {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if ch == '"' {
            i = skip_string(&c, i + 1);
        } else if (ch == 'r' || ch == 'b') && is_raw_string_start(&c, i) {
            // r"…", r#"…"#, br"…", b"…"
            let mut j = i + 1;
            if ch == 'b' && c.get(j) == Some(&'r') {
                j += 1;
            }
            let mut hashes = 0;
            while c.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            j += 1; // the opening quote
            if ch == 'b' && c.get(i + 1) == Some(&'"') {
                i = skip_string(&c, i + 2);
                continue;
            }
            loop {
                if j >= c.len() {
                    i = j;
                    break;
                }
                if c[j] == '"' && (0..hashes).all(|k| c.get(j + 1 + k) == Some(&'#')) {
                    i = j + 1 + hashes;
                    break;
                }
                j += 1;
            }
        } else if ch == '\'' {
            // A character literal ('a', '\n', '\'', '"') or a lifetime ('a): a lifetime has no closing quote.
            if next == Some('\\') {
                let mut j = i + 2;
                while j < c.len() && c[j] != '\'' {
                    j += 1;
                }
                i = j + 1;
            } else if c.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
                while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                    i += 1;
                }
            }
        } else if ch.is_alphabetic() || ch == '_' || ch == '$' {
            let start = i;
            i += 1;
            while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            let word: String = c[start..i].iter().collect();
            // `r#ident` raw identifiers.
            out.push(Tok::Ident(word.trim_start_matches("r#").to_string()));
        } else if ch == ':' && next == Some(':') {
            out.push(Tok::PathSep);
            i += 2;
        } else {
            out.push(match ch {
                '{' => Tok::Open,
                '}' => Tok::Close,
                ',' => Tok::Comma,
                c if c.is_whitespace() => {
                    i += 1;
                    continue;
                }
                _ => Tok::Other,
            });
            i += 1;
        }
    }
    out
}

fn is_raw_string_start(c: &[char], i: usize) -> bool {
    // Only at the start of a word: `br"`, `b"`, `r"`, `r#"` (not `r#ident`).
    if i > 0 && (c[i - 1].is_alphanumeric() || c[i - 1] == '_') {
        return false;
    }
    let mut j = i + 1;
    if c[i] == 'b' {
        if c.get(j) == Some(&'"') {
            return true;
        }
        if c.get(j) != Some(&'r') {
            return false;
        }
        j += 1;
    }
    while c.get(j) == Some(&'#') {
        j += 1;
    }
    c.get(j) == Some(&'"')
}

/// Skips a string's body from `i` (just after its opening quote); returns the index after its closing quote.
fn skip_string(c: &[char], mut i: usize) -> usize {
    while i < c.len() {
        match c[i] {
            '\\' => i += 2,
            '"' => return i + 1,
            _ => i += 1,
        }
    }
    i
}

/// Every path into the crate that the file names, resolved to absolute module paths (`["cluster", "store",
/// "Kind"]`): `crate::`, `$crate::`, and `super::`/`self::` from the module they are written in (inline `mod x { }`
/// blocks included).
fn paths(file: &File) -> Vec<Vec<String>> {
    let toks = tokens(&file.text);
    let mut out = Vec::new();
    // The module each open brace belongs to: inline `mod name {` opens a child module.
    let mut scopes: Vec<(usize, Vec<String>)> = vec![(0, file.module.clone())];
    let mut depth = 0usize;
    let mut i = 0;
    while i < toks.len() {
        match &toks[i] {
            Tok::Open => {
                depth += 1;
                if i >= 2 && toks[i - 2] == Tok::Ident("mod".into()) {
                    if let Tok::Ident(name) = &toks[i - 1] {
                        let mut inner = scopes.last().map(|s| s.1.clone()).unwrap_or_default();
                        inner.push(name.clone());
                        scopes.push((depth, inner));
                    }
                }
                i += 1;
            }
            Tok::Close => {
                if scopes.len() > 1 && scopes.last().is_some_and(|s| s.0 == depth) {
                    scopes.pop();
                }
                depth = depth.saturating_sub(1);
                i += 1;
            }
            Tok::Ident(word) if matches!(word.as_str(), "crate" | "$crate" | "super" | "self") => {
                // Only at the start of a path (not `x::super`), and only when a path follows.
                let starts = i == 0 || toks[i - 1] != Tok::PathSep;
                if !starts || toks.get(i + 1) != Some(&Tok::PathSep) {
                    i += 1;
                    continue;
                }
                let here = scopes.last().map(|s| s.1.clone()).unwrap_or_default();
                let (found, end) = use_tree(&toks, i, &here, Vec::new());
                out.extend(found);
                i = end;
            }
            _ => i += 1,
        }
    }
    out
}

/// Reads one path (or `use` tree) starting at `toks[i]`, relative to `prefix` (empty at the start of a path);
/// returns the absolute paths it names and the index after it.
fn use_tree(toks: &[Tok], mut i: usize, here: &[String], prefix: Vec<String>) -> (Vec<Vec<String>>, usize) {
    let mut path = prefix;
    let mut at_start = path.is_empty();
    loop {
        match toks.get(i) {
            Some(Tok::Ident(w)) => {
                match (at_start, w.as_str()) {
                    (true, "crate" | "$crate") => path.clear(),
                    (true, "self") => path = here.to_vec(),
                    (true, "super") => {
                        path = here.to_vec();
                        path.pop();
                    }
                    (false, "super") => {
                        path.pop();
                    }
                    (false, "self") => {}
                    _ => path.push(w.clone()),
                }
                at_start = false;
                i += 1;
                if toks.get(i) == Some(&Tok::PathSep) {
                    i += 1;
                    continue;
                }
                return (vec![path], i);
            }
            Some(Tok::Open) => {
                // A group: `{a::b, c, d::{e, f}}`.
                let mut found = Vec::new();
                i += 1;
                loop {
                    match toks.get(i) {
                        Some(Tok::Close) => {
                            i += 1;
                            break;
                        }
                        Some(Tok::Comma) => i += 1,
                        None => break,
                        Some(Tok::Ident(_)) | Some(Tok::Open) => {
                            let (more, end) = use_tree(toks, i, here, path.clone());
                            // A relative tree item was read with `at_start` true: redo it from the prefix.
                            found.extend(more);
                            i = end.max(i + 1);
                        }
                        Some(_) => i += 1,
                    }
                }
                if found.is_empty() {
                    found.push(path);
                }
                return (found, i);
            }
            _ => return (vec![path], i),
        }
    }
}

/// The module file a path lands in: the longest prefix that is a module file, or the module of the macro it names.
fn target(path: &[String], modules: &BTreeSet<Vec<String>>, macros: &BTreeMap<String, Vec<String>>) -> Vec<String> {
    if let Some(first) = path.first() {
        if let Some(home) = macros.get(first) {
            return home.clone();
        }
    }
    (0..=path.len()).rev().map(|n| path[..n].to_vec()).find(|p| modules.contains(p)).unwrap_or_default()
}

/// The crate's `#[macro_export]` macros, each with the module file that defines it.
fn exported_macros(files: &[File]) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for f in files {
        let mut exported = false;
        for line in f.text.lines() {
            let line = line.trim();
            if line == "#[macro_export]" {
                exported = true;
            } else if let Some(rest) = line.strip_prefix("macro_rules! ").filter(|_| exported) {
                out.insert(rest.trim_end_matches(" {").trim().to_string(), f.module.clone());
                exported = false;
            }
        }
    }
    out
}

/// Every violation of the map, as one line each.
fn check(lib_rs: &str, files: &[File]) -> Vec<String> {
    let layer = match layers(lib_rs) {
        Ok(l) => l,
        Err(e) => return vec![e],
    };
    let mut problems = Vec::new();
    let listed: BTreeSet<String> = layer.keys().cloned().collect();
    for m in declared(lib_rs).difference(&listed) {
        problems.push(format!("lib.rs declares `{m}` but does not list it in its map of layers"));
    }
    for m in listed.difference(&declared(lib_rs)) {
        problems.push(format!("lib.rs lists `{m}` in its map of layers, but declares no such module"));
    }
    let modules: BTreeSet<Vec<String>> = files.iter().map(|f| f.module.clone()).collect();
    let macros = exported_macros(files);
    // File-level edges inside one top-level module, for the circle check.
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for f in files {
        let Some(from_top) = f.module.first() else { continue };
        for path in paths(f) {
            let to = target(&path, &modules, &macros);
            let Some(to_top) = to.first() else { continue };
            if to_top != from_top {
                let (Some(&a), Some(&b)) = (layer.get(from_top), layer.get(to_top)) else { continue };
                if b >= a {
                    let why =
                        if a == b { "a module of the same layer" } else { "a module of a layer listed below its own" };
                    problems.push(format!(
                        "src/{}: uses `{}` ({why}: `{from_top}` is in layer {a}, `{to_top}` in layer {b})",
                        f.module.join("/"),
                        path.join("::")
                    ));
                }
            } else if !to.starts_with(&f.module) && !f.module.starts_with(&to) {
                edges.entry(f.module.clone()).or_default().insert(to);
            }
        }
    }
    for circle in circles(&edges) {
        let names: Vec<String> = circle.iter().map(|m| m.join("::")).collect();
        problems.push(format!("these files use each other in a circle: {}", names.join(" → ")));
    }
    problems.sort();
    problems.dedup();
    problems
}

/// The strongly connected groups of more than one file (Tarjan's algorithm), each in a stable order.
fn circles(edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<Vec<Vec<String>>> {
    struct State<'a> {
        edges: &'a BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        index: BTreeMap<Vec<String>, usize>,
        low: BTreeMap<Vec<String>, usize>,
        stack: Vec<Vec<String>>,
        on_stack: BTreeSet<Vec<String>>,
        out: Vec<Vec<Vec<String>>>,
    }
    fn visit(s: &mut State, v: &Vec<String>) {
        let n = s.index.len();
        s.index.insert(v.clone(), n);
        s.low.insert(v.clone(), n);
        s.stack.push(v.clone());
        s.on_stack.insert(v.clone());
        for w in s.edges.get(v).cloned().unwrap_or_default() {
            if !s.index.contains_key(&w) {
                visit(s, &w);
                let lw = s.low[&w];
                let lv = s.low[v];
                s.low.insert(v.clone(), lv.min(lw));
            } else if s.on_stack.contains(&w) {
                let iw = s.index[&w];
                let lv = s.low[v];
                s.low.insert(v.clone(), lv.min(iw));
            }
        }
        if s.low[v] == s.index[v] {
            let mut group = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(&w);
                let done = &w == v;
                group.push(w);
                if done {
                    break;
                }
            }
            if group.len() > 1 {
                group.sort();
                s.out.push(group);
            }
        }
    }
    let mut s = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in edges.keys() {
        if !s.index.contains_key(v) {
            visit(&mut s, v);
        }
    }
    s.out
}

fn read_tree(dir: &Path, module: Vec<String>, out: &mut Vec<File>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).expect("read src").flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        if path.is_dir() {
            let mut inner = module.clone();
            inner.push(name);
            read_tree(&path, inner, out);
        } else if let Some(stem) = name.strip_suffix(".rs") {
            // main.rs is the binary: its paths are into the binary, not this library.
            if module.is_empty() && stem == "main" {
                continue;
            }
            let mut m = module.clone();
            if stem != "mod" && stem != "lib" {
                m.push(stem.to_string());
            }
            out.push(File { module: m, text: std::fs::read_to_string(&path).expect("read source") });
        }
    }
}

fn the_crate() -> (String, Vec<File>) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    read_tree(&src, Vec::new(), &mut files);
    (std::fs::read_to_string(src.join("lib.rs")).expect("read lib.rs"), files)
}

#[test]
fn every_import_follows_the_map_in_lib_rs() {
    let (lib_rs, files) = the_crate();
    assert!(files.len() > 50, "the source tree was not found ({} files)", files.len());
    let problems = check(&lib_rs, &files);
    assert!(problems.is_empty(), "the code and the map in src/lib.rs have parted:\n{}", problems.join("\n"));
}

#[test]
fn the_map_has_the_layers_the_architecture_names() {
    let (lib_rs, _) = the_crate();
    let layer = layers(&lib_rs).unwrap();
    // The simulator core never depends on what is above it: a few fixed points of the order.
    assert!(layer["api"] < layer["cluster"]);
    assert!(layer["cluster"] < layer["controllers"]);
    assert!(layer["controllers"] < layer["sim"]);
    assert!(layer["sim"] < layer["kubectl"]);
    assert!(layer["kubectl"] < layer["scenario"]);
    assert!(layer["scenario"] < layer["ui"]);
}

// ---- the checker itself, on small made-up crates ----

fn file(module: &str, text: &str) -> File {
    let module = if module.is_empty() { Vec::new() } else { module.split('/').map(str::to_string).collect() };
    File { module, text: text.to_string() }
}

const LIB: &str = "//! 1. [`api`] — types\n//! 2. [`cluster`], [`manifest`] — peers\n//! 3. [`sim`] — top\n\
                   pub mod api;\npub mod cluster;\npub mod manifest;\npub mod sim;\n";

fn tiny(extra: File) -> Vec<File> {
    let mut files = vec![
        file("", LIB),
        file("api", "pub mod time;"),
        file("api/time", "pub type Millis = u64;"),
        file("cluster", "use crate::api::time::Millis;\npub mod store;"),
        file("cluster/store", "use super::super::api::time::Millis;"),
        file("manifest", "use crate::api;"),
        file("sim", "use crate::{api::time, cluster::{store, self}, manifest};"),
    ];
    files.push(extra);
    files
}

#[test]
fn a_clean_crate_passes() {
    assert_eq!(check(LIB, &tiny(file("sim/run", "use super::super::cluster::store;"))), Vec::<String>::new());
}

#[test]
fn an_upward_import_fails() {
    let problems = check(LIB, &tiny(file("api/quantity", "use crate::cluster::store::Store;")));
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("src/api/quantity: uses `cluster::store::Store`"), "{problems:?}");
}

#[test]
fn a_peer_import_fails_in_every_spelling() {
    for text in [
        "use crate::manifest::Diagnostic;",
        "use crate::{api::Pod, manifest::{self, Diagnostic}};",
        "fn f() { let d = crate::manifest::decode::<u8>(x); }",
        "fn f() { html! { <crate::manifest::View /> } }",
        "use super::super::manifest;",
        "fn f() { $crate::manifest::x!(); }",
        "mod tests { use super::super::super::manifest::Pos; }",
    ] {
        let problems = check(LIB, &tiny(file("cluster/bootstrap", text)));
        assert!(!problems.is_empty(), "{text}: not found");
        assert!(problems.iter().all(|p| p.contains("same layer")), "{text}: {problems:?}");
    }
}

#[test]
fn comments_and_strings_are_not_imports() {
    for text in [
        "/// See [`crate::sim::Sim`].\nfn f() {}",
        "// use crate::sim;\nfn f() {}",
        "/* crate::sim:: /* nested */ crate::sim */ fn f() {}",
        "const S: &str = \"crate::sim::Sim\";",
        "const S: &str = r#\"use crate::sim; \"quoted\" \"#;",
        "fn f<'a>(x: &'a str) -> char { let _ = '\"'; 'x' }",
    ] {
        assert_eq!(check(LIB, &tiny(file("api/doc", text))), Vec::<String>::new(), "{text}");
    }
}

#[test]
fn an_exported_macro_belongs_to_its_module() {
    let defines = file("sim/macros", "#[macro_export]\nmacro_rules! with_sim {\n() => {};\n}\n");
    let mut files = tiny(defines);
    files.push(file("api/user", "fn f() { crate::with_sim!(); }"));
    let problems = check(LIB, &files);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("src/api/user: uses `with_sim`"), "{problems:?}");
}

#[test]
fn two_files_that_use_each_other_fail_but_a_parent_and_child_do_not() {
    let mut files = tiny(file("sim/a", "use super::b::B; pub struct A;"));
    files.push(file("sim/b", "use crate::sim::a::A; pub struct B;"));
    let problems = check(LIB, &files);
    assert_eq!(problems, vec!["these files use each other in a circle: sim::a → sim::b".to_string()]);

    let mut files = tiny(file("sim/a", "use super::Sim; pub struct A;"));
    files.push(file("sim", "use self::a::A; pub struct Sim;"));
    assert_eq!(check(LIB, &files), Vec::<String>::new());
}

#[test]
fn a_module_missing_from_the_map_fails() {
    let lib = format!("{LIB}pub mod extra;\n");
    let problems = check(&lib, &tiny(file("extra", "")));
    assert_eq!(problems, vec!["lib.rs declares `extra` but does not list it in its map of layers".to_string()]);
}
