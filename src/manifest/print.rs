//! Objects back to text, as `kubectl get -o yaml` and `-o json` print them.
//!
//! kubectl marshals the object to JSON (keys sorted, as Go's `encoding/json` sorts map keys) and converts that to YAML
//! with `sigs.k8s.io/yaml` (go-yaml v2's emitter). The emitter's choices reproduced here:
//! - block style, two-space indentation, sequence items (`- `) at the indentation of their key;
//! - a string that would read back as another type (`"1"`, `"true"`, `""`) is double-quoted;
//! - a string that cannot be plain (`: ` inside, a leading indicator such as `*` or `-`, surrounding spaces) is
//!   single-quoted;
//! - a string with a line break is a literal block (`|`, or `|-` without a final line break).
//!
//! JSON is indented with four spaces, and `<`, `>` and `&` are escaped as Go's encoder escapes them.

use super::yaml::{resolve_plain, Value as YValue};
use serde_json::Value;

/// `kubectl get -o yaml` for one object.
pub fn to_yaml(v: &Value) -> String {
    let mut out = String::new();
    match v {
        Value::Object(m) if !m.is_empty() => map(&mut out, m, 0),
        Value::Array(a) if !a.is_empty() => seq(&mut out, a, 0),
        other => {
            out.push_str(&inline(other).unwrap_or_default());
            out.push('\n');
        }
    }
    out
}

/// `kubectl get -o json` for one object.
pub fn to_json(v: &Value) -> String {
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    if serde::Serialize::serialize(v, &mut ser).is_err() {
        return String::new();
    }
    let s = String::from_utf8(buf).unwrap_or_default();
    let mut out = s.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026");
    out.push('\n');
    out
}

/// Go's `json.Marshal`: compact, keys sorted, `<`, `>` and `&` escaped.
pub fn to_json_compact(v: &Value) -> String {
    let s = serde_json::to_string(v).unwrap_or_default();
    s.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026")
}

/// A scalar or empty container on one line; `None` for a non-empty container.
fn inline(v: &Value) -> Option<String> {
    Some(match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => scalar(s),
        Value::Array(a) if a.is_empty() => "[]".into(),
        Value::Object(m) if m.is_empty() => "{}".into(),
        _ => return None,
    })
}

fn pad(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

fn map(out: &mut String, m: &serde_json::Map<String, Value>, indent: usize) {
    let mut first = true;
    for (k, v) in m {
        if !first {
            pad(out, indent);
        }
        first = false;
        out.push_str(&scalar(k));
        out.push(':');
        value_after_key(out, v, indent);
    }
}

/// What follows `key:` (or `- ` for sequences nested in sequences).
fn value_after_key(out: &mut String, v: &Value, indent: usize) {
    match v {
        Value::String(s) if literal_ok(s) => {
            block(out, s, indent + 2);
        }
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            pad(out, indent + 2);
            map(out, m, indent + 2);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            pad(out, indent);
            seq(out, a, indent);
        }
        other => {
            out.push(' ');
            out.push_str(&inline(other).unwrap_or_default());
            out.push('\n');
        }
    }
}

fn seq(out: &mut String, a: &[Value], indent: usize) {
    let mut first = true;
    for v in a {
        if !first {
            pad(out, indent);
        }
        first = false;
        out.push('-');
        match v {
            Value::Object(m) if !m.is_empty() => {
                out.push(' ');
                map(out, m, indent + 2);
            }
            Value::Array(inner) if !inner.is_empty() => {
                out.push(' ');
                seq(out, inner, indent + 2);
            }
            Value::String(s) if literal_ok(s) => block(out, s, indent + 2),
            other => {
                out.push(' ');
                out.push_str(&inline(other).unwrap_or_default());
                out.push('\n');
            }
        }
    }
}

/// A multi-line string that a literal block holds exactly: no other control characters, no leading space (it would
/// need an indentation indicator), no trailing spaces, and at most one final line break.
fn literal_ok(s: &str) -> bool {
    s.contains('\n')
        && !s.starts_with([' ', '\n'])
        && !s.ends_with("\n\n")
        && s.chars().all(|c| c == '\n' || !(c.is_control() || c == '\u{feff}'))
        && s.split('\n').all(|line| !line.ends_with([' ', '\t']))
}

fn block(out: &mut String, s: &str, indent: usize) {
    let chomp = if s.ends_with('\n') { "" } else { "-" };
    out.push_str(&format!(" |{chomp}\n"));
    for line in s.strip_suffix('\n').unwrap_or(s).split('\n') {
        if !line.is_empty() {
            pad(out, indent);
            out.push_str(line);
        }
        out.push('\n');
    }
}

