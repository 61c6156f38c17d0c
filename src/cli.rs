//! The native `kubeplay` command-line program: `kubeplay run SCRIPT` runs a kubectl script against the same simulator
//! as the browser and prints a transcript; `kubeplay repl` does it line by line.

use crate::cluster::clock::Millis;
use crate::cluster::settings::{parse_duration, MAX_WORKERS};
use crate::cluster::Settings;
use crate::kubectl::{self, Context, Files};
use crate::sim::Sim;
use std::path::{Path, PathBuf};

pub const USAGE: &str = "\
kubeplay — a Kubernetes playground: a deterministic simulated control plane with kubectl.

Usage:
  kubeplay run [OPTIONS] SCRIPT   run a kubectl script and print its transcript
                                  (SCRIPT `-` reads the script from standard input)
  kubeplay repl [OPTIONS]         the same, one line at a time, from standard input
  kubeplay cluster [OPTIONS]      serve the simulated cluster's Kubernetes API over HTTP on loopback, for real
                                  kubectl and other clients (see The cluster, below); Ctrl+C stops it
  kubeplay advance DURATION       move a running cluster's virtual clock (`--kubeconfig PATH`, else $KUBECONFIG,
                                  else the default kubeconfig of `kubeplay cluster`) and wait until it settled
  kubeplay lesson FILE            check a lesson file (lessons/README.md): play it as a learner would and
                                  report the first problem with its file, line and column
  kubeplay --help                 print this help
  kubeplay --version              print the version

Scripts:
  Blank lines and lines starting with # are skipped and not echoed. Every other line is echoed as `$ LINE`,
  followed by what it printed (standard output, then standard error). Output that does not end in a newline
  (`-o jsonpath=...`) gets one, so the next `$` starts a line.
  kubectl ...                 as in a shell; -f PATH is relative to the script's folder
  curl ...                    a request from the workstation (outside the cluster)
  ... | grep X                pipes into grep, head, tail, wc -l, sort and uniq
  kubectl run -it ... -- bash opens a shell in the pod: the next lines run there (echoed after its prompt,
                              `root@debug:/# `) until `exit`; kubectl exec -it POD -- bash does the same
  kubectl apply -f - <<EOF    a here-document: the lines up to `EOF` are the command's standard input
                              (they are not echoed)
  sleep NUMBER[SUFFIX]...     advance the virtual clock, as GNU sleep reads its arguments (30, 1.5, 10s, 2m,
                              25h, 1d; several are added up), at most 7 days at once
  After kubectl's own output, kubeplay may add hint lines of its own: they start with `kubeplay hint: ` or end
  with `(a kubeplay hint; kubectl has none)`.
  The virtual clock starts at 2026-01-01T00:00:00Z, so a transcript is the same on every run with the same seed.
  The run always finishes the script. Exit status: 0 when every command succeeded, 1 when any failed, 2 when the
  script cannot be read.

Options:
  --seed N                 the simulation's random seed (default 1)
  --no-hints               print only what kubectl prints (no kubeplay hint lines), to compare with real kubectl
  --workers N              worker nodes (default 3, at most 200)
  --proxy-delay DURATION   how late each node's kube-proxy applies endpoint changes (default 1s; each node adds up
                           to half of it again)
  --lb-delay DURATION|off  how long the simulated cloud takes to give a LoadBalancer its address (default 10s);
                           off: no cloud, EXTERNAL-IP stays <pending> as on kind or minikube

The cluster (`kubeplay cluster`):
  --port N                 the port to listen on (default 6443; 0 picks a free one)
  --address IP             the address to listen on (default 127.0.0.1; anything else is reachable from other
                           machines, and there is no authentication)
  --kubeconfig PATH        where to write the kubeconfig (default: kubeplay/kubeconfig in the temporary folder)
  --speed X                virtual time follows the wall clock X times over (default 1)
  --manual                 virtual time moves only with `kubeplay advance`, or when every open request is a watch
                           waiting for its next event (then to the next timer: `kubectl rollout status` returns as
                           soon as the rollout is done), so a scripted session is deterministic
  and --seed, --workers, --proxy-delay, --lb-delay as above.

