//! YAML colouring for the editor, line by line, with the manifest diagnostics marked at their spans. A light lexer,
//! not a parser: it only has to colour what people type (keys, scalars, comments, list dashes, document markers), and
//! it never fails — text it does not understand is plain.

use super::{Diagnostic, Severity};

/// The class of a piece of text (a CSS class `tok-…` in the editor).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tok {
    Plain,
    Key,
    Str,
    Number,
    Bool,
    Null,
    Comment,
    Punct,
    Marker,
}

impl Tok {
    pub fn class(self) -> &'static str {
        match self {
            Tok::Plain => "tok-plain",
            Tok::Key => "tok-key",
            Tok::Str => "tok-str",
            Tok::Number => "tok-num",
            Tok::Bool => "tok-bool",
            Tok::Null => "tok-null",
            Tok::Comment => "tok-comment",
            Tok::Punct => "tok-punct",
            Tok::Marker => "tok-marker",
        }
    }
}

/// A run of text on one line: its class, and the diagnostic (index) it lies under, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub tok: Tok,
    pub diagnostic: Option<usize>,
    pub severity: Option<Severity>,
}

/// Each line of `text` as pieces whose texts concatenate back to the line exactly.
pub fn highlight(text: &str, diagnostics: &[Diagnostic]) -> Vec<Vec<Piece>> {
    text.split('\n')
        .enumerate()
        .map(|(i, line)| {
            let line = line.strip_suffix('\r').unwrap_or(line);
            let chars: Vec<char> = line.chars().collect();
            let toks = lex(&chars);
            // The diagnostic covering each character (spans are 1-based lines and columns).
            let line_no = i as u32 + 1;
            let under: Vec<Option<usize>> =
                (0..chars.len()).map(|c| diagnostics.iter().position(|d| covers(d, line_no, c, &chars))).collect();
            let mut pieces: Vec<Piece> = Vec::new();
            for (c, ch) in chars.iter().enumerate() {
                let tok = toks[c];
                let diagnostic = under[c];
                match pieces.last_mut() {
                    Some(p) if p.tok == tok && p.diagnostic == diagnostic => p.text.push(*ch),
                    _ => pieces.push(Piece {
                        text: ch.to_string(),
                        tok,
                        diagnostic,
                        severity: diagnostic.map(|d| diagnostics[d].severity),
                    }),
                }
            }
            pieces
        })
        .collect()
}

/// Whether diagnostic `d` lies over character `c` (0-based) of line `line`. A span with no width marks the word
/// that starts at it.
fn covers(d: &Diagnostic, line: u32, c: usize, chars: &[char]) -> bool {
    let (s, e) = (d.span.start, d.span.end);
    let col = c as u32 + 1;
    if (e.line, e.col) <= (s.line, s.col) {
        let from = (s.col as usize).saturating_sub(1);
        return line == s.line && c >= from && chars[from..=c].iter().all(|ch| !ch.is_whitespace());
    }
    (line, col) >= (s.line, s.col) && (line, col) < (e.line, e.col)
}

fn lex(chars: &[char]) -> Vec<Tok> {
    let mut toks = vec![Tok::Plain; chars.len()];
    let line: String = chars.iter().collect();
    let trimmed = line.trim_end();
    if trimmed == "---" || trimmed == "..." || trimmed.starts_with("--- ") {
        toks.iter_mut().take(3).for_each(|t| *t = Tok::Marker);
        return toks;
    }
    let mut i = 0;
    // Indentation and list dashes.
    loop {
        while i < chars.len() && chars[i] == ' ' {
            i += 1;
        }
        if i < chars.len() && chars[i] == '-' && chars.get(i + 1).is_none_or(|c| *c == ' ') {
            toks[i] = Tok::Punct;
            i += 1;
            continue;
        }
        break;
    }
    if chars.get(i) == Some(&'#') {
        toks[i..].iter_mut().for_each(|t| *t = Tok::Comment);
        return toks;
    }
    // A key: text up to `: ` (or a final `:`) outside quotes, unless a flow collection or a comment comes first.
    let key_end =
        scan(chars, i, |j, c| (c == ':' && chars.get(j + 1).is_none_or(|n| *n == ' ')) || c == '{' || c == '[')
            .filter(|&j| chars[j] == ':');
    if let Some(end) = key_end {
        toks[i..end].iter_mut().for_each(|t| *t = Tok::Key);
        toks[end] = Tok::Punct;
        i = end + 1;
    }
    scalar(chars, &mut toks, i);
    toks
}

