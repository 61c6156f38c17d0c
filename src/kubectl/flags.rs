//! Flag parsing as kubectl's (cobra + pflag) does it: flags may come anywhere among the arguments, `--name=value`,
//! `--name value`, `-n value`, `-nvalue` and `-n=value`, combined boolean shorthands (`-it`), `--` ends the flags.
//! Errors use pflag's words (`unknown flag: --foo`, `flag needs an argument: 'n' in -n`).

use std::collections::BTreeMap;

/// One flag a command accepts.
#[derive(Clone, Copy)]
pub struct Spec {
    pub long: &'static str,
    pub short: Option<char>,
    /// Whether the flag takes a value (`--replicas 3`) or is a boolean (`--all`).
    pub value: bool,
    /// An integer flag of this many bits (pflag's `Int32Var` / `Int64Var`): its value must parse as Go's
    /// `strconv.ParseInt(s, 0, bits)`. 0: not an integer.
    pub int_bits: u32,
    /// cobra's `MarkFlagRequired`: the command refuses to run without it.
    pub required: bool,
    /// A `time.Duration` flag (`--timeout 30s`): its value must parse as Go's `time.ParseDuration`.
    pub duration: bool,
    /// pflag's `NoOptDefVal`: the value the flag has when given without `=VALUE` (`--dry-run` is `unchanged`); such
    /// a flag never takes the next word as its value.
    pub no_opt: Option<&'static str>,
    /// pflag's `MarkDeprecated`: using the flag prints `Flag --NAME has been deprecated, MESSAGE` while parsing.
    pub deprecated: Option<&'static str>,
}

pub const fn val(long: &'static str, short: Option<char>) -> Spec {
    Spec { long, short, value: true, int_bits: 0, required: false, duration: false, no_opt: None, deprecated: None }
}

pub const fn flag(long: &'static str, short: Option<char>) -> Spec {
    Spec { long, short, value: false, int_bits: 0, required: false, duration: false, no_opt: None, deprecated: None }
}

/// An integer flag (`--replicas`, `--revision`): `bits` is 32 for pflag's `Int32`, 64 for `Int` and `Int64`.
pub const fn int(long: &'static str, short: Option<char>, bits: u32) -> Spec {
    Spec { long, short, value: true, int_bits: bits, required: false, duration: false, no_opt: None, deprecated: None }
}

/// A duration flag (`--timeout`, `--since`).
pub const fn duration(long: &'static str, short: Option<char>) -> Spec {
    Spec { long, short, value: true, int_bits: 0, required: false, duration: true, no_opt: None, deprecated: None }
}

/// A flag with a value that may also be given bare (`--dry-run` means `--dry-run=unchanged`).
pub const fn opt_val(long: &'static str, bare: &'static str) -> Spec {
    Spec {
        long,
        short: None,
        value: true,
        int_bits: 0,
        required: false,
        duration: false,
        no_opt: Some(bare),
        deprecated: None,
    }
}

impl Spec {
    /// The same flag, deprecated with this message (pflag's `MarkDeprecated`).
    pub const fn deprecated(self, message: &'static str) -> Spec {
        Spec { deprecated: Some(message), ..self }
    }

    /// The same flag, required (cobra's `MarkFlagRequired`).
    pub const fn required(self) -> Spec {
        Spec { required: true, ..self }
    }

    /// A boolean flag's explicit value (`--watch=false`, `-w=0`), as Go's `strconv.ParseBool` reads it.
    fn parse_bool(&self, value: &str) -> Result<bool, String> {
        parse_go_bool(value).ok_or_else(|| {
            format!(
                "invalid argument {value:?} for {:?} flag: strconv.ParseBool: parsing {value:?}: invalid syntax",
                self.shown()
            )
        })
    }

    /// As pflag names the flag in an invalid-value error: `-r, --replicas`, or `--revision`.
    fn shown(&self) -> String {
        match self.short {
            Some(c) => format!("-{c}, --{}", self.long),
            None => format!("--{}", self.long),
        }
    }