The playground itself runs in the browser: `cargo xtask serve`, then open http://127.0.0.1:8080/.
";

/// The longest script kubeplay runs (bytes).
pub const MAX_SCRIPT_BYTES: usize = 1024 * 1024;

/// What a run of the program produced: its exit status and its two output streams.
#[derive(Debug, PartialEq, Eq)]
pub struct Outcome {
    pub code: u8,
    pub stdout: String,
    pub stderr: String,
}

fn usage_error(message: String) -> Outcome {
    Outcome { code: 2, stdout: String::new(), stderr: format!("kubeplay: {message}\n\n{USAGE}") }
}

/// Files relative to a folder on disk.
pub struct DiskFiles {
    pub base: PathBuf,
}

impl Files for DiskFiles {
    fn read(&self, name: &str) -> Result<String, String> {
        let path = self.base.join(name);
        match std::fs::metadata(&path) {
            Ok(m) if m.len() > MAX_SCRIPT_BYTES as u64 => {
                return Err(format!("{name:?} is larger than kubeplay reads ({MAX_SCRIPT_BYTES} bytes)"))
            }
            Ok(_) => {}
            Err(_) => return Err(format!("the path {name:?} does not exist")),
        }
        std::fs::read_to_string(&path).map_err(|_| format!("the path {name:?} does not exist"))
    }
}

/// A script's files: what its lines wrote (`> web.yaml`), over the files it was given. A script never writes to
/// the disk; what it writes lasts for the run, as the page's tabs do.
struct Written<'f> {
    base: &'f dyn Files,
    files: &'f std::collections::BTreeMap<String, String>,
}

impl Files for Written<'_> {
    fn read(&self, name: &str) -> Result<String, String> {
        let plain = name.strip_prefix("./").unwrap_or(name);
        match self.files.get(plain) {
            Some(text) => Ok(text.clone()),
            None => self.base.read(name),
        }
    }
}

struct Options {
    settings: Settings,
    /// `--no-hints`: only what kubectl itself prints.
    hints: bool,
    rest: Vec<String>,
}

fn options(args: &[String]) -> Result<Options, String> {
    let mut settings = Settings::default();
    let mut hints = true;
    let mut rest = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        let (name, inline) = match a.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
            _ => (a.clone(), None),
        };
        match name.as_str() {
            "--seed" | "--workers" | "--proxy-delay" | "--lb-delay" => {
                let v = match inline {
                    Some(v) => v,
                    None => {
                        i += 1;
                        args.get(i).cloned().ok_or_else(|| format!("{name} needs a value"))?
                    }
                };
                if name == "--seed" {
                    settings.seed = v.parse().map_err(|_| format!("--seed wants a number, not {v:?}"))?;
                } else if name == "--proxy-delay" {
                    settings.proxy_delay_ms = parse_duration(&v)
                        .filter(|ms| *ms <= 60_000)
                        .ok_or_else(|| format!("--proxy-delay wants a duration up to 1m (500ms, 2s), not {v:?}"))?;
                } else if name == "--lb-delay" {
                    settings.load_balancer_ms = match v.as_str() {
                        "off" => None,
                        d => Some(
                            parse_duration(d)
                                .ok_or_else(|| format!("--lb-delay wants a duration (10s, 1m) or off, not {v:?}"))?,
                        ),
                    };
                } else {
                    let w: u32 = v.parse().map_err(|_| format!("--workers wants a number, not {v:?}"))?;
                    if w == 0 || w > MAX_WORKERS {
                        return Err(format!("--workers must be between 1 and {MAX_WORKERS}"));
                    }
                    settings.workers = w;
                }
            }
            "--no-hints" if inline.is_none() => hints = false,
            _ => rest.push(a.clone()),
        }
        i += 1;
    }
    Ok(Options { settings, hints, rest })
}

