//! kubectl's JSONPath templates (`-o jsonpath=…`, `-o jsonpath-as-json=…`), following client-go's
//! `util/jsonpath` (parser.go, jsonpath.go) and cli-runtime's `JSONPathPrinter`: the same grammar, the same
//! quirks (`[0]` on an empty list is an error, `['a.b']` is two fields), the same error texts. One deliberate
//! difference: Go visits map entries of `*` and `..` in random order; here they come in key order, so output is
//! deterministic.
//!
//! Values are the object as kubectl's unstructured decoding sees it: maps, slices, strings, int64 for integers,
//! float64 otherwise, bools and nil.

use serde_json::Value;
use std::borrow::Cow;

/// How deeply unions and filters may nest inside one another (kubectl has no limit; a bound keeps recursion safe).
const MAX_NESTING: usize = 32;

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Text(String),
    Field(String),
    Wildcard,
    Recursive,
    Array([Param; 3]),
    Union(Vec<Vec<Node>>),
    Filter { left: Vec<Node>, right: Vec<Node>, op: String },
    Int(i64),
    Float(f64),
    Bool(bool),
    Ident(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Param {
    value: i64,
    known: bool,
    derived: bool,
}

/// A parsed template: text and actions in order, as upstream's root list.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    parts: Vec<Vec<Node>>,
}

/// Upstream's `Parser`: byte positions into the input, `start` marking text not yet consumed.
struct Parser<'a> {
    input: &'a str,
    pos: usize,
    start: usize,
    depth: usize,
}

fn is_terminator(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => matches!(c, ' ' | '\t' | '\r' | '\n' | '.' | ',' | '[' | ']' | '$' | '@' | '{' | '}'),
    }
}

fn is_alphanumeric(c: char) -> bool {
    c == '_' || c.is_alphabetic() || c.is_numeric()
}

/// Go's `%#U`: `U+0023 '#'`.
fn go_sharp_u(c: char) -> String {
    if c.is_control() {
        format!("U+{:04X}", c as u32)
    } else {
        format!("U+{:04X} '{c}'", c as u32)
    }
}

impl<'a> Parser<'a> {
    fn new(input: &'a str, depth: usize) -> Self {
        Parser { input, pos: 0, start: 0, depth }
    }

