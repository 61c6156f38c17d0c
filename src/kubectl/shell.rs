//! The workstation shell around kubectl, as bash behaves for the forms kubectl users write: pipelines (`|`),
//! output redirection (`> FILE`, `>> FILE`, `2> FILE`, `2>&1`, `&> FILE`, `> /dev/null`) and `cat FILE`.
//!
//! The workstation's files are the editor's tabs (in the page) or the script's folder (the CLI, which keeps what a
//! script writes in memory): a redirection does not write anything itself, it puts the file's new text in
//! [`Output::files`], and whoever owns the files keeps it (`scenario::Run` makes it a tab).

use super::Output;

/// Where one of the command's two output streams goes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Sink {
    /// The terminal's standard output.
    Out,
    /// The terminal's standard error.
    Err,
    /// The `n`th file opened by the line's redirections.
    File(usize),
    /// `/dev/null`.
    Null,
}

/// A line's redirections, applied left to right as bash applies them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirects {
    stdout: Sink,
    stderr: Sink,
    /// The files opened, in order: name and whether it was opened to append.
    files: Vec<(String, bool)>,
}

impl Default for Redirects {
    fn default() -> Redirects {
        Redirects { stdout: Sink::Out, stderr: Sink::Err, files: Vec::new() }
    }
}

impl Redirects {
    pub fn is_empty(&self) -> bool {
        *self == Redirects::default()
    }

    /// Whether standard error joins standard output (`2>&1` before a pipe).
    pub fn stderr_to_stdout(&self) -> bool {
        self.stderr == self.stdout
    }

    fn open(&mut self, target: &str, append: bool) -> Result<Sink, Output> {
        match target {
            "/dev/null" => Ok(Sink::Null),
            "/dev/stdout" => Ok(Sink::Out),
            "/dev/stderr" => Ok(Sink::Err),
            _ => {
                let name = target.strip_prefix("./").unwrap_or(target);
                if name.is_empty() || name.contains('/') {
                    return Err(Output {
                        stderr: format!(
                            "bash: {target}: No such file or directory\n{}kubeplay's workstation has no folders: write \
                             to a plain name, such as `> web.yaml`\n",
                            super::HINT_PREFIX
                        ),
                        code: 1,
                        ..Output::default()
                    });
                }
                let at = match self.files.iter().position(|(n, _)| n == name) {
                    Some(at) => at,
                    None => {
                        self.files.push((name.to_string(), append));
                        self.files.len() - 1
                    }
                };
                Ok(Sink::File(at))
            }
        }
    }

    /// Sends a command's output where the redirections say: what stays on the terminal stays in `out` (in the
    /// order a terminal shows it: warnings, output, errors), and each file's new text goes to `out.files`, after
    /// what `existing` says the file held (for `>>`).
    pub fn route(&self, mut out: Output, existing: impl Fn(&str) -> Option<String>) -> Output {
        if self.is_empty() {
            return out;
        }
        let mut texts: Vec<String> = self
            .files
            .iter()
            .map(|(name, append)| if *append { existing(name).unwrap_or_default() } else { String::new() })
            .collect();
        let (mut stdout, mut stderr, mut warnings) = (String::new(), String::new(), String::new());
        let chunks = [
            (&self.stderr, std::mem::take(&mut out.warnings), true),
            (&self.stdout, std::mem::take(&mut out.stdout), false),
            (&self.stderr, std::mem::take(&mut out.stderr), false),
        ];
        for (sink, text, warning) in chunks {
            match sink {
                Sink::Out => stdout.push_str(&text),
                Sink::Err if warning => warnings.push_str(&text),
                Sink::Err => stderr.push_str(&text),
                Sink::File(i) => texts[*i].push_str(&text),
                Sink::Null => {}
            }
        }
        out.stdout = stdout;
        out.stderr = stderr;
        out.warnings = warnings;
        // What a command prints later in virtual time (`wait`, `delete` waiting in the page) goes the same way; a
        // file gets it now (the page shows files as they are at the end of the line).
        if let Some(p) = out.pending.as_mut() {
            let (mut p_out, mut p_err) = (String::new(), String::new());
            for (sink, text) in
                [(&self.stdout, std::mem::take(&mut p.stdout)), (&self.stderr, std::mem::take(&mut p.stderr))]
            {
                match sink {
                    Sink::Out => p_out.push_str(&text),
                    Sink::Err => p_err.push_str(&text),
                    Sink::File(i) => texts[*i].push_str(&text),
                    Sink::Null => {}
                }
            }
            p.stdout = p_out;
            p.stderr = p_err;
        }
        let mut files = std::mem::take(&mut out.files).into_vec();
        for ((name, _), text) in self.files.iter().zip(texts) {
            match files.iter_mut().find(|(n, _)| *n == *name) {
                Some(f) => f.1 = text,
                None => files.push((name.clone(), text)),
            }
        }
        out.files = files.into_boxed_slice();
        out
    }
}