/// Runs the program on its arguments (without the program name), with `stdin` as standard input. Never panics,
/// whatever the arguments or the script.
pub fn run_with<I, S>(args: I, stdin: &mut dyn std::io::Read) -> Outcome
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
        Some(cmd @ ("run" | "repl")) => {
            let opts = match options(&args[1..]) {
                Ok(o) => o,
                Err(e) => return usage_error(e),
            };
            let (text, base) = if cmd == "repl" {
                let mut reader = std::io::BufReader::new(stdin);
                let mut out = Vec::new();
                let code = repl(&args[1..], &mut reader, &mut out);
                return Outcome { code, stdout: String::from_utf8_lossy(&out).into_owned(), stderr: String::new() };
            } else {
                let [script] = opts.rest.as_slice() else {
                    return usage_error("run needs exactly one SCRIPT (or - for standard input)".into());
                };
                let read = if script == "-" {
                    read_all(stdin).map(|t| (t, PathBuf::from(".")))
                } else {
                    read_script(Path::new(script))
                };
                match read {
                    Ok(r) => r,
                    Err(e) => return Outcome { code: 2, stdout: String::new(), stderr: format!("kubeplay: {e}\n") },
                }
            };
            let (transcript, ok) = run_script_with(&text, opts.settings, &DiskFiles { base }, opts.hints);
            Outcome { code: if ok { 0 } else { 1 }, stdout: transcript, stderr: String::new() }
        }
        Some("lesson") => {
            let [file] = &args[1..] else {
                return usage_error("lesson needs exactly one lesson FILE".into());
            };
            let path = Path::new(file);
            let text = match read_script(path) {
                Ok((t, _)) => t,
                Err(e) => return Outcome { code: 2, stdout: String::new(), stderr: format!("kubeplay: {e}\n") },
            };
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let checked = crate::scenario::lesson::parse(&name, &text).map_err(|e| e.to_string()).and_then(|l| {
                l.verify()?;
                Ok(format!(
                    "lessons/{name}: {} steps, each check fails before its step and passes after it\n",
                    l.steps.len()
                ))
            });
            match checked {
                Ok(report) => Outcome { code: 0, stdout: report, stderr: String::new() },
                Err(e) => Outcome { code: 1, stdout: String::new(), stderr: format!("{e}\n") },
            }
        }
        #[cfg(not(target_arch = "wasm32"))]
        Some("advance") => advance(&args[1..]),
        None => Outcome { code: 2, stdout: String::new(), stderr: USAGE.to_string() },
        Some(other) => usage_error(format!("unknown command or option {other:?}")),
    }
}