    fn rest(&self) -> &'a str {
        self.input.get(self.pos..).unwrap_or("")
    }

    fn next(&mut self) -> Option<char> {
        let c = self.rest().chars().next()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn backup(&mut self, c: Option<char>) {
        if let Some(c) = c {
            self.pos -= c.len_utf8();
        }
    }

    fn consume(&mut self) -> &'a str {
        let v = self.input.get(self.start..self.pos).unwrap_or("");
        self.start = self.pos;
        v
    }

    /// `parseText` and `parseLeftDelim` / `parseRightDelim`: literal text between actions.
    fn parse(mut self) -> Result<Vec<Vec<Node>>, String> {
        let mut parts = Vec::new();
        loop {
            if self.rest().starts_with('{') {
                if self.pos > self.start {
                    parts.push(vec![Node::Text(self.consume().to_string())]);
                }
                self.pos += 1;
                self.consume();
                let mut action = Vec::new();
                self.inside_action(&mut action)?;
                parts.push(action);
                continue;
            }
            if self.next().is_none() {
                break;
            }
        }
        if self.pos > self.start {
            parts.push(vec![Node::Text(self.consume().to_string())]);
        }
        Ok(parts)
    }

    /// `parseInsideAction`, as a loop: returns after the closing `}`.
    fn inside_action(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        loop {
            let rest = self.rest();
            if rest.starts_with('}') {
                self.pos += 1;
                self.consume();
                return Ok(());
            }
            if rest.starts_with("[?(") {
                self.filter(cur)?;
                continue;
            }
            if rest.starts_with("..") {
                if cur.last() == Some(&Node::Recursive) {
                    return Err("invalid multiple recursive descent".into());
                }
                self.pos += 2;
                self.consume();
                cur.push(Node::Recursive);
                if self.peek().is_some_and(is_alphanumeric) {
                    self.field(cur);
                }
                continue;
            }
            let c = self.next();
            match c {
                None | Some('\r' | '\n') => return Err("unclosed action".into()),
                Some(' ' | '@' | '$') => {
                    self.consume();
                }
                Some('[') => self.array(cur)?,
                Some(q @ ('"' | '\'')) => self.quote(cur, q)?,
                Some('.') => self.field(cur),
                Some(d) if d == '+' || d == '-' || d.is_ascii_digit() => {
                    self.backup(c);
                    self.number(cur)?;
                }
                Some(a) if is_alphanumeric(a) => {
                    self.backup(c);
                    self.identifier(cur);
                }
                Some(other) => return Err(format!("unrecognized character in action: {}", go_sharp_u(other))),
            }
        }
    }

    /// `parseField`: the text after a `.` up to the next unescaped terminator.
    fn field(&mut self, cur: &mut Vec<Node>) {
        self.consume();
        loop {
            let c = self.next();
            if c == Some('\\') {
                self.next();
            } else if is_terminator(c) {
                self.backup(c);
                break;
            }
        }
        let value = self.consume();
        cur.push(if value == "*" { Node::Wildcard } else { Node::Field(value.replace('\\', "")) });
    }

    /// `parseIdentifier`: `range`, `end`, `true`, `false`, or an unknown word (an error when evaluated).
    fn identifier(&mut self, cur: &mut Vec<Node>) {
        loop {
            let c = self.next();
            if is_terminator(c) {
                self.backup(c);
                break;
            }
        }
        let value = self.consume();
        cur.push(match value {
            "true" => Node::Bool(true),
            "false" => Node::Bool(false),
            _ => Node::Ident(value.to_string()),
        });
    }

    /// `parseNumber`.
    fn number(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        if matches!(self.peek(), Some('+' | '-')) {
            self.next();
        }
        loop {
            let c = self.next();
            if !matches!(c, Some(d) if d == '.' || d.is_ascii_digit()) {
                self.backup(c);
                break;
            }
        }
        let value = self.consume();
        if let Ok(i) = value.parse::<i64>() {
            cur.push(Node::Int(i));
        } else if let Some(f) = parse_go_float(value) {
            cur.push(Node::Float(f));
        } else {
            return Err(format!("cannot parse number {value}"));
        }
        Ok(())
    }

    /// `parseArray`: an index, a slice, `*`, a quoted key or a union.
    fn array(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated array".into()),
                Some(']') => break,
                _ => {}
            }
        }
        let text = self.consume();
        let mut inner = &text[1..text.len() - 1];
        if inner == "*" {
            inner = ":";
        }
        let pieces: Vec<&str> = inner.split(',').collect();
        if pieces.len() > 1 {
            let mut union = Vec::new();
            for p in pieces {
                union.push(self.action(&format!("[{}]", p.trim_matches(' ')))?);
            }
            cur.push(Node::Union(union));
            return Ok(());
        }
        if inner.len() >= 2
            && inner.starts_with('\'')
            && inner.ends_with('\'')
            && !inner[1..inner.len() - 1].contains('\'')
        {
            let key = &inner[1..inner.len() - 1];
            cur.extend(self.action(&format!(".{key}"))?);
            return Ok(());
        }
        cur.push(Node::Array(slice_params(inner)?));
        Ok(())
    }

    /// `parseFilter`: `[?(@.a == "x")]`, or `[?(@.a)]` for "exists".
    fn filter(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        self.pos += 3;
        self.consume();
        let (mut begin, mut end, mut pair) = (false, false, '\0');
        loop {
            let c = self.next();
            match c {
                None | Some('\n') => return Err("unterminated filter".into()),
                Some(q @ ('"' | '\'')) => {
                    if !begin {
                        begin = true;
                        pair = q;
                        continue;
                    }
                    if self.input.as_bytes().get(self.pos.wrapping_sub(2)) != Some(&b'\\') && q == pair {
                        end = true;
                    }
                }
                Some(')') if begin == end => break,
                _ => {}
            }
        }
        if self.next() != Some(']') {
            return Err("unclosed array expect ]".into());
        }
        let text = self.consume();
        let text = &text[..text.len() - 2];
        match split_comparison(text) {
            None => {
                let left = self.action(text)?;
                cur.push(Node::Filter { left, right: Vec::new(), op: "exists".into() });
            }
            Some((l, op, r)) => {
                let left = self.action(l)?;
                let right = self.action(r)?;
                cur.push(Node::Filter { left, right, op: op.to_string() });
            }
        }
        Ok(())
    }

    /// `parseQuote`: a string literal, unquoted as Go's strconv does (single quotes allowed).
    fn quote(&mut self, cur: &mut Vec<Node>, end: char) -> Result<(), String> {
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated quoted string".into()),
                Some(c) if c == end && self.input.as_bytes().get(self.pos.wrapping_sub(2)) != Some(&b'\\') => break,
                _ => {}
            }
        }
        let value = self.consume();
        let s = unquote(value).ok_or_else(|| format!("unquote string {value} error invalid syntax"))?;
        cur.push(Node::Text(s));
        Ok(())
    }

    /// `parseAction`: parses `{text}` on its own and returns the action's nodes.
    fn action(&self, text: &str) -> Result<Vec<Node>, String> {
        if self.depth >= MAX_NESTING {
            return Err("template nested too deeply".into());
        }
        let wrapped = format!("{{{text}}}");
        let mut parts = Parser::new(&wrapped, self.depth + 1).parse()?;
        Ok(if parts.is_empty() { Vec::new() } else { parts.swap_remove(0) })
    }
}

