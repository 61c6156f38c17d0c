//! The native `kubeplay` command-line program. It will run kubectl scripts against the same simulator as the
//! browser; for now it prints its usage and version.

pub const USAGE: &str = "\
kubeplay — a Kubernetes playground: a deterministic simulated control plane with kubectl.

Usage:
  kubeplay --help       print this help
  kubeplay --version    print the version

The playground itself runs in the browser: `cargo xtask serve`, then open http://127.0.0.1:8080/.
";

/// What a run of the program produced: its exit status and its two output streams.
#[derive(Debug, PartialEq, Eq)]
pub struct Outcome {
    pub code: u8,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the program on its arguments (without the program name). Never panics, whatever the arguments.
pub fn run<I, S>(args: I) -> Outcome
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let args: Vec<String> = args.into_iter().map(|a| a.as_ref().to_string()).collect();
    match args.first().map(String::as_str) {
        Some("-h" | "--help" | "help") => Outcome { code: 0, stdout: USAGE.to_string(), stderr: String::new() },
        Some("-V" | "--version") => {
            Outcome { code: 0, stdout: format!("kubeplay {}\n", env!("CARGO_PKG_VERSION")), stderr: String::new() }
        }
        None => Outcome { code: 2, stdout: String::new(), stderr: USAGE.to_string() },
        Some(other) => Outcome {
            code: 2,
            stdout: String::new(),
            stderr: format!("kubeplay: unknown command or option {other:?}\n\n{USAGE}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_prints_usage_and_succeeds() {
        let out = run(["--help"]);
        assert_eq!(out.code, 0);
        assert!(out.stdout.starts_with("kubeplay — a Kubernetes playground"));
        assert!(out.stderr.is_empty());
    }

    #[test]
    fn version_names_the_crate_version() {
        assert_eq!(run(["--version"]).stdout, format!("kubeplay {}\n", env!("CARGO_PKG_VERSION")));
    }

    #[test]
    fn no_arguments_and_unknown_arguments_are_usage_errors() {
        assert_eq!(run(Vec::<String>::new()).code, 2);
        let out = run(["frobnicate"]);
        assert_eq!(out.code, 2);
        assert!(out.stderr.contains("unknown command or option \"frobnicate\""), "{}", out.stderr);
        assert!(out.stdout.is_empty());
    }
}