/// `kubeplay cluster`: serves until the process is stopped (Ctrl+C). Writes what it says to `out`.
#[cfg(not(target_arch = "wasm32"))]
pub fn cluster(args: &[String], out: &mut dyn std::io::Write) -> u8 {
    match cluster_options(args) {
        Ok((options, kubeconfig)) => {
            let running = match crate::server::Cluster::start(&options) {
                Ok(c) => c,
                Err(e) => {
                    let _ = writeln!(out, "kubeplay: {e}");
                    return 1;
                }
            };
            let config = crate::server::kubeconfig(&running.url());
            if let Err(e) = kubeconfig
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|_| std::fs::write(&kubeconfig, config))
            {
                let _ = writeln!(out, "kubeplay: cannot write the kubeconfig {}: {e}", kubeconfig.display());
                running.stop();
                return 1;
            }
            if !options.address.is_loopback() {
                let _ = writeln!(out, "kubeplay: warning: listening on {}: other machines can reach this API, and it has no authentication", options.address);
            }
            let time = match options.time {
                crate::server::Time::Manual => "manual: `kubeplay advance 30s` moves it".to_string(),
                crate::server::Time::Speed(x) => format!("{x}× the wall clock"),
            };
            let _ = write!(
                out,
                "kubeplay cluster: the simulated cluster (Kubernetes {}) serves its API at {}\n\
                 kubeconfig: {}\n  export KUBECONFIG={}\nvirtual time: {time}\nCtrl+C stops it.\n",
                crate::api::KUBERNETES_VERSION,
                running.url(),
                kubeconfig.display(),
                kubeconfig.display()
            );
            let _ = out.flush();
            loop {
                std::thread::park();
            }
        }
        Err(e) => {
            let _ = writeln!(out, "kubeplay: {e}\nTry 'kubeplay --help'.");
            2
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn cluster_options(args: &[String]) -> Result<(crate::server::Options, PathBuf), String> {
    let opts = options(args)?;
    let mut options = crate::server::Options {
        address: std::net::IpAddr::from([127, 0, 0, 1]),
        port: 6443,
        settings: opts.settings,
        time: crate::server::Time::Speed(1.0),
    };
    let mut kubeconfig = crate::server::default_kubeconfig_path();
    let mut rest = opts.rest.iter();
    while let Some(a) = rest.next() {
        let (name, inline) = match a.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (a.as_str(), None),
        };
        let mut value =
            || inline.clone().or_else(|| rest.next().cloned()).ok_or_else(|| format!("{name} needs a value"));
        match name {
            "--manual" => options.time = crate::server::Time::Manual,
            "--speed" => {
                let v = value()?;
                let x: f64 = v
                    .parse()
                    .ok()
                    .filter(|x: &f64| x.is_finite() && *x > 0.0 && *x <= 1000.0)
                    .ok_or_else(|| format!("--speed wants a number above 0 and at most 1000, not {v:?}"))?;
                options.time = crate::server::Time::Speed(x);
            }
            "--port" => {
                let v = value()?;
                options.port = v.parse().map_err(|_| format!("--port wants a port number, not {v:?}"))?;
            }
            "--address" => {
                let v = value()?;
                options.address = v.parse().map_err(|_| format!("--address wants an IP address, not {v:?}"))?;
            }
            "--kubeconfig" => kubeconfig = PathBuf::from(value()?),
            other => return Err(format!("unknown option {other:?}")),
        }
    }
    Ok((options, kubeconfig))
}

/// `kubeplay advance DURATION [--kubeconfig PATH]`.
#[cfg(not(target_arch = "wasm32"))]
fn advance(args: &[String]) -> Outcome {
    let mut duration = None;
    let mut kubeconfig = None;
    let mut rest = args.iter();
    while let Some(a) = rest.next() {
        match a.split_once('=') {
            Some(("--kubeconfig", v)) => kubeconfig = Some(PathBuf::from(v)),
            _ if a == "--kubeconfig" => match rest.next() {
                Some(v) => kubeconfig = Some(PathBuf::from(v)),
                None => return usage_error("--kubeconfig needs a value".into()),
            },
            _ if duration.is_none() && !a.starts_with("--") => duration = Some(a.clone()),
            _ => return usage_error(format!("unknown argument {a:?}")),
        }
    }
    let Some(duration) = duration else {
        return usage_error("advance needs a DURATION (30s, 2m)".into());
    };
    let path = kubeconfig
        .or_else(|| std::env::var_os("KUBECONFIG").and_then(|k| std::env::split_paths(&k).next()))
        .unwrap_or_else(crate::server::default_kubeconfig_path);
    let fail = |e: String| Outcome { code: 1, stdout: String::new(), stderr: format!("kubeplay: {e}\n") };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => return fail(format!("cannot read the kubeconfig {}: {e}", path.display())),
    };
    let Some(server) = crate::server::server_of_kubeconfig(&text) else {
        return fail(format!("the kubeconfig {} names no server", path.display()));
    };
    match crate::server::request_advance(&server, &duration) {
        Ok(_) => Outcome { code: 0, stdout: String::new(), stderr: String::new() },
        Err(e) => fail(e),
    }
}

