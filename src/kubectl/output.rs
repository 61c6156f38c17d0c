//! `kubectl get -o …`: which printer a flag value names (cli-runtime's `PrintFlags.ToPrinter` and its
//! `JSONPathPrintFlags`, kubectl's `CustomColumnsPrintFlags`), and the JSONPath and custom-columns printers.

use super::jsonpath::{go_sharp_v, Template};
use super::{tabwriter, Context, Output};
use serde_json::Value;

/// A printer chosen by `-o`.
pub enum Format {
    Table { wide: bool },
    Name,
    Yaml,
    Json,
    JsonPath { raw: String, template: Template, as_json: bool, allow_missing: bool },
    Columns(Vec<(String, Template)>),
}

/// What kubectl 1.35 lists after "allowed formats are:".
const ALLOWED: &str = "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml";

impl Format {
    /// Reads `-o`, `--template` and `--allow-missing-template-keys`. Files (`jsonpath-file=`, `custom-columns-file=`)
    /// come from the playground's files.
    pub fn parse(
        output: &str,
        template_flag: Option<&str>,
        allow_missing: bool,
        ctx: &Context<'_>,
    ) -> Result<Format, Output> {
        let (name, arg) = match output.split_once('=') {
            Some((n, a)) => (n, Some(a)),
            None => (output, None),
        };
        let err = |m: String| Err(Output::err(format!("error: {m}")));
        match name {
            "" | "wide" if arg.is_none() => Ok(Format::Table { wide: name == "wide" }),
            "name" if arg.is_none() => Ok(Format::Name),
            "yaml" if arg.is_none() => Ok(Format::Yaml),
            "json" if arg.is_none() => Ok(Format::Json),
            "jsonpath" | "jsonpath-as-json" | "jsonpath-file" => {
                let mut value = match template_flag.filter(|t| !t.is_empty()) {
                    Some(t) => t.to_string(),
                    None => arg.unwrap_or("").to_string(),
                };
                if value.is_empty() {
                    return err("template format specified but no template given".into());
                }
                if name == "jsonpath-file" {
                    value = match ctx.files.read(&value) {
                        Ok(text) => text,
                        Err(e) => return err(format!("error reading --template {value}, {e}")),
                    };
                }
                match Template::parse(&value) {
                    Ok(template) => Ok(Format::JsonPath {
                        raw: value,
                        template,
                        as_json: name == "jsonpath-as-json",
                        allow_missing,
                    }),
                    Err(e) => err(format!("error parsing jsonpath {value}, {e}")),
                }
            }
            "custom-columns" => Format::columns(arg.unwrap_or("")).or_else(err),
            "custom-columns-file" => {
                let file = arg.unwrap_or("");
                match ctx.files.read(file) {
                    Ok(text) => Format::columns_from_template(&text).or_else(err),
                    Err(e) => err(e),
                }
            }
            "go-template" | "go-template-file" | "template" | "templatefile" => err(format!(
                "kubeplay does not simulate Go templates (-o {name}); -o jsonpath=… and -o custom-columns=… print the same fields"
            )),
            _ => err(format!(
                "unable to match a printer suitable for the output format {output:?}, allowed formats are: {ALLOWED}"
            )),
        }
    }

    /// `NewCustomColumnsPrinterFromSpec`: `HEADER:path,HEADER:path`.
    fn columns(spec: &str) -> Result<Format, String> {
        if spec.is_empty() {
            return Err("custom-columns format specified but no custom columns given".into());
        }
        let mut columns = Vec::new();
        for part in spec.split(',') {
            let Some((header, path)) = part.split_once(':') else {
                return Err(format!("unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>"));
            };
            columns.push((header.to_string(), relaxed(path)?));
        }
        Ok(Format::Columns(columns))
    }

    /// `NewCustomColumnsPrinterFromTemplate`: a line of headers and a line of paths, split on white space.
    fn columns_from_template(text: &str) -> Result<Format, String> {
        let mut lines = text.lines();
        let headers: Vec<&str> = match lines.next() {
            Some(l) => l.split_whitespace().collect(),
            None => return Err("invalid template, missing header line. Expected format is one line of space separated headers, one line of space separated column specs.".into()),
        };
        let specs: Vec<&str> = match lines.next() {
            Some(l) => l.split_whitespace().collect(),
            None => return Err("invalid template, missing spec line. Expected format is one line of space separated headers, one line of space separated column specs.".into()),
        };
        if headers.len() != specs.len() {
            return Err(format!(
                "number of headers ({}) and field specifications ({}) don't match",
                headers.len(),
                specs.len()
            ));
        }
        let columns =
            headers.iter().zip(specs).map(|(h, s)| Ok((h.to_string(), relaxed(s)?))).collect::<Result<_, String>>()?;
        Ok(Format::Columns(columns))
    }

    /// Whether the printer needs whole objects.
    pub fn wants_objects(&self) -> bool {
        !matches!(self, Format::Table { .. } | Format::Name)
    }
}

/// `RelaxedJSONPathExpression`: `metadata.name`, `.metadata.name`, `{metadata.name}` and `{.metadata.name}` all mean
/// `{.metadata.name}`.
pub fn relaxed(path: &str) -> Result<Template, String> {
    let bad = || {
        "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'"
            .to_string()
    };
    let field = if path.is_empty() {
        return Template::parse("");
    } else if let Some(inner) = path.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
        inner.strip_prefix('.').unwrap_or(inner)
    } else {
        path.strip_prefix('.').unwrap_or(path)
    };
    if field.is_empty() || field.contains(['{', '}']) {
        return Err(bad());
    }
    Template::parse(&format!("{{.{field}}}"))
}

/// The JSONPath printer on the object kubectl hands it (one object, or a `List`).
pub fn jsonpath(raw: &str, template: &Template, data: &Value, as_json: bool, allow_missing: bool) -> Output {
    match template.execute(data, allow_missing, as_json) {
        Ok(text) => Output::ok(text),
        Err(e) => Output::err(format!(
            "error: error executing jsonpath {}: Error executing template: {e}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{raw}\n\tobject given to jsonpath engine was:\n\t\t{}\n\n",
            super::jsonpath::go_quote(raw),
            go_sharp_v(data)
        )),
    }
}

/// The custom-columns printer: one header line, then a row per object, values of one cell joined by commas and
/// `<none>` for nothing, through the same tabwriter as tables.
pub fn columns(columns: &[(String, Template)], items: &[&Value], no_headers: bool) -> Output {
    let mut text = String::new();
    if !no_headers {
        text.push_str(&columns.iter().map(|(h, _)| h.as_str()).collect::<Vec<_>>().join("\t"));
        text.push('\n');
    }
    for item in items {
        let mut cells = Vec::new();
        for (_, t) in columns {
            match t.values(item) {
                Ok(v) if v.is_empty() => cells.push("<none>".to_string()),
                Ok(v) => cells.push(v.iter().map(super::jsonpath::go_v).collect::<Vec<_>>().join(",")),
                Err(e) => return Output::err(format!("error: {e}")),
            }
        }
        text.push_str(&cells.join("\t"));
        text.push('\n');
    }
    Output::ok(tabwriter::format(&text, 6, 3))
}
