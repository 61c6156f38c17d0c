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
}

pub const fn val(long: &'static str, short: Option<char>) -> Spec {
    Spec { long, short, value: true }
}

pub const fn flag(long: &'static str, short: Option<char>) -> Spec {
    Spec { long, short, value: false }
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
}

impl Parsed {
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

pub fn parse(words: &[String], specs: &[Spec]) -> Result<Parsed, String> {
    let find_long = |name: &str| specs.iter().chain(GLOBAL).find(|s| s.long == name).copied();
    let find_short = |c: char| specs.iter().chain(GLOBAL).find(|s| s.short == Some(c)).copied();
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
            let Some(spec) = find_long(name) else { return Err(format!("unknown flag: --{name}")) };
            let value = if spec.value {
                match inline {
                    Some(v) => v,
                    None if i < words.len() => {
                        i += 1;
                        words[i - 1].clone()
                    }
                    None => return Err(format!("flag needs an argument: --{name}")),
                }
            } else {
                match inline.as_deref() {
                    None | Some("true") => "true".into(),
                    Some("false") => "false".into(),
                    Some(other) => {
                        return Err(format!(
                            "invalid argument {other:?} for \"--{name}\" flag: strconv.ParseBool: parsing {other:?}: invalid syntax"
                        ))
                    }
                }
            };
            out.values.entry(spec.long).or_default().push(value);
        } else if w.len() > 1 && w.starts_with('-') && !w[1..].starts_with(|c: char| c.is_ascii_digit()) {
            let shorts: Vec<char> = w[1..].chars().collect();
            let mut j = 0;
            while j < shorts.len() {
                let c = shorts[j];
                let Some(spec) = find_short(c) else { return Err(format!("unknown shorthand flag: '{c}' in {w}")) };
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
                    out.values.entry(spec.long).or_default().push(value);
                    break;
                }
                out.values.entry(spec.long).or_default().push("true".into());
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