/// [`run_with`] with no standard input.
pub fn run<I, S>(args: I) -> Outcome
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    run_with(args, &mut std::io::empty())
}

fn read_all(r: &mut dyn std::io::Read) -> Result<String, String> {
    use std::io::Read;
    let mut buf = Vec::new();
    std::io::Read::take(r, MAX_SCRIPT_BYTES as u64 + 1)
        .read_to_end(&mut buf)
        .map_err(|e| format!("cannot read standard input: {e}"))?;
    if buf.len() > MAX_SCRIPT_BYTES {
        return Err(format!("the script is longer than {MAX_SCRIPT_BYTES} bytes"));
    }
    String::from_utf8(buf).map_err(|_| "the script is not UTF-8 text".into())
}

fn read_script(path: &Path) -> Result<(String, PathBuf), String> {
    let mut f = std::fs::File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let text = read_all(&mut f).map_err(|e| format!("{}: {e}", path.display()))?;
    let base = path.parent().map(Path::to_path_buf).filter(|p| !p.as_os_str().is_empty()).unwrap_or_else(|| ".".into());
    Ok((text, base))
}

/// A script session: a cluster and the lines fed to it so far. Feeding a line returns the transcript it produced
/// (empty for skipped lines, and for the lines of a here-document until its end marker).
pub struct Session<'f> {
    sim: Sim,
    terminal: kubectl::Terminal,
    files: &'f dyn Files,
    /// What the script's redirections wrote, by name.
    written: std::collections::BTreeMap<String, String>,
    /// A command waiting for the end of its here-document: (echoed line, command, marker, body).
    pending: Option<(String, String, String, String)>,
    /// Whether every command so far succeeded.
    pub ok: bool,
    /// Whether kubeplay's own hint lines follow kubectl's output (`--no-hints` drops them).
    pub hints: bool,
}

impl<'f> Session<'f> {
    pub fn new(settings: Settings, files: &'f dyn Files) -> Session<'f> {
        Session {
            sim: Sim::new(settings),
            terminal: kubectl::Terminal::default(),
            files,
            written: std::collections::BTreeMap::new(),
            pending: None,
            ok: true,
            hints: true,
        }
    }

    pub fn feed(&mut self, line: &str) -> String {
        if let Some((echo, command, marker, mut body)) = self.pending.take() {
            if line.trim() == marker {
                return echo + &self.execute(&command, Some(&body));
            }
            body.push_str(line);
            body.push('\n');
            self.pending = Some((echo, command, marker, body));
            return String::new();
        }
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            return String::new();
        }
        let echo = format!("{}{trimmed}\n", self.terminal.prompt(&self.sim));
        if self.terminal.session.is_some() {
            let files = Written { base: self.files, files: &self.written };
            let out = self.terminal.run(&mut self.sim, trimmed, &Context { files: &files, stdin: None, live: false });
            return echo + &self.finish_output(out);
        }
        // A here-document: `… <<EOF` (or `<<'EOF'`, `<<-EOF`); its body is standard input and is not echoed.
        if let Some((cmd, marker)) = trimmed.split_once("<<") {
            let marker = marker.trim().trim_start_matches('-').trim_matches(|c| c == '\'' || c == '"').to_string();
            self.pending = Some((echo, cmd.trim().to_string(), marker, String::new()));
            return String::new();
        }
        echo + &self.execute(trimmed, None)
    }

    /// Ends the session: a here-document still open runs with what it has, as bash does at end of file.
    pub fn finish(&mut self) -> String {
        match self.pending.take() {
            Some((echo, command, marker, body)) => {
                let warning = format!("bash: warning: here-document delimited by end-of-file (wanted `{marker}')\n");
                echo + &warning + &self.execute(&command, Some(&body))
            }
            None => String::new(),
        }
    }