/// Splits a pipeline stage into the command (the redirections taken out of it) and its redirections. A syntax error
/// is bash's: `bash: syntax error near unexpected token `newline'`.
pub fn redirects(stage: &str) -> Result<(String, Redirects), Output> {
    let chars: Vec<char> = stage.chars().collect();
    let mut command = String::new();
    let mut r = Redirects::default();
    let mut i = 0;
    // Where the current word began in `command` (None between words).
    let mut word_start: Option<usize> = None;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\'' | '"' => {
                word_start.get_or_insert(command.len());
                command.push(c);
                i += 1;
                while i < chars.len() && chars[i] != c {
                    if c == '"' && chars[i] == '\\' && i + 1 < chars.len() {
                        command.push(chars[i]);
                        i += 1;
                    }
                    command.push(chars[i]);
                    i += 1;
                }
                if i < chars.len() {
                    command.push(chars[i]);
                    i += 1;
                }
            }
            '\\' => {
                word_start.get_or_insert(command.len());
                command.push(c);
                if let Some(&n) = chars.get(i + 1) {
                    command.push(n);
                }
                i += 2;
            }
            ' ' | '\t' => {
                word_start = None;
                command.push(c);
                i += 1;
            }
            '#' if word_start.is_none() => {
                command.extend(&chars[i..]);
                break;
            }
            '>' | '&' if c == '>' || chars.get(i + 1) == Some(&'>') => {
                // The file descriptor: digits that make up the word so far (`2>`), `&` for both (`&>`), else 1.
                let typed = &command[word_start.unwrap_or(command.len())..];
                let (fd, both) = if c == '&' {
                    i += 1;
                    (1, true)
                } else if !typed.is_empty() && typed.chars().all(|d| d.is_ascii_digit()) {
                    let fd = typed.parse::<u32>().unwrap_or(u32::MAX);
                    command.truncate(word_start.unwrap_or(command.len()));
                    (fd, false)
                } else {
                    (1, false)
                };
                if word_start.is_some_and(|s| s < command.len()) {
                    // `a>b`: the word before ends here.
                    command.push(' ');
                }
                word_start = None;
                i += 1; // the `>`
                let append = chars.get(i) == Some(&'>');
                if append {
                    i += 1;
                }
                let dup = !append && chars.get(i) == Some(&'&');
                if dup {
                    i += 1;
                }
                while matches!(chars.get(i), Some(' ' | '\t')) {
                    i += 1;
                }
                let start = i;
                let mut quote = None;
                while i < chars.len() {
                    match (quote, chars[i]) {
                        (None, ' ' | '\t' | '|' | ';' | '<' | '>' | '&') => break,
                        (None, q @ ('\'' | '"')) => quote = Some(q),
                        (Some(q), ch) if q == ch => quote = None,
                        (None, '\\') => i += 1,
                        _ => {}
                    }
                    i += 1;
                }
                let raw: String = chars[start..i.min(chars.len())].iter().collect();
                let target = match super::words::split(&raw) {
                    Ok(w) if w.len() == 1 => w.into_iter().next().unwrap_or_default(),
                    Ok(_) => {
                        let token = chars.get(i).map_or("newline".to_string(), |c| c.to_string());
                        return Err(Output {
                            stderr: format!("bash: syntax error near unexpected token `{token}'\n"),
                            code: 2,
                            ..Output::default()
                        });
                    }
                    Err(e) => return Err(Output { stderr: format!("bash: {e}\n"), code: 2, ..Output::default() }),
                };
                let sink = if dup {
                    match target.as_str() {
                        "1" => r.stdout.clone(),
                        "2" => r.stderr.clone(),
                        // `>&FILE` (bash's older spelling of `&>`).
                        _ if fd == 1 && !target.chars().all(|d| d.is_ascii_digit()) => {
                            let sink = r.open(&target, false)?;
                            r.stderr = sink.clone();
                            sink
                        }
                        _ => {
                            return Err(Output {
                                stderr: format!("bash: {target}: Bad file descriptor\n"),
                                code: 1,
                                ..Output::default()
                            })
                        }
                    }
                } else {
                    r.open(&target, append)?
                };
                match fd {
                    1 => {
                        r.stdout = sink.clone();
                        if both {
                            r.stderr = sink;
                        }
                    }
                    2 => r.stderr = sink,
                    // Other descriptors: kubectl writes nothing to them.
                    _ => {}
                }
            }
            c => {
                word_start.get_or_insert(command.len());
                command.push(c);
                i += 1;
            }
        }
    }
    Ok((command, r))
}