    /// pflag's `Set` of the flag's type: integers and booleans are parsed, with strconv's error words.
    fn check(&self, value: &str) -> Result<(), String> {
        if self.int_bits > 0 {
            if let Err(why) = crate::manifest::yaml::parse_int(value, self.int_bits) {
                return Err(format!(
                    "invalid argument {value:?} for {:?} flag: strconv.ParseInt: parsing {value:?}: {why}",
                    self.shown()
                ));
            }
        }
        // Go accepts a sign; the simulator's parser reads the magnitude.
        let magnitude = value.strip_prefix(['-', '+']).unwrap_or(value);
        if self.duration && crate::cluster::settings::parse_duration(magnitude).is_none() {
            return Err(format!(
                "invalid argument {value:?} for {:?} flag: time: invalid duration {value:?}",
                self.shown()
            ));
        }
        Ok(())
    }
}

/// Go's `strconv.ParseBool`.
pub fn parse_go_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// cobra's required-flag check, after parsing: `required flag(s) "image" not set`.
pub fn missing_required(p: &Parsed, specs: &[Spec]) -> Option<String> {
    let missing: Vec<String> =
        specs.iter().filter(|s| s.required && !p.has(s.long)).map(|s| format!("{:?}", s.long)).collect();
    (!missing.is_empty()).then(|| format!("required flag(s) {} not set", missing.join(", ")))
}

/// A subcommand with its own flags.
pub struct Sub {
    /// Its name and aliases (`deployment`, `deploy`).
    pub names: &'static [&'static str],
    /// As usage errors name it (`create deployment`).
    pub shown: &'static str,
    pub flags: &'static [Spec],
    /// Its own subcommands (`create service nodeport`), chosen by the next argument.
    pub subs: &'static [Sub],
}

impl Sub {
    /// The subcommand `name` names.
    pub fn find(subs: &'static [Sub], name: &str) -> Option<&'static Sub> {
        subs.iter().find(|s| s.names.contains(&name))
    }
}

/// Flags every command accepts.
pub const GLOBAL: &[Spec] = &[val("namespace", Some('n')), flag("help", Some('h'))];

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// Each flag's values in order (booleans as `"true"` / `"false"`).
    pub values: BTreeMap<&'static str, Vec<String>>,
    pub args: Vec<String>,
    /// Whether `--` was given (everything after it is in `args`, from `dash_at`).
    pub dash_at: Option<usize>,
    /// Every flag as typed, in order: its long name and value (`--record` stores them so).
    pub order: Vec<(&'static str, String)>,
    /// The kubeconfig context's namespace: the namespace when `-n` is not given (empty: `default`).
    pub context_namespace: String,
}

impl Parsed {
    fn push(&mut self, long: &'static str, value: String) {
        self.order.push((long, value.clone()));
        self.values.entry(long).or_default().push(value);
    }

    /// An integer flag's value, as its [`int`] spec has already checked it (`None` when not given).
    pub fn int(&self, long: &str) -> Option<i64> {
        self.get(long).and_then(|v| crate::manifest::yaml::parse_int(v, 64).ok())
    }

    pub fn get(&self, long: &str) -> Option<&str> {
        self.values.get(long).and_then(|v| v.last()).map(String::as_str)
    }

    pub fn all(&self, long: &str) -> &[String] {
        self.values.get(long).map_or(&[], Vec::as_slice)
    }

    pub fn bool(&self, long: &str) -> bool {
        self.get(long).is_some_and(|v| v == "true")
    }

    pub fn has(&self, long: &str) -> bool {
        self.values.contains_key(long)
    }
}

/// The command's flag (or a global one) named `--name`.
fn find_long(specs: &[Spec], name: &str) -> Option<Spec> {
    specs.iter().chain(GLOBAL).find(|s| s.long == name).copied()
}

/// The command's flag (or a global one) with shorthand `-c`.
fn find_short(specs: &[Spec], c: char) -> Option<Spec> {
    specs.iter().chain(GLOBAL).find(|s| s.short == Some(c)).copied()
}

/// The first word that is neither a flag nor a flag's value, as cobra's `stripFlags` finds a subcommand before
/// parsing: a flag of `specs` that takes a value takes the next word unless it has `=` (or, shorthand, a glued value).
pub fn first_arg<'a>(words: &'a [String], specs: &[Spec]) -> Option<&'a str> {
    nth_arg(words, specs, 0)
}