    fn execute(&mut self, command: &str, stdin: Option<&str>) -> String {
        let words = kubectl::words::split(command).unwrap_or_default();
        let result = match words.first().map(String::as_str) {
            Some("sleep") => match sleep_ms(&words[1..], &self.sim) {
                Ok(ms) => {
                    self.sim.advance(ms);
                    kubectl::Output::default()
                }
                Err(stderr) => kubectl::Output { stderr, code: 1, ..kubectl::Output::default() },
            },
            _ => {
                let files = Written { base: self.files, files: &self.written };
                self.terminal.run(&mut self.sim, command, &Context { files: &files, stdin, live: false })
            }
        };
        self.finish_output(result)
    }

    fn finish_output(&mut self, mut result: kubectl::Output) -> String {
        for (name, text) in std::mem::take(&mut result.files).into_vec() {
            if text.len() > crate::scenario::MAX_FILE_BYTES {
                let max = crate::scenario::MAX_FILE_BYTES;
                result.stderr.push_str(&format!("bash: {name}: larger than {max} bytes (a kubeplay limit)\n"));
                result.code = 1;
                continue;
            }
            if self.written.len() >= crate::scenario::MAX_FILES && !self.written.contains_key(&name) {
                let max = crate::scenario::MAX_FILES;
                result
                    .stderr
                    .push_str(&format!("bash: {name}: a script keeps at most {max} files (a kubeplay limit)\n"));
                result.code = 1;
                continue;
            }
            self.written.insert(name, text);
        }
        if result.code != 0 {
            self.ok = false;
        }
        let mut stdout = result.stdout;
        // `-o jsonpath` prints no final newline; the transcript adds one so the next `$` starts its own line.
        if !stdout.is_empty() && !stdout.ends_with('\n') {
            stdout.push('\n');
        }
        let out = result.warnings + &stdout + &result.stderr;
        if self.hints {
            out
        } else {
            kubectl::without_hints(&out)
        }
    }
}

/// Runs a script against a fresh cluster; returns the transcript and whether every command succeeded.
pub fn run_script(text: &str, settings: Settings, files: &dyn Files) -> (String, bool) {
    run_script_with(text, settings, files, true)
}

/// [`run_script`], with or without kubeplay's hint lines.
pub fn run_script_with(text: &str, settings: Settings, files: &dyn Files, hints: bool) -> (String, bool) {
    let mut session = Session::new(settings, files);
    session.hints = hints;
    let mut out = String::new();
    for line in text.lines() {
        out.push_str(&session.feed(line));
    }
    out.push_str(&session.finish());
    (out, session.ok)
}

/// `kubeplay repl`: like `run`, but each line's output is written as soon as the line is read.
pub fn repl(args: &[String], input: &mut dyn std::io::BufRead, output: &mut dyn std::io::Write) -> u8 {
    let opts = match options(args) {
        Ok(o) if o.rest.is_empty() => o,
        Ok(o) => {
            let _ = writeln!(output, "kubeplay: repl takes no script, got {:?}", o.rest[0]);
            return 2;
        }
        Err(e) => {
            let _ = writeln!(output, "kubeplay: {e}");
            return 2;
        }
    };
    let files = DiskFiles { base: PathBuf::from(".") };
    let mut session = Session::new(opts.settings, &files);
    session.hints = opts.hints;
    let mut line = String::new();
    let mut read = 0usize;
    loop {
        line.clear();
        match input.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(n) => read += n,
        }
        if read > MAX_SCRIPT_BYTES {
            let _ = writeln!(output, "kubeplay: the session is longer than {MAX_SCRIPT_BYTES} bytes; stopping");
            return 2;
        }
        let _ = output.write_all(session.feed(line.trim_end_matches(['\n', '\r'])).as_bytes());
        let _ = output.flush();
    }
    let _ = output.write_all(session.finish().as_bytes());
    if session.ok {
        0
    } else {
        1
    }
}

pub use crate::cluster::settings::MAX_SLEEP_MS;
/// While traffic generators run, a sleep sends their requests one by one: at most this many.
pub const MAX_SLEEP_REQUESTS: u64 = 3_600_000;