/// `cat [FILE]...`: the files' texts, one after another; `-` (or nothing) is standard input.
pub fn cat(args: &[String], files: &dyn super::Files, stdin: Option<&str>) -> Output {
    let mut out = Output::default();
    let names: Vec<&str> = if args.is_empty() { vec!["-"] } else { args.iter().map(String::as_str).collect() };
    for name in names {
        if name == "-" {
            out.stdout.push_str(stdin.unwrap_or_default());
            continue;
        }
        if let Some(flag) = name.strip_prefix('-') {
            out.stderr.push_str(&format!(
                "cat: invalid option -- '{}'\nTry 'cat --help' for more information.\n",
                flag.chars().next().unwrap_or('-')
            ));
            out.code = 1;
            return out;
        }
        match files.read(name) {
            Ok(text) => out.stdout.push_str(&text),
            Err(_) => {
                out.stderr.push_str(&format!("cat: {name}: No such file or directory\n"));
                out.code = 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> (String, Redirects) {
        redirects(line).unwrap_or_else(|o| panic!("{line}: {}", o.stderr))
    }

    fn out() -> Output {
        Output { stdout: "out\n".into(), stderr: "err\n".into(), warnings: "warn\n".into(), ..Output::default() }
    }

    #[test]
    fn redirections_are_taken_out_of_the_command_and_applied_left_to_right() {
        let (cmd, r) = parse("kubectl get deploy web -o yaml > web.yaml");
        assert_eq!(cmd.trim(), "kubectl get deploy web -o yaml");
        let o = r.route(out(), |_| None);
        assert_eq!((o.stdout.as_str(), o.warnings.as_str(), o.stderr.as_str()), ("", "warn\n", "err\n"));
        assert_eq!(*o.files, [("web.yaml".to_string(), "out\n".to_string())]);

        // `> f 2>&1`: both into the file, in the order a terminal would show them.
        let (_, r) = parse("kubectl x >f 2>&1");
        let o = r.route(out(), |_| None);
        assert_eq!(*o.files, [("f".to_string(), "warn\nout\nerr\n".to_string())]);
        assert_eq!(o.combined(), "");
        // `2>&1 > f`: errors to the terminal (where standard output was), output to the file.
        let (_, r) = parse("kubectl x 2>&1 >f");
        let o = r.route(out(), |_| None);
        assert_eq!(o.stdout, "warn\nerr\n");
        assert_eq!(o.files[0].1, "out\n");
        // `>>` appends to what the file held; `&>` takes both; `2>/dev/null` drops errors.
        let (_, r) = parse("kubectl x >> ./f");
        assert_eq!(r.route(out(), |_| Some("old\n".into())).files[0].1, "old\nout\n");
        let (_, r) = parse("kubectl x &> f");
        assert_eq!(r.route(out(), |_| None).files[0].1, "warn\nout\nerr\n");
        let (_, r) = parse("kubectl x 2>/dev/null");
        assert_eq!(r.route(out(), |_| None).combined(), "out\n");
        // Quoted `>` is an argument; `a>b` is a redirection; a `#` comment is left alone.
        let (cmd, r) = parse("kubectl annotate x 'a=>b' \"c>d\"");
        assert!(r.is_empty());
        assert_eq!(cmd, "kubectl annotate x 'a=>b' \"c>d\"");
        let (cmd, r) = parse("kubectl get po>'my file'");
        assert_eq!(cmd.trim(), "kubectl get po");
        assert_eq!(r.files, [("my file".to_string(), false)]);
        let (cmd, r) = parse("kubectl get po # > no");
        assert!(r.is_empty(), "{cmd}");
        // `2>&1` before a pipe.
        let (_, r) = parse("kubectl get po 2>&1 ");
        assert!(r.stderr_to_stdout());
    }

    #[test]
    fn what_a_command_prints_later_follows_its_redirections() {
        let pending = super::super::Pending { until: 5, stdout: "later\n".into(), stderr: "oops\n".into(), code: 0 };
        let o = Output { pending: Some(Box::new(pending)), ..out() };
        let (_, r) = parse("kubectl wait x > done.txt");
        let o = r.route(o, |_| None);
        assert_eq!(o.files[0].1, "out\nlater\n");
        let p = o.pending.expect("still pending");
        assert_eq!((p.stdout.as_str(), p.stderr.as_str()), ("", "oops\n"));
    }

    #[test]
    fn bad_redirections_say_what_bash_says() {
        assert_eq!(
            redirects("kubectl get po >").unwrap_err().stderr,
            "bash: syntax error near unexpected token `newline'\n"
        );
        assert_eq!(
            redirects("kubectl get po > | x").unwrap_err().stderr,
            "bash: syntax error near unexpected token `|'\n"
        );
        assert!(redirects("kubectl get po > /tmp/x.yaml")
            .unwrap_err()
            .stderr
            .starts_with("bash: /tmp/x.yaml: No such file or directory\n"));
        assert_eq!(redirects("kubectl get po 2>&7").unwrap_err().stderr, "bash: 7: Bad file descriptor\n");
        assert_eq!(redirects("x > 'open").unwrap_err().code, 2);
    }
}
