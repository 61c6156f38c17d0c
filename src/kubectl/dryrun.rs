//! `--dry-run=client|server` and the `-o` of commands that write (cli-runtime's `PrintFlags` without the table
//! printers): what kubectl prints for an object it created, configured, patched or deleted, or would have.
//!
//! A client dry run sends nothing: kubectl prints the object it built or read (no defaults, no server fields). A
//! server dry run sends the request with `dryRun=All`: the API server defaults, validates and admits the object and
//! answers as if it had stored it, and stores nothing; kubeplay runs the write on a copy of the simulation.

use super::flags::{opt_val, Parsed, Spec};
use super::jsonpath::Template;
use super::{output, Context, Output};
use serde_json::Value;

/// `--dry-run`: given bare it is `unchanged`, which means client (with a deprecation warning).
pub const FLAG: Spec = opt_val("dry-run", "unchanged");

/// What `--dry-run` asks for (`GetDryRunStrategy` in `pkg/cmd/util/helpers.go`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DryRun {
    None,
    Client,
    Server,
}

impl DryRun {
    /// Reads `--dry-run`; a deprecated spelling adds klog's warning to `warnings`.
    pub fn parse(f: &Parsed, now: crate::cluster::clock::Millis, warnings: &mut String) -> Result<DryRun, Output> {
        let deprecated = |line: u32, msg: &str, warnings: &mut String| {
            warnings.push_str(&klog_warning(now, "helpers.go", line, msg));
        };
        Ok(match f.get("dry-run") {
            None | Some("none") => DryRun::None,
            Some("client") => DryRun::Client,
            Some("server") => DryRun::Server,
            Some("unchanged") => {
                deprecated(719, "--dry-run is deprecated and can be replaced with --dry-run=client.", warnings);
                DryRun::Client
            }
            Some(v) => match super::flags::parse_go_bool(v) {
                Some(true) => {
                    deprecated(
                        733,
                        "--dry-run=true is deprecated (boolean value) and can be replaced with --dry-run=client.",
                        warnings,
                    );
                    DryRun::Client
                }
                Some(false) => {
                    deprecated(
                        736,
                        "--dry-run=false is deprecated (boolean value) and can be replaced with --dry-run=none.",
                        warnings,
                    );
                    DryRun::None
                }
                None => {
                    return Err(Output::err(format!(
                        "error: Invalid dry-run value ({v}). Must be \"none\", \"server\", or \"client\"."
                    )))
                }
            },
        })
    }

    /// What kubectl adds to the operation's word (`created (dry run)`).
    pub fn suffix(self) -> &'static str {
        match self {
            DryRun::None => "",
            DryRun::Client => " (dry run)",
            DryRun::Server => " (server dry run)",
        }
    }
}

/// A klog warning line (`W0101 00:00:05.000000       1 helpers.go:719] …`), stamped with the virtual clock.
pub fn klog_warning(now: crate::cluster::clock::Millis, file: &str, line: u32, msg: &str) -> String {
    // `2026-01-01T00:00:05Z` → `0101 00:00:05.250000`.
    let t = crate::api::time::time_at(now).0.to_string();
    let (date, time) = t.trim_end_matches('Z').split_once('T').unwrap_or(("", ""));
    let md: String = date.splitn(3, '-').skip(1).collect();
    format!("W{md} {time}.{:06}       1 {file}:{line}] {msg}\n", (now % 1000) * 1000)
}

/// The printer `-o` chose for a command that writes.
pub enum Printer {
    /// No `-o`: `deployment.apps/web created`.
    Done,
    Name,
    Yaml,
    Json,
    JsonPath {
        raw: String,
        template: Template,
        as_json: bool,
        allow_missing: bool,
    },
}

/// `--dry-run` and `-o`, as a writing command's `Complete` reads them: the strategy, the printer, and the warnings
/// reading them produced (a deprecated `--dry-run` spelling).
pub fn strategy(
    now: crate::cluster::clock::Millis,
    f: &Parsed,
    ctx: &Context<'_>,
) -> Result<(DryRun, Printer, String), Output> {
    let mut warnings = String::new();
    let dry = DryRun::parse(f, now, &mut warnings)?;
    Ok((dry, Printer::parse(f, ctx)?, warnings))
}

/// What kubectl 1.35 lists after "allowed formats are:" for commands that write.
const ALLOWED: &str =
    "go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,yaml";

/// `-o` and `--template` for commands that write.
pub const OUTPUT_FLAGS: [Spec; 3] = [
    super::flags::val("output", Some('o')),
    super::flags::val("template", None),
    super::flags::flag("allow-missing-template-keys", None),
];

impl Printer {
    pub fn parse(f: &Parsed, ctx: &Context<'_>) -> Result<Printer, Output> {
        let o = f.get("output").unwrap_or("");
        let allow_missing = f.get("allow-missing-template-keys") != Some("false");
        match o {
            "" => Ok(Printer::Done),
            "wide" => Err(Output::err(format!(
                "error: unable to match a printer suitable for the output format \"wide\", allowed formats are: {ALLOWED}"
            ))),
            o if o.starts_with("custom-columns") => Err(Output::err(format!(
                "error: unable to match a printer suitable for the output format {o:?}, allowed formats are: {ALLOWED}"
            ))),
            "kyaml" => {
                Err(Output::err("error: kubeplay does not print kyaml (-o kyaml); -o yaml prints the same object"))
            }
            _ => match output::Format::parse(o, f.get("template"), allow_missing, ctx)? {
                output::Format::Name => Ok(Printer::Name),
                output::Format::Yaml => Ok(Printer::Yaml),
                output::Format::Json => Ok(Printer::Json),
                output::Format::JsonPath { raw, template, as_json, allow_missing } => {
                    Ok(Printer::JsonPath { raw, template, as_json, allow_missing })
                }
                _ => Err(Output::err(format!(
                    "error: unable to match a printer suitable for the output format {o:?}, allowed formats are: {ALLOWED}"
                ))),
            },
        }
    }

    /// Whether the printer shows the object (not just the operation's line).
    pub fn shows_object(&self) -> bool {
        !matches!(self, Printer::Done | Printer::Name)
    }

    /// Prints one object after an operation: `what` is `deployment.apps/web`, `done` the operation's word
    /// (`created`). `typed` says kubectl built the object as its Go type (its JSON fields in declaration order); an
    /// object read from the server or a file prints sorted. `count` is how many objects the command printed before
    /// (YAML separates them with `---`).
    pub fn print(&self, obj: &Value, what: &str, done: &str, dry: DryRun, typed: bool, count: usize) -> Output {
        match self {
            Printer::Done => Output::ok(format!("{what} {done}{}\n", dry.suffix())),
            Printer::Name => Output::ok(format!("{what}\n")),
            Printer::Yaml => {
                let sep = if count > 0 { "---\n" } else { "" };
                Output::ok(format!("{sep}{}", crate::manifest::print::to_yaml(obj)))
            }
            Printer::Json if typed => Output::ok(crate::manifest::goorder::to_json(obj)),
            Printer::Json => Output::ok(crate::manifest::print::to_json(obj)),
            Printer::JsonPath { raw, template, as_json, allow_missing } => {
                output::jsonpath(raw, template, obj, *as_json, *allow_missing)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn klog_lines_carry_the_virtual_clock() {
        assert_eq!(klog_warning(5_250, "helpers.go", 719, "x"), "W0101 00:00:05.250000       1 helpers.go:719] x\n");
    }
}