/// `sleep NUMBER[SUFFIX]...` as GNU coreutils reads it: each argument a number of seconds (a fraction allowed) with
/// an optional `s`, `m`, `h` or `d`, the arguments added up. Beyond coreutils, kubeplay's own bounds say so.
fn sleep_ms(args: &[String], sim: &Sim) -> Result<Millis, String> {
    if args.is_empty() {
        return Err("sleep: missing operand\nTry 'sleep --help' for more information.\n".into());
    }
    let mut total = 0f64;
    for arg in args {
        let (number, factor) = match arg.strip_suffix(['s', 'm', 'h', 'd']) {
            Some(n) => (
                n,
                match arg.as_bytes()[arg.len() - 1] {
                    b'm' => 60.0,
                    b'h' => 3_600.0,
                    b'd' => 86_400.0,
                    _ => 1.0,
                },
            ),
            None => (arg.as_str(), 1.0),
        };
        let seconds = number
            .parse::<f64>()
            .ok()
            .filter(|n| !n.is_nan() && *n >= 0.0 && !number.starts_with(['+', '-']) && !number.is_empty())
            .ok_or_else(|| {
                format!("sleep: invalid time interval '{arg}'\nTry 'sleep --help' for more information.\n")
            })?;
        total += seconds * factor * 1000.0;
    }
    let ms = total.ceil();
    if ms > MAX_SLEEP_MS as f64 {
        return Err(format!(
            "kubeplay: sleep: at most {} of virtual time at once (a kubeplay limit; sleep again to go on)\n",
            crate::api::pod_columns::human_duration(MAX_SLEEP_MS)
        ));
    }
    let ms = ms as Millis;
    let rate: u64 = sim.net.generators.iter().map(|g| u64::from(g.rate)).sum();
    if rate > 0 && rate.saturating_mul(ms) / 1000 > MAX_SLEEP_REQUESTS {
        let most = MAX_SLEEP_REQUESTS * 1000 / rate;
        return Err(format!(
            "kubeplay: sleep: traffic is running ({rate} requests a second), so a sleep may last at most {} (a \
             kubeplay limit of {MAX_SLEEP_REQUESTS} requests); stop the traffic or sleep in steps\n",
            crate::api::pod_columns::human_duration(most)
        ));
    }
    Ok(ms)
}

#[cfg(test)]
mod tests {
    #[test]
    fn no_hints_drops_only_the_hint_lines() {
        let script = "kubectl apply -f - <<EOF\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  \
                      replica: 3\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: \
                      {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx\nEOF\nkubectl get \
                      deploymnt\n";
        let with = run_with(["run", "-"], &mut script.as_bytes());
        let without = run_with(["run", "--no-hints", "-"], &mut script.as_bytes());
        let hint = "kubeplay hint: STDIN:6:3: unknown field \"spec.replica\"; did you mean \"replicas\"?\n";
        assert!(with.stdout.contains(&format!("unknown field \"spec.replica\"\n{hint}")), "{}", with.stdout);
        assert!(with.stdout.contains("Did you mean \"deployment\"? (a kubeplay hint; kubectl has none)\n"));
        let kept: String = with
            .stdout
            .lines()
            .filter(|l| !l.starts_with("kubeplay hint: ") && !l.ends_with("(a kubeplay hint; kubectl has none)"))
            .map(|l| format!("{l}\n"))
            .collect();
        assert_eq!(without.stdout, kept);
        assert_eq!(with.stdout.lines().count(), kept.lines().count() + 2);
        assert_eq!((with.code, without.code), (1, 1));
    }