/// The first character from `from` on, outside quotes, that `stop` accepts or that starts a comment (a `#` after a
/// space).
fn scan(chars: &[char], from: usize, stop: impl Fn(usize, char) -> bool) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (j, &c) in chars.iter().enumerate().skip(from) {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if (c == '#' && j > from && chars[j - 1] == ' ') || stop(j, c) => return Some(j),
            None => {}
        }
    }
    None
}

/// Colours the value from `from` to the end of the line (a trailing comment included).
fn scalar(chars: &[char], toks: &mut [Tok], from: usize) {
    let mut i = from;
    while i < chars.len() && chars[i] == ' ' {
        i += 1;
    }
    if i >= chars.len() {
        return;
    }
    // The value ends at a comment (` #`) outside quotes.
    let end = scan(chars, i, |_, _| false).unwrap_or(chars.len());
    toks[end..].iter_mut().for_each(|t| *t = Tok::Comment);
    let value: String = chars[i..end].iter().collect();
    let v = value.trim_end();
    let tok = if v.starts_with(['{', '[', '|', '>', '&', '*', '!']) {
        Tok::Punct
    } else if v.starts_with(['"', '\'']) {
        Tok::Str
    } else {
        match super::yaml::resolve_plain(v) {
            super::yaml::Value::Int(_) | super::yaml::Value::Float(_) => Tok::Number,
            super::yaml::Value::Bool(_) => Tok::Bool,
            super::yaml::Value::Null => Tok::Null,
            _ => Tok::Str,
        }
    };
    toks[i..i + v.chars().count()].iter_mut().for_each(|t| *t = tok);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(line: &str) -> Vec<(String, Tok)> {
        highlight(line, &[])[0].iter().map(|p| (p.text.clone(), p.tok)).collect()
    }

    #[test]
    fn keys_values_comments_dashes_and_markers_are_coloured() {
        use Tok::*;
        assert_eq!(
            classes("  replicas: 3"),
            [
                ("  ".into(), Plain),
                ("replicas".into(), Key),
                (":".into(), Punct),
                (" ".into(), Plain),
                ("3".into(), Number)
            ]
        );
        assert_eq!(
            classes("- name: nginx # the web server"),
            [
                ("-".into(), Punct),
                (" ".into(), Plain),
                ("name".into(), Key),
                (":".into(), Punct),
                (" ".into(), Plain),
                ("nginx".into(), Str),
                (" ".into(), Plain),
                ("# the web server".into(), Comment)
            ]
        );
        assert_eq!(classes("---"), [("---".into(), Marker)]);
        assert_eq!(classes("paused: true")[3], ("true".into(), Bool));
        assert_eq!(classes("image: \"nginx:1.10\"")[3], ("\"nginx:1.10\"".into(), Str));
        assert_eq!(classes("x: ~")[3], ("~".into(), Null));
        assert_eq!(classes("# only a comment"), [("# only a comment".into(), Comment)]);
        // A URL's colon is not a key.
        assert_eq!(classes("http://x")[0].1, Str);
    }

    #[test]
    fn pieces_give_back_every_line_exactly_and_never_panic() {
        let text = "a: 1\n  - b: 'c: d' # e\n\t\u{1F600}: \"unterminated\n-\n:\n---\r\n#\n  - - x\n";
        let lines = highlight(text, &[]);
        let back: Vec<String> = lines.iter().map(|l| l.iter().map(|p| p.text.as_str()).collect()).collect();
        let want: Vec<&str> = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
        assert_eq!(back, want);
    }

    #[test]
    fn a_diagnostic_marks_its_span() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  replica: 3\n";
        let diags = super::super::check(text);
        let lines = highlight(text, &diags);
        let marked: Vec<(usize, String)> = lines
            .iter()
            .enumerate()
            .flat_map(|(i, l)| l.iter().filter(|p| p.diagnostic.is_some()).map(move |p| (i + 1, p.text.clone())))
            .collect();
        assert!(marked.iter().any(|(line, text)| *line == 4 && text.contains("replica")), "{marked:?} {diags:?}");
    }
}