/// The slice grammar `^(-?\d*)(:-?\d*)?(:-?\d*)?$` and upstream's reading of it.
fn slice_params(text: &str) -> Result<[Param; 3], String> {
    let invalid = || format!("invalid array index {text}");
    let groups: Vec<&str> = text.split(':').collect();
    if groups.len() > 3 {
        return Err(invalid());
    }
    let shape_ok = |g: &str| {
        let digits = g.strip_prefix('-').unwrap_or(g);
        digits.bytes().all(|b| b.is_ascii_digit())
    };
    if !groups.iter().all(|g| shape_ok(g)) {
        return Err(invalid());
    }
    let mut params = [Param::default(); 3];
    for i in 0..3 {
        match groups.get(i) {
            Some(g) if i == 0 && !g.is_empty() || i > 0 && !g.is_empty() => {
                let v = g.parse::<i64>().map_err(|_| format!("array index {g} is not a number"))?;
                params[i] = Param { value: v, known: true, derived: false };
            }
            // `[a:]`: the colon is there but the number is not.
            Some(_) if i > 0 => params[i] = Param::default(),
            _ if i == 1 => params[1] = Param { value: params[0].value + 1, known: true, derived: true },
            _ => params[i] = Param::default(),
        }
    }
    Ok(params)
}

/// The filter regex `^([^!<>=]+)([!<>=]+)(.+?)$`.
fn split_comparison(text: &str) -> Option<(&str, &str, &str)> {
    let is_op = |c: char| matches!(c, '!' | '<' | '>' | '=');
    let l_end = text.find(is_op)?;
    if l_end == 0 {
        return None;
    }
    let rest = &text[l_end..];
    let op_len = rest.find(|c: char| !is_op(c)).unwrap_or(rest.len());
    let right = &rest[op_len..];
    if right.is_empty() || right.contains('\n') {
        return None;
    }
    Some((&text[..l_end], &rest[..op_len], right))
}

/// Go's `strconv.ParseFloat` for the digits-and-dots numbers the parser reads.
fn parse_go_float(s: &str) -> Option<f64> {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    if body.is_empty() || body == "." || body.matches('.').count() > 1 {
        return None;
    }
    s.parse::<f64>().ok()
}

/// client-go's `UnquoteExtend`: Go's `strconv.Unquote`, also for single-quoted strings.
fn unquote(s: &str) -> Option<String> {
    let quote = s.chars().next()?;
    if s.len() < 2 || !s.ends_with(quote) || !matches!(quote, '"' | '\'') {
        return None;
    }
    let body = &s[1..s.len() - 1];
    let mut out = String::new();
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c == quote {
            return None;
        }
        if c != '\\' {
            out.push(c);
            continue;
        }
        let e = chars.next()?;
        let hex = |chars: &mut std::str::Chars<'_>, n: usize| -> Option<u32> {
            let h: String = chars.by_ref().take(n).collect();
            if h.len() != n {
                return None;
            }
            u32::from_str_radix(&h, 16).ok()
        };
        match e {
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'f' => out.push('\x0c'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\x0b'),
            '\\' => out.push('\\'),
            '\'' | '"' if e == quote => out.push(e),
            'x' => out.push(char::from_u32(hex(&mut chars, 2)?)?),
            'u' => out.push(char::from_u32(hex(&mut chars, 4)?)?),
            'U' => out.push(char::from_u32(hex(&mut chars, 8)?)?),
            '0'..='7' => {
                let rest: String = chars.by_ref().take(2).collect();
                let v = u32::from_str_radix(&format!("{e}{rest}"), 8).ok().filter(|v| *v <= 255)?;
                if rest.len() != 2 {
                    return None;
                }
                out.push(char::from_u32(v)?);
            }
            _ => return None,
        }
    }
    Some(out)
}

impl Template {
    /// Parses a template, with upstream's error texts (`unclosed action`, …).
    pub fn parse(text: &str) -> Result<Template, String> {
        Ok(Template { parts: Parser::new(text, 0).parse()? })
    }

    /// Runs the template on `data`: each action's results, in order (upstream's `FindResults`).
    fn results(&self, data: &Value, allow_missing: bool) -> Result<Vec<Vec<Value>>, String> {
        let mut out = Vec::new();
        let mut i = 0;
        run_block(&self.parts, &mut i, data, allow_missing, 0, &mut out)?;
        Ok(out)
    }

    /// The values one column's template finds, for custom-columns (empty when its first action found nothing).
    pub fn values(&self, data: &Value) -> Result<Vec<Value>, String> {
        let groups = self.results(data, true)?;
        if groups.first().is_none_or(Vec::is_empty) {
            return Ok(Vec::new());
        }
        Ok(groups.into_iter().flatten().collect())
    }

    /// What kubectl prints: results of one action joined by spaces, maps and lists as compact JSON; with `as_json`,
    /// each action's results as an indented JSON array.
    pub fn execute(&self, data: &Value, allow_missing: bool, as_json: bool) -> Result<String, String> {
        let mut out = String::new();
        for group in self.results(data, allow_missing)? {
            if as_json {
                out.push_str(&crate::manifest::print::to_json(&Value::Array(group)));
                continue;
            }
            let texts: Vec<String> = group.iter().map(text_of).collect();
            out.push_str(&texts.join(" "));
        }
        Ok(out)
    }
}