/// The `n`th word (from 0) that is neither a flag nor a flag's value.
pub fn nth_arg<'a>(words: &'a [String], specs: &[Spec], n: usize) -> Option<&'a str> {
    let takes_next = |w: &str| match w.strip_prefix("--") {
        Some(long) => !long.contains('=') && find_long(specs, long).is_some_and(|s| s.value && s.no_opt.is_none()),
        None => {
            let shorts: Vec<char> = w[1..].chars().collect();
            shorts.len() == 1 && find_short(specs, shorts[0]).is_some_and(|s| s.value)
        }
    };
    let (mut i, mut seen) = (0, 0);
    while let Some(w) = words.get(i).map(String::as_str) {
        if w == "--" {
            return None;
        }
        if w.len() > 1 && w.starts_with('-') {
            i += if takes_next(w) { 2 } else { 1 };
            continue;
        }
        if seen == n {
            return Some(w);
        }
        seen += 1;
        i += 1;
    }
    None
}

pub fn parse(words: &[String], specs: &[Spec]) -> Result<Parsed, String> {
    let mut out = Parsed::default();
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        i += 1;
        if w == "--" {
            out.dash_at = Some(out.args.len());
            out.args.extend(words[i..].iter().cloned());
            break;
        }
        if let Some(rest) = w.strip_prefix("--") {
            let (name, inline) = match rest.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (rest, None),
            };
            let Some(spec) = find_long(specs, name) else { return Err(format!("unknown flag: --{name}")) };
            let value = if spec.value {
                match inline {
                    Some(v) => v,
                    None if spec.no_opt.is_some() => spec.no_opt.unwrap_or_default().to_string(),
                    None if i < words.len() => {
                        i += 1;
                        words[i - 1].clone()
                    }
                    None => return Err(format!("flag needs an argument: --{name}")),
                }
            } else {
                match inline.as_deref() {
                    None => "true".into(),
                    Some(v) => spec.parse_bool(v)?.to_string(),
                }
            };
            spec.check(&value)?;
            out.push(spec.long, value);
        } else if w.len() > 1 && w.starts_with('-') && !w[1..].starts_with(|c: char| c.is_ascii_digit()) {
            let shorts: Vec<char> = w[1..].chars().collect();
            let mut j = 0;
            while j < shorts.len() {
                let c = shorts[j];
                let Some(spec) = find_short(specs, c) else {
                    return Err(format!("unknown shorthand flag: '{c}' in {w}"));
                };
                if spec.value {
                    let rest: String = shorts[j + 1..].iter().collect();
                    let value = if !rest.is_empty() {
                        rest.strip_prefix('=').unwrap_or(&rest).to_string()
                    } else if i < words.len() {
                        i += 1;
                        words[i - 1].clone()
                    } else {
                        return Err(format!("flag needs an argument: '{c}' in -{c}"));
                    };
                    spec.check(&value)?;
                    out.push(spec.long, value);
                    break;
                }
                // `-w=false`: a boolean shorthand may take its value after `=`.
                if shorts.get(j + 1) == Some(&'=') {
                    let value: String = shorts[j + 2..].iter().collect();
                    out.push(spec.long, spec.parse_bool(&value)?.to_string());
                    break;
                }
                out.push(spec.long, "true".into());
                j += 1;
            }
        } else {
            out.args.push(w.clone());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    const SPECS: &[Spec] =
        &[val("output", Some('o')), flag("all-namespaces", Some('A')), val("replicas", None), flag("watch", Some('w'))];

    #[test]
    fn flags_may_come_anywhere_in_every_form() {
        let p = parse(&w("pods -o wide -nkube-system web --replicas=3 -Aw"), SPECS).unwrap();
        assert_eq!(p.args, ["pods", "web"]);
        assert_eq!(p.get("output"), Some("wide"));
        assert_eq!(p.get("namespace"), Some("kube-system"));
        assert_eq!(p.get("replicas"), Some("3"));
        assert!(p.bool("all-namespaces") && p.bool("watch"));
        let p = parse(&w("exec p -- ls -l"), SPECS).unwrap();
        assert_eq!(p.args, ["exec", "p", "ls", "-l"]);
        assert_eq!(p.dash_at, Some(2));
        assert_eq!(parse(&w("-o=json"), SPECS).unwrap().get("output"), Some("json"));
    }

    #[test]
    fn errors_use_pflags_words() {
        assert_eq!(parse(&w("--foo"), SPECS).unwrap_err(), "unknown flag: --foo");
        assert_eq!(parse(&w("-x"), SPECS).unwrap_err(), "unknown shorthand flag: 'x' in -x");
        assert_eq!(parse(&w("-n"), SPECS).unwrap_err(), "flag needs an argument: 'n' in -n");
        assert_eq!(parse(&w("--replicas"), SPECS).unwrap_err(), "flag needs an argument: --replicas");
    }
}