/// A string as go-yaml v2 writes it: plain, single-quoted or double-quoted.
pub fn scalar(s: &str) -> String {
    // `<<` would read back as a merge key; a timestamp would read back as go-yaml's timestamp type, so kubectl
    // quotes it (`creationTimestamp: "2026-01-01T00:00:00Z"`).
    if !matches!(resolve_plain(s), YValue::Str(_)) || s.is_empty() || s == "<<" || looks_like_timestamp(s) {
        return double_quoted(s);
    }
    if s.chars().any(|c| c.is_control() || c == '\u{feff}') {
        return double_quoted(s);
    }
    if can_be_plain(s) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "''"))
    }
}

/// go-yaml v2's timestamp forms: `2006-1-2`, optionally followed by `T`, `t` or a space and a time.
fn looks_like_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |from: usize, min: usize, max: usize| -> Option<usize> {
        let n = b[from.min(b.len())..].iter().take_while(|c| c.is_ascii_digit()).count();
        (n >= min && n <= max).then_some(from + n)
    };
    let date = digits(0, 4, 4)
        .filter(|&i| b.get(i) == Some(&b'-'))
        .and_then(|i| digits(i + 1, 1, 2))
        .filter(|&i| b.get(i) == Some(&b'-'))
        .and_then(|i| digits(i + 1, 1, 2));
    match date {
        Some(end) if end == b.len() => true,
        Some(end) => {
            matches!(b[end], b'T' | b't' | b' ') && digits(end + 1, 1, 2).is_some_and(|i| b.get(i) == Some(&b':'))
        }
        None => false,
    }
}

fn can_be_plain(s: &str) -> bool {
    let first = s.chars().next().unwrap_or(' ');
    let second = s.chars().nth(1);
    let indicator =
        matches!(first, '[' | ']' | '{' | '}' | ',' | '#' | '&' | '*' | '!' | '|' | '>' | '\'' | '"' | '%' | '@' | '`')
            || (matches!(first, '-' | '?' | ':') && second.is_none_or(|c| c == ' '));
    !(indicator
        || s.starts_with(' ')
        || s.ends_with(' ')
        || s.ends_with(':')
        || s.contains(": ")
        || s.contains(" #")
        || s.starts_with("---")
        || s.starts_with("..."))
}

fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c.is_control() && (c as u32) < 0x100) => out.push_str(&format!("\\x{:02X}", c as u32)),
            c if c.is_control() || c == '\u{feff}' => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn yaml_looks_like_kubectls() {
        let v = json!({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"annotations": {"deployment.kubernetes.io/revision": "1", "note": "a: b", "last": "{\"a\":1}\n"},
                         "labels": {"app": "web"}, "name": "web"},
            "spec": {"template": {"spec": {"containers": [{"image": "nginx:1.25", "name": "web",
                     "ports": [{"containerPort": 80, "protocol": "TCP"}], "args": ["-c", "yes", ""]}], "securityContext": {}}}}
        });
        assert_eq!(
            to_yaml(&v),
            "apiVersion: apps/v1
kind: Deployment
metadata:
  annotations:
    deployment.kubernetes.io/revision: \"1\"
    last: |
      {\"a\":1}
    note: 'a: b'
  labels:
    app: web
  name: web
spec:
  template:
    spec:
      containers:
      - args:
        - -c
        - \"yes\"
        - \"\"
        image: nginx:1.25
        name: web
        ports:
        - containerPort: 80
          protocol: TCP
      securityContext: {}
"
        );
    }

    #[test]
    fn printed_yaml_reads_back_to_the_same_value() {
        let v = json!({"a": ["2026-01-01T00:00:00Z", "2026-1-2", "2026-01-01 10:00:00", "2026-01-01x", "- x", "*y", "#z", " lead", "trail ", "null", "1.5", "0x10", "on", "a\nb", "a\nb\n", "tab\there", "q'uote", "k: v",
                             "a \nb", "\nx", "x\n\n", "a\r\nb", " a\nb", "é\u{1F600}"],
                       "b": {"c": [], "d": {}, "e": null, "f": 1.5, "g": -3}, "80": "x"});
        let text = to_yaml(&v);
        let mut diags = Vec::new();
        let docs = super::super::yaml::parse_stream(&text, &mut diags);
        assert!(diags.is_empty(), "{diags:?}\n{text}");
        assert_eq!(docs[0].root.as_ref().unwrap().to_json(), v, "{text}");
    }

    #[test]
    fn json_is_indented_with_four_spaces_and_escapes_like_go() {
        assert_eq!(
            to_json(&json!({"a": {"b": "<&>"}})),
            "{\n    \"a\": {\n        \"b\": \"\\u003c\\u0026\\u003e\"\n    }\n}\n"
        );
    }
}