/// Runs parts from `*i` until the end of the template or an `{end}` closing the range at `depth`.
fn run_block(
    parts: &[Vec<Node>],
    i: &mut usize,
    data: &Value,
    allow_missing: bool,
    depth: usize,
    out: &mut Vec<Vec<Value>>,
) -> Result<(), String> {
    while *i < parts.len() {
        let nodes = &parts[*i];
        *i += 1;
        match nodes.first() {
            Some(Node::Ident(w)) if w == "end" => {
                if depth == 0 {
                    return Err("not in range, nothing to end".into());
                }
                return Ok(());
            }
            Some(Node::Ident(w)) if w == "range" => {
                let items = eval_list(vec![Cow::Borrowed(data)], &nodes[1..], allow_missing)?;
                let body = *i;
                if items.is_empty() {
                    // Upstream still walks the body once (on nil) to find its end; errors there count.
                    let mut discard = Vec::new();
                    run_block(parts, i, &Value::Null, allow_missing, depth + 1, &mut discard)?;
                }
                for item in items {
                    *i = body;
                    run_block(parts, i, &item, allow_missing, depth + 1, out)?;
                }
            }
            _ => out.push(
                eval_list(vec![Cow::Borrowed(data)], nodes, allow_missing)?.into_iter().map(Cow::into_owned).collect(),
            ),
        }
    }
    Ok(())
}

type Values<'a> = Vec<Cow<'a, Value>>;

fn eval_list<'a>(mut cur: Values<'a>, nodes: &[Node], allow_missing: bool) -> Result<Values<'a>, String> {
    for node in nodes {
        cur = eval(cur, node, allow_missing)?;
    }
    Ok(cur)
}

fn take<'a>(v: &Cow<'a, Value>, f: impl Fn(&Value) -> Option<&Value>) -> Option<Cow<'a, Value>> {
    match v {
        Cow::Borrowed(b) => f(b).map(Cow::Borrowed),
        Cow::Owned(o) => f(o).map(|x| Cow::Owned(x.clone())),
    }
}

fn children<'a>(v: &Cow<'a, Value>) -> Values<'a> {
    match v {
        Cow::Borrowed(Value::Object(m)) => m.values().map(Cow::Borrowed).collect(),
        Cow::Borrowed(Value::Array(a)) => a.iter().map(Cow::Borrowed).collect(),
        Cow::Owned(Value::Object(m)) => m.values().cloned().map(Cow::Owned).collect(),
        Cow::Owned(Value::Array(a)) => a.iter().cloned().map(Cow::Owned).collect(),
        // Go ranges over a string's bytes.
        _ => match v.as_ref() {
            Value::String(s) => s.bytes().map(|b| Cow::Owned(Value::from(b))).collect(),
            _ => Vec::new(),
        },
    }
}

/// Go's name of an unstructured value's type, for error messages.
fn go_type(v: &Value) -> &'static str {
    match v {
        Value::Object(_) => "map[string]interface {}",
        Value::Array(_) => "[]interface {}",
        Value::String(_) => "string",
        Value::Number(n) if n.is_f64() => "float64",
        Value::Number(_) => "int64",
        Value::Bool(_) => "bool",
        Value::Null => "interface {}",
    }
}