    #[test]
    fn sleep_reads_its_arguments_as_coreutils_does_and_names_kubeplays_limits() {
        let sim = Sim::new(Settings::default());
        let ms = |args: &[&str]| sleep_ms(&args.iter().map(|a| a.to_string()).collect::<Vec<_>>(), &sim);
        assert_eq!(ms(&["30"]), Ok(30_000));
        assert_eq!(ms(&["1.5"]), Ok(1_500));
        assert_eq!(ms(&["25h"]), Ok(90_000_000));
        assert_eq!(ms(&["1m", "30s"]), Ok(90_000));
        assert_eq!(ms(&["2d"]), Ok(172_800_000));
        assert_eq!(ms(&["0"]), Ok(0));
        assert_eq!(
            ms(&["10x"]),
            Err("sleep: invalid time interval '10x'\nTry 'sleep --help' for more information.\n".into())
        );
        assert_eq!(ms(&["-1"]).unwrap_err().lines().next(), Some("sleep: invalid time interval '-1'"));
        assert_eq!(ms(&["1m30s"]).unwrap_err().lines().next(), Some("sleep: invalid time interval '1m30s'"));
        assert_eq!(ms(&[]).unwrap_err(), "sleep: missing operand\nTry 'sleep --help' for more information.\n");
        for long in [&["8d"][..], &["infinity"]] {
            assert!(ms(long).unwrap_err().starts_with("kubeplay: sleep: at most 7d of virtual time"), "{long:?}");
        }
        let mut busy = Sim::new(Settings::default());
        busy.start_traffic(crate::net::Origin::Workstation, "http://172.18.0.2:30000/", 1_000, 1_000).unwrap();
        let long = sleep_ms(&["2h".to_string()], &busy).unwrap_err();
        assert!(long.contains("at most 60m") && long.contains("1000 requests a second"), "{long}");
        assert_eq!(sleep_ms(&["30m".to_string()], &busy), Ok(1_800_000));
    }

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
        assert_eq!(run(["run"]).code, 2);
        assert_eq!(run(["run", "--seed", "x", "s"]).code, 2);
        assert_eq!(run(["run", "/no/such/script"]).code, 2);
        assert_eq!(run(["run", "--proxy-delay", "2m", "-"]).code, 2);
        assert_eq!(run(["run", "--lb-delay", "soon", "-"]).code, 2);
    }

    #[test]
    fn cluster_settings_come_from_the_options() {
        let script = "kubectl create deployment web --image=nginx:1.25
kubectl expose deployment web --port=80 --type=LoadBalancer
sleep 1m
kubectl get svc web -o jsonpath={.status.loadBalancer}
";
        let off = run_with(["run", "--lb-delay", "off", "-"], &mut script.as_bytes());
        assert!(off.stdout.ends_with("{}\n"), "{}", off.stdout);
        let soon = run_with(["run", "--lb-delay=5s", "--proxy-delay", "0", "-"], &mut script.as_bytes());
        assert!(soon.stdout.contains("\"ip\":\"172.18.0.6\""), "{}", soon.stdout);
    }

    #[test]
    fn the_repl_answers_line_by_line_and_reads_here_documents() {
        let input =
            "kubectl apply -f - <<EOF\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\nEOF\nkubectl get cm\n";
        let out = run_with(["repl"], &mut input.as_bytes());
        assert_eq!(out.code, 0, "{}", out.stdout);
        assert_eq!(
            out.stdout,
            "$ kubectl apply -f - <<EOF\nconfigmap/c created\n$ kubectl get cm\nNAME   DATA   AGE\nc      0      0s\n"
        );
    }

    #[test]
    fn a_script_from_stdin_echoes_commands_skips_comments_and_reports_failure() {
        let script = "# a comment\n\nkubectl get pods\nsleep 10s\nkubectl get nodes\nfrobnicate\n";
        let out = run_with(["run", "-"], &mut script.as_bytes());
        assert_eq!(out.code, 1);
        assert!(
            out.stdout.starts_with(
                "$ kubectl get pods\nNo resources found in default namespace.\n$ sleep 10s\n$ kubectl get nodes\nNAME "
            ),
            "{}",
            out.stdout
        );
        assert!(out.stdout.ends_with("$ frobnicate\nbash: frobnicate: command not found\n"), "{}", out.stdout);
        assert!(!out.stdout.contains("comment"));
    }
}
