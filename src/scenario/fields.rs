//! Reading the fields of a lesson file's mappings (lessons and their checks): each field taken once, a misspelt or
//! unknown one named with its position and the closest known name, and values of the wrong shape refused with what
//! they are.

use crate::manifest::yaml::{Node, Value};
use crate::manifest::Pos;

/// Where in a file a problem is, while decoding.
pub(super) type Fail = (Option<Pos>, String);

pub(super) fn fail_at(node: &Node, message: impl Into<String>) -> Fail {
    (Some(node.span.start), message.into())
}

/// A mapping's fields, each taken once; whatever is left at the end is an unknown field.
pub(super) struct Fields<'a> {
    node: &'a Node,
    what: &'static str,
    entries: Vec<(&'a str, Pos, &'a Node, bool)>,
}

impl<'a> Fields<'a> {
    pub(super) fn of(node: &'a Node, what: &'static str) -> Result<Fields<'a>, Fail> {
        match &node.value {
            Value::Map(entries) => Ok(Fields {
                node,
                what,
                entries: entries.iter().map(|(k, v)| (k.name.as_str(), k.span.start, v, false)).collect(),
            }),
            _ => Err(fail_at(node, format!("{what} must be a mapping, not {}", kind_word(node)))),
        }
    }

    pub(super) fn opt(&mut self, key: &str) -> Option<&'a Node> {
        let e = self.entries.iter_mut().find(|e| e.0 == key)?;
        e.3 = true;
        Some(e.2)
    }

    pub(super) fn req(&mut self, key: &str) -> Result<&'a Node, Fail> {
        let what = self.what;
        if let Some(n) = self.opt(key) {
            return Ok(n);
        }
        // A misspelt key is the likelier mistake: name it.
        if let Some((name, pos, _, _)) = self.entries.iter().find(|e| !e.3 && strsim::levenshtein(e.0, key) <= 2) {
            return Err((Some(*pos), format!("unknown field {name:?} in {what} (did you mean {key:?}?)")));
        }
        Err(fail_at(self.node, format!("{what} has no {key:?}")))
    }

    /// Refuses fields nobody took, naming the closest known one.
    pub(super) fn finish(self, known: &[&str]) -> Result<(), Fail> {
        if let Some((name, pos, _, _)) = self.entries.iter().find(|e| !e.3) {
            let hint = known
                .iter()
                .map(|k| (strsim::levenshtein(k, name), k))
                .filter(|(d, _)| *d <= 2)
                .min()
                .map(|(_, k)| format!(" (did you mean {k:?}?)"))
                .unwrap_or_default();
            return Err((
                Some(*pos),
                format!("unknown field {name:?} in {}{hint}; known: {}", self.what, known.join(", ")),
            ));
        }
        Ok(())
    }
}

pub(super) fn kind_word(node: &Node) -> &'static str {
    match node.value {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Int(_) | Value::Float(_) => "a number",
        Value::Str(_) => "a string",
        Value::Seq(_) => "a list",
        Value::Map(_) => "a mapping",
    }
}

pub(super) fn string_of(node: &Node, what: &str) -> Result<String, Fail> {
    match &node.value {
        Value::Str(s) => Ok(s.clone()),
        Value::Int(i) => Ok(i.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        _ => Err(fail_at(node, format!("{what} must be a string, not {}", kind_word(node)))),
    }
}