fn eval<'a>(input: Values<'a>, node: &Node, allow_missing: bool) -> Result<Values<'a>, String> {
    let same = |v: Value| -> Values<'a> { input.iter().map(|_| Cow::Owned(v.clone())).collect() };
    match node {
        Node::Text(t) => Ok(vec![Cow::Owned(Value::String(t.clone()))]),
        Node::Int(i) => Ok(same(Value::from(*i))),
        Node::Float(f) => Ok(same(serde_json::Number::from_f64(*f).map(Value::Number).unwrap_or(Value::Null))),
        Node::Bool(b) => Ok(same(Value::Bool(*b))),
        // `range` and `end` are handled at the start of an action; anywhere else, and any other word, is an error.
        Node::Ident(w) => Err(format!("unrecognized identifier {w}")),
        Node::Field(name) => {
            if input.is_empty() {
                return Ok(input);
            }
            let out: Values<'a> =
                input.iter().filter_map(|v| take(v, |x| x.as_object().and_then(|m| m.get(name)))).collect();
            if out.is_empty() && !allow_missing {
                return Err(format!("{name} is not found"));
            }
            Ok(out)
        }
        Node::Wildcard => Ok(input.iter().filter(|v| !v.is_null()).flat_map(children).collect()),
        Node::Recursive => {
            let mut out = Vec::new();
            let mut stack: Vec<Cow<'a, Value>> = input.into_iter().rev().collect();
            while let Some(v) = stack.pop() {
                if v.is_null() {
                    continue;
                }
                let kids = children(&v);
                if kids.is_empty() {
                    continue;
                }
                let is_string = v.is_string();
                out.push(v);
                if !is_string {
                    stack.extend(kids.into_iter().rev());
                }
            }
            Ok(out)
        }
        Node::Array(params) => {
            let mut out = Vec::new();
            for v in &input {
                if v.is_null() {
                    continue;
                }
                let Some(len) = v.as_array().map(|a| a.len() as i64) else {
                    return Err(format!("{} is not array or slice", go_type(v)));
                };
                let mut p = *params;
                if !p[0].known {
                    p[0].value = 0;
                }
                if p[0].value < 0 {
                    p[0].value += len;
                }
                if !p[1].known {
                    p[1].value = len;
                }
                if p[1].value < 0 || (p[1].value == 0 && p[1].derived) {
                    p[1].value += len;
                }
                if p[1].value == p[0].value {
                    return Ok(out);
                }
                if p[0].value >= len || p[0].value < 0 {
                    return Err(format!("array index out of bounds: index {}, length {len}", p[0].value));
                }
                if p[1].value > len || p[1].value < 0 {
                    return Err(format!("array index out of bounds: index {}, length {len}", p[1].value - 1));
                }
                if p[0].value > p[1].value {
                    return Err(format!("starting index {} is greater than ending index {}", p[0].value, p[1].value));
                }
                let step = if p[2].known {
                    if p[2].value <= 0 {
                        return Err("step must be > 0".into());
                    }
                    p[2].value as usize
                } else {
                    1
                };
                let (from, to) = (p[0].value as usize, p[1].value as usize);
                for idx in (from..to).step_by(step) {
                    if let Some(x) = take(v, |a| a.as_array().and_then(|a| a.get(idx))) {
                        out.push(x);
                    }
                }
            }
            Ok(out)
        }
        Node::Union(lists) => {
            let mut out = Vec::new();
            for l in lists {
                out.extend(eval_list(input.clone(), l, allow_missing)?);
            }
            Ok(out)
        }
        Node::Filter { left, right, op } => {
            let mut out = Vec::new();
            for v in &input {
                let Some(items) = v.as_array() else {
                    return Err(format!("{} is not array or slice and cannot be filtered", go_v(v)));
                };
                for idx in 0..items.len() {
                    let Some(item) = take(v, |a| a.as_array().and_then(|a| a.get(idx))) else { continue };
                    let lefts = eval_list(vec![item.clone()], left, allow_missing);
                    if op == "exists" {
                        if lefts.is_ok_and(|l| !l.is_empty()) {
                            out.push(item);
                        }
                        continue;
                    }
                    let lefts = lefts?;
                    match lefts.len() {
                        0 => continue,
                        1 => {}
                        _ => return Err("can only compare one element at a time".into()),
                    }
                    let rights = eval_list(vec![item.clone()], right, allow_missing)?;
                    match rights.len() {
                        0 => continue,
                        1 => {}
                        _ => return Err("can only compare one element at a time".into()),
                    }
                    if compare(&lefts[0], &rights[0], op)? {
                        out.push(item);
                    }
                }
            }
            Ok(out)
        }
    }
}

/// The comparisons of Go's text/template (`eq`, `lt`, …) on two unstructured values.
fn compare(l: &Value, r: &Value, op: &str) -> Result<bool, String> {
    use std::cmp::Ordering;
    let ord = match (l, r) {
        (Value::Number(a), Value::Number(b)) => {
            let (a, b) = (a.as_f64().unwrap_or(0.0), b.as_f64().unwrap_or(0.0));
            a.partial_cmp(&b)
        }
        (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
        (Value::Bool(a), Value::Bool(b)) if matches!(op, "==" | "!=") => Some(a.cmp(b)),
        (Value::Bool(_), Value::Bool(_)) => return Err("invalid type for comparison".into()),
        _ => return Err("incompatible types for comparison".into()),
    };
    Ok(match op {
        "==" => ord == Some(Ordering::Equal),
        "!=" => ord != Some(Ordering::Equal),
        "<" => ord == Some(Ordering::Less),
        ">" => ord == Some(Ordering::Greater),
        "<=" => matches!(ord, Some(Ordering::Less | Ordering::Equal)),
        ">=" => matches!(ord, Some(Ordering::Greater | Ordering::Equal)),
        other => return Err(format!("unrecognized filter operator {other}")),
    })
}

/// How one result prints: maps and lists as compact JSON, the rest as Go's `fmt.Fprint` does.
fn text_of(v: &Value) -> String {
    match v {
        Value::Object(_) | Value::Array(_) => crate::manifest::print::to_json_compact(v),
        _ => go_v(v),
    }
}

/// Go's float64 formatting for `%v` (strconv's `'g'` with shortest precision): exponent form below 1e-4 and
/// from 1e6.
fn go_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..6).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", exp.abs());
    }
    format!("{f}")
}

/// Go's `%v` of an unstructured value.
pub fn go_v(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.to_string(),
            (_, Some(u)) => u.to_string(),
            _ => go_float(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => s.clone(),
        Value::Array(a) => format!("[{}]", a.iter().map(go_v).collect::<Vec<_>>().join(" ")),
        Value::Object(m) => {
            format!("map[{}]", m.iter().map(|(k, v)| format!("{k}:{}", go_v(v))).collect::<Vec<_>>().join(" "))
        }
    }
}

/// Go's `%#v` of an unstructured value, as kubectl prints "object given to jsonpath engine was".
pub fn go_sharp_v(v: &Value) -> String {
    match v {
        Value::Null => "interface {}(nil)".into(),
        Value::String(s) => go_quote(s),
        Value::Array(a) => format!("[]interface {{}}{{{}}}", a.iter().map(go_sharp_v).collect::<Vec<_>>().join(", ")),
        Value::Object(m) => format!(
            "map[string]interface {{}}{{{}}}",
            m.iter().map(|(k, v)| format!("{}:{}", go_quote(k), go_sharp_v(v))).collect::<Vec<_>>().join(", ")
        ),
        _ => go_v(v),
    }
}

/// Go's `strconv.Quote`.
pub fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\x0b' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\x7f' => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
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

    fn run(template: &str, data: &Value) -> Result<String, String> {
        Template::parse(template)?.execute(data, true, false)
    }

    /// Rows of client-go's jsonpath_test.go (`TestKubernetes`, `TestJSONInput`, `TestTypesInput`, `TestStructInput`)
    /// on the same data as JSON; struct field order becomes key order, as the unstructured maps kubectl uses have.
    #[test]
    fn upstream_jsonpath_test_rows() {
        let nodes = json!({
            "kind": "List",
            "items": [
                {"kind": "None", "metadata": {"name": "127.0.0.1", "labels": {"kubernetes.io/hostname": "127.0.0.1"}},
                 "status": {"capacity": {"cpu": "4"}, "ready": true,
                            "addresses": [{"type": "LegacyHostIP", "address": "127.0.0.1"}]}},
                {"kind": "None", "metadata": {"name": "127.0.0.2", "labels": {"kubernetes.io/hostname": "127.0.0.2"}},
                 "status": {"capacity": {"cpu": "8"}, "ready": false,
                            "addresses": [{"type": "LegacyHostIP", "address": "127.0.0.2"},
                                          {"type": "another", "address": "127.0.0.3"}]}},
            ],
            "users": [{"name": "myself", "user": {}}, {"name": "e2e", "user": {"username": "admin", "password": "secret"}}],
        });
        let store = json!({
            "Name": "jsonpath",
            "Book": [
                {"Category": "reference", "Author": "Nigel Rees", "Title": "Sayings of the Centurey", "Price": 8.95},
                {"Category": "fiction", "Author": "Evelyn Waugh", "Title": "Sword of Honour", "Price": 12.99},
                {"Category": "fiction", "Author": "Herman Melville", "Title": "Moby Dick", "Price": 8.99},
            ],
            "Bicycle": [{"Color": "red", "Price": 19.95, "IsNew": true}, {"Color": "green", "Price": 20.01, "IsNew": false}],
            "Labels": {"engieer": 10, "web/html": 15, "k8s-app": 20},
            "Employees": {"jason": "manager", "dan": "clerk"},
        });
        let points = json!([
            {"id": "i1", "x": 4, "y": -5}, {"id": "i2", "x": -2, "y": -5, "z": 1}, {"id": "i3", "x": 8, "y": 3},
            {"id": "i4", "x": -6, "y": -1}, {"id": "i5", "x": 0, "y": 2, "z": 1}, {"id": "i6", "x": 1, "y": 4},
        ]);
        let types = json!({"bools": [true, false, true, false], "integers": [1, 2, 3, 4], "floats": [1.0, 2.2, 3.3, 4.0],
                           "interfaces": [true, "one", 1, 1.1]});
        let rows: &[(&str, &Value, &str, &str)] = &[
            ("range item", &nodes, "{range .items[*]}{.metadata.name}, {end}{.kind}", "127.0.0.1, 127.0.0.2, List"),
            (
                "range item with quote",
                &nodes,
                r#"{range .items[*]}{.metadata.name}{"\t"}{end}"#,
                "127.0.0.1\t127.0.0.2\t",
            ),
            ("range addresss", &nodes, "{.items[*].status.addresses[*].address}", "127.0.0.1 127.0.0.2 127.0.0.3"),
            (
                "double range",
                &nodes,
                "{range .items[*]}{range .status.addresses[*]}{.address}, {end}{end}",
                "127.0.0.1, 127.0.0.2, 127.0.0.3, ",
            ),
            ("item name", &nodes, "{.items[*].metadata.name}", "127.0.0.1 127.0.0.2"),
            (
                "union nodes capacity",
                &nodes,
                "{.items[*]['metadata.name', 'status.capacity']}",
                r#"127.0.0.1 127.0.0.2 {"cpu":"4"} {"cpu":"8"}"#,
            ),
            (
                "range nodes capacity",
                &nodes,
                "{range .items[*]}[{.metadata.name}, {.status.capacity}] {end}",
                r#"[127.0.0.1, {"cpu":"4"}] [127.0.0.2, {"cpu":"8"}] "#,
            ),
            ("user password", &nodes, r#"{.users[?(@.name=="e2e")].user.password}"#, "secret"),
            ("hostname", &nodes, r"{.items[0].metadata.labels.kubernetes\.io/hostname}", "127.0.0.1"),
            (
                "hostname filter",
                &nodes,
                r#"{.items[?(@.metadata.labels.kubernetes\.io/hostname=="127.0.0.1")].kind}"#,
                "None",
            ),
            ("bool item", &nodes, "{.items[?(@..ready==true)].metadata.name}", "127.0.0.1"),
            ("recursive name (sorted keys)", &nodes, "{..name}", "127.0.0.1 127.0.0.2 myself e2e"),
            ("exists filter", &points, "{[?(@.z)].id}", "i2 i5"),
            ("bracket key", &points, "{[0]['id']}", "i1"),
            ("plain", &Value::Null, "hello jsonpath", "hello jsonpath"),
            ("recursive", &json!([1, 2, 3]), "{..}", "[1,2,3]"),
            ("filter", &json!([2, 6, 3, 7]), "{[?(@<5)]}", "2 3"),
            ("quote", &Value::Null, r#"{"{"}"#, "{"),
            ("union", &json!([0, 1, 2, 3, 4]), "{[1,3,4]}", "1 3 4"),
            ("array", &json!(["Monday", "Tudesday"]), "{[0:2]}", "Monday Tudesday"),
            ("variable", &store, "hello {.Name}", "hello jsonpath"),
            ("dict/", &store, "{$.Labels.web/html}", "15"),
            ("dict/ employees", &store, "{$.Employees.jason}", "manager"),
            ("dict-", &store, "{.Labels.k8s-app}", "20"),
            ("nest", &store, "{.Bicycle[*].Color}", "red green"),
            ("allarray", &store, "{.Book[*].Author}", "Nigel Rees Evelyn Waugh Herman Melville"),
            // Go's struct visits Book before Bicycle; a map (what kubectl has) in key order puts Bicycle first.
            ("recurfields", &store, "{..Price}", "19.95 20.01 8.95 12.99 8.99"),
            ("recurdotfields", &store, "{...Price}", "19.95 20.01 8.95 12.99 8.99"),
            ("bool", &store, "{.Bicycle[?(@.IsNew==true)]}", r#"{"Color":"red","IsNew":true,"Price":19.95}"#),
            ("boolSliceIndex", &types, "{ .bools[-1] }", "false"),
            ("boolSubSliceStep2", &types, "{ .bools[:4:2] }", "true true"),
            ("integerSliceIndexReverse", &types, "{ .integers[-2] }", "3"),
            ("floatSubSliceStep2", &types, "{ .floats[:4:2] }", "1 3.3"),
            ("interfaceSubSliceStep2", &types, "{ .interfaces[:4:2] }", "true 1"),
            ("nonexistent field 2", &store, "before-{.hello}after", "before-after"),
        ];
        for (name, data, template, want) in rows {
            let got = run(template, data).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(&got, want, "{name}");
        }
        // superrecurfields
        assert_eq!(Template::parse("{....Price}").unwrap_err(), "invalid multiple recursive descent");
        // failStoreTests
        let fails: &[(&str, &str)] = &[
            ("{hello}", "unrecognized identifier hello"),
            ("{.Labels[0]}", "map[string]interface {} is not array or slice"),
            ("{.Book[?(@.Price<>10)]}", "unrecognized filter operator <>"),
            ("{range .Labels.*}{@}{end}{end}", "not in range, nothing to end"),
        ];
        for (t, want) in fails {
            assert_eq!(Template::parse(t).unwrap().execute(&store, false, false).unwrap_err(), *want, "{t}");
        }
        assert_eq!(
            Template::parse("{.hello}").unwrap().execute(&store, false, false).unwrap_err(),
            "hello is not found"
        );
    }

    /// Rows of upstream's `TestJSONPathWithoutJSONTags` / failure table: the parse and run errors.
    #[test]
    fn upstream_error_rows() {
        let data = json!({"items": [], "a": "x"});
        let parse_errors: &[(&str, &str)] = &[
            ("{.hello world", "unclosed action"),
            ("{.hello}{", "unclosed action"),
            ("{.a[0:1:2:3]}", "invalid array index 0:1:2:3"),
            ("{.a[a]}", "invalid array index a"),
            ("{.a[-]}", "array index - is not a number"),
            ("{#}", "unrecognized character in action: U+0023 '#'"),
            ("{..  ..}", "invalid multiple recursive descent"),
            ("{.a[?(@.b==1]", "unterminated filter"),
            ("{.a[1}", "unterminated array"),
            ("{\"abc}", "unterminated quoted string"),
        ];
        for (t, want) in parse_errors {
            assert_eq!(Template::parse(t).unwrap_err(), *want, "{t}");
        }
        let run_errors: &[(&str, &str)] = &[
            ("{.items[0]}", "array index out of bounds: index 0, length 0"),
            ("{.a[0]}", "string is not array or slice"),
            ("{end}", "not in range, nothing to end"),
            ("{.a[?(@.x)]}", ""),
            ("{hello}", "unrecognized identifier hello"),
        ];
        for (t, want) in run_errors {
            let got = run(t, &data);
            match want.is_empty() {
                true => assert!(got.is_err(), "{t}: {got:?}"),
                false => assert_eq!(got.unwrap_err(), *want, "{t}"),
            }
        }
        // Missing keys print nothing unless --allow-missing-template-keys=false.
        let t = Template::parse("{.nope}").unwrap();
        assert_eq!(t.execute(&data, true, false).unwrap(), "");
        assert_eq!(t.execute(&data, false, false).unwrap_err(), "nope is not found");
    }

    #[test]
    fn a_learners_templates() {
        let list = json!({"apiVersion": "v1", "kind": "List", "items": [
            {"metadata": {"name": "a", "labels": {"app": "web"}}, "status": {"phase": "Running", "podIP": "10.244.1.2"}},
            {"metadata": {"name": "b", "labels": {"app": "db"}}, "status": {"phase": "Pending"}},
        ]});
        assert_eq!(run("{.items[*].metadata.name}", &list).unwrap(), "a b");
        assert_eq!(
            run(r#"{range .items[*]}{.metadata.name}{"\t"}{.status.phase}{"\n"}{end}"#, &list).unwrap(),
            "a\tRunning\nb\tPending\n"
        );
        assert_eq!(run(r#"{.items[?(@.status.phase=="Running")].metadata.name}"#, &list).unwrap(), "a");
        assert_eq!(run("{.items[?(@.status.podIP)].metadata.name}", &list).unwrap(), "a");
        assert_eq!(run("{.items[0].metadata.labels}", &list).unwrap(), r#"{"app":"web"}"#);
        assert_eq!(run("{.items[*]['metadata.name']}", &list).unwrap(), "a b");
        assert_eq!(run("{.items[-1].metadata.name}", &list).unwrap(), "b");
        assert_eq!(run("{$.kind}", &list).unwrap(), "List");
        assert_eq!(run("{range .items[*]}{range .metadata.labels.*}{@}{end};{end}", &list).unwrap(), "web;db;");
        assert_eq!(
            Template::parse("{.items[*].metadata.name}").unwrap().execute(&list, true, true).unwrap(),
            "[\n    \"a\",\n    \"b\"\n]\n"
        );
    }

    #[test]
    fn go_formats() {
        assert_eq!(go_float(1e6), "1e+06");
        assert_eq!(go_float(123456.0), "123456");
        assert_eq!(go_float(0.5), "0.5");
        assert_eq!(go_float(0.00001), "1e-05");
        assert_eq!(
            go_sharp_v(&json!({"a": [1, "x\n"], "b": null})),
            "map[string]interface {}{\"a\":[]interface {}{1, \"x\\n\"}, \"b\":interface {}(nil)}"
        );
        assert_eq!(go_v(&json!({"a": [1, 2]})), "map[a:[1 2]]");
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod no_panics {
        use super::*;
        use proptest::prelude::*;

        fn token() -> impl Strategy<Value = &'static str> {
            prop::sample::select(vec![
                "{",
                "}",
                ".",
                "..",
                "[",
                "]",
                "[*]",
                "[?(",
                ")]",
                "@",
                "$",
                "'",
                "\"",
                "\\",
                ",",
                ":",
                "-",
                "-1",
                "0",
                "1",
                "2",
                "9999999999999999999",
                "1.5",
                "==",
                "!=",
                "<",
                ">=",
                "range",
                "end",
                "true",
                "items",
                "metadata",
                "name",
                " ",
                "\t",
                "\n",
                "*",
                "a\\.b",
                "é",
                "#",
            ])
        }

        proptest! {
            #![proptest_config(ProptestConfig {
                cases: std::env::var("KUBEPLAY_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(2_000),
                ..ProptestConfig::default()
            })]

            /// Any template, on a small List: parsing and running it answer with text or an error, never a panic.
            #[test]
            fn no_template_panics(tokens in prop::collection::vec(token(), 0..24)) {
                let text: String = tokens.concat();
                let data = json!({"kind": "List", "items": [{"metadata": {"name": "a", "x": [1, "b", null, {"c": 2.5}]}}, {}]});
                if let Ok(t) = Template::parse(&text) {
                    let _ = t.execute(&data, true, false);
                    let _ = t.execute(&data, false, true);
                    let _ = t.values(&data);
                }
            }
        }
    }
}
