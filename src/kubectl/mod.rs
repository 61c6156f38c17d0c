//! The kubectl engine: one call takes a command line and returns stdout, stderr and an exit code, as the real kubectl
//! (v1.35) prints them against the simulated cluster. The browser terminal and the native `kubeplay` program both use
//! it. Files named by `-f` come from a [`Files`] (the editor's tabs, or the disk); `-f -` reads standard input.

pub mod complete;
pub mod config;
pub mod create;
pub mod curl;
pub mod describe;
pub mod diff;
pub mod dryrun;
pub mod errors;
pub mod exec;
pub mod explain;
#[cfg(not(target_arch = "wasm32"))]
pub mod explain_gen;
pub mod expose;
pub mod fields;
pub mod flags;
pub mod forward;
pub mod get;
pub mod info;
pub mod jsonpath;
pub mod label;
pub mod labels;
pub mod logs;
pub mod meaning;
pub mod modify;
pub mod output;
pub mod resources;
pub mod rollout;
pub mod run;
pub mod shell;
pub mod tabwriter;
pub mod verbs;
pub mod wait;
pub mod words;

use crate::cluster::clock::Millis;
use crate::cluster::store::{Kind, ObjRef, Reason};
use crate::sim::{OpError, Sim};
use flags::{flag, val, Parsed, Spec};
use labels::Selector;

/// What a command printed and how it ended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
    /// An interactive session the command opened (`run -it`, `exec -it`): the terminal's next lines go to it.
    pub attach: Option<Box<Attach>>,
    /// A `get -w` still watching (live contexts only): its rows follow as virtual time runs.
    pub watch: Option<Box<LiveWatch>>,
    /// A command still waiting in virtual time (live contexts only): see [`Pending`].
    pub pending: Option<Box<Pending>>,
    /// Data the command needs that this build loads on demand (in the browser): the output is empty until it is
    /// here, and the line runs again then (the command changed nothing).
    pub awaiting: Option<Awaiting>,
    /// What kubectl writes to standard error before its output: flag deprecations (at parse time) and the API
    /// server's `Warning:` headers (at request time). Errors, written last, are in `stderr`. A terminal shows
    /// `warnings`, `stdout`, then `stderr` ([`Output::combined`]).
    pub warnings: String,
    /// Files the line's redirections wrote (`> web.yaml`): each name with its whole new text, in the order opened.
    /// The caller keeps them (the page makes each an editor tab). (A boxed slice keeps `Output` small.)
    pub files: Box<[(String, String)]>,
}

/// Data a command waits for: a file next to the page, fetched the first time it is needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Awaiting {
    /// `kubectl explain`'s documentation ([`explain::DATA_FILE`]).
    ExplainData,
}

impl Awaiting {
    /// Every data file a build may load on demand.
    pub const ALL: [Awaiting; 1] = [Awaiting::ExplainData];

    /// The data whose file is named `file`, if it is one.
    pub fn by_file(file: &str) -> Option<Awaiting> {
        Awaiting::ALL.into_iter().find(|a| a.file() == file)
    }

    /// The file's name, relative to the page.
    pub fn file(self) -> &'static str {
        match self {
            Awaiting::ExplainData => explain::DATA_FILE,
        }
    }

    /// Gives the build the file's text; an error says why it is not the data.
    pub fn provide(self, text: String) -> Result<(), String> {
        match self {
            Awaiting::ExplainData => explain::provide(text),
        }
    }

    /// Whether the data is here.
    pub fn loaded(self) -> bool {
        match self {
            Awaiting::ExplainData => explain::loaded(),
        }
    }
}

/// A command still running in virtual time (live contexts only): a workstation `curl` waiting for its timeout. It
/// has said what it waits for; the rest of its output is printed when the clock reaches `until`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub until: Millis,
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

/// A running `get -w`: what it watches, how far into the store's watch log it has printed, and when it ends
/// (`--request-timeout`; otherwise it runs until interrupted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveWatch {
    scope: Watch,
    cursor: usize,
    pub until: Option<Millis>,
}

impl LiveWatch {
    /// The rows of every watched change since the last call, each printed as of the instant it happened.
    pub fn rows(&mut self, sim: &Sim) -> String {
        let mut cursor = self.cursor;
        let out = collect_rows(sim, &self.scope, &mut cursor, self.until);
        self.cursor = cursor;
        out
    }

    /// Whether its `--request-timeout` has passed at `now`.
    pub fn ended(&self, now: Millis) -> bool {
        self.until.is_some_and(|u| now >= u)
    }
}

/// A terminal attached to a container's shell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attach {
    pub pod: crate::cluster::store::ObjRef,
    pub container: String,
    /// The shell program (`bash`, `sh`).
    pub shell: String,
    /// `kubectl run --rm`: delete the pod when the session ends.
    pub remove: bool,
    /// Opened by `kubectl run` (its end message names `kubectl attach`).
    pub by_run: bool,
}

impl Output {
    /// Everything in the order a terminal shows it: warnings, standard output, then errors.
    pub fn combined(&self) -> String {
        format!("{}{}{}", self.warnings, self.stdout, self.stderr)
    }

    fn ok(stdout: impl Into<String>) -> Output {
        Output { stdout: stdout.into(), ..Output::default() }
    }

    fn err(stderr: impl Into<String>) -> Output {
        let mut e: String = stderr.into();
        if !e.ends_with('\n') {
            e.push('\n');
        }
        Output { stderr: e, code: 1, ..Output::default() }
    }

    /// Adds an error line to standard error and makes the command fail (exit code 1), as kubectl does for each
    /// object it could not act on while it goes on with the others.
    fn fail(&mut self, line: &str) {
        self.stderr.push_str(line);
        self.stderr.push('\n');
        self.code = 1;
    }

    fn line(mut self, l: &str) -> Output {
        if !l.is_empty() {
            self.stdout.push_str(l);
            self.stdout.push('\n');
        }
        self
    }
}

/// Where `-f NAME` reads from.
pub trait Files {
    /// The file's text, or kubectl's error (`the path "x" does not exist`).
    fn read(&self, name: &str) -> Result<String, String>;
}

/// No files at all.
pub struct NoFiles;

impl Files for NoFiles {
    fn read(&self, name: &str) -> Result<String, String> {
        Err(format!("the path {name:?} does not exist"))
    }
}

/// What the engine needs besides the simulation.
pub struct Context<'a> {
    pub files: &'a dyn Files,
    pub stdin: Option<&'a str>,
    /// The playground, where virtual time runs outside commands: `get -w` returns at once with a [`LiveWatch`] whose
    /// rows the caller collects as time runs. Elsewhere (scripts, the CLI) the watch runs time itself until it ends.
    pub live: bool,
}

/// A terminal: the kubectl engine, and the container shell a command may have opened (`kubectl run -it`,
/// `kubectl exec -it … -- bash`); while one is open, lines go to it until `exit`.
#[derive(Debug, Clone, Default)]
pub struct Terminal {
    pub session: Option<Attach>,
}

impl Terminal {
    /// The prompt before the next line: `$ `, or the shell's (`root@debug:/# `, `/ # `).
    pub fn prompt(&self, sim: &Sim) -> String {
        match &self.session {
            None => "$ ".into(),
            Some(a) => exec::prompt(sim, a),
        }
    }

    pub fn run(&mut self, sim: &mut Sim, line: &str, ctx: &Context<'_>) -> Output {
        if let Some(a) = self.session.clone() {
            return match exec::session_line(sim, &a, line) {
                Ok(o) => o,
                Err(o) => {
                    self.session = None;
                    o
                }
            };
        }
        let out = run(sim, line, ctx);
        if let Some(a) = &out.attach {
            self.session = Some((**a).clone());
        }
        out
    }
}

/// Splits a line at the `|`s outside quotes (not at `||`).
fn pipeline(line: &str) -> Vec<&str> {
    let (mut parts, mut start, mut quote) = (Vec::new(), 0, None);
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match (quote, b) {
            (None, b'\'' | b'"') => quote = Some(b),
            (Some(q), _) if q == b => quote = None,
            (None, b'|') if bytes.get(i + 1) != Some(&b'|') && (i == 0 || bytes[i - 1] != b'|') => {
                parts.push(&line[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&line[start..]);
    parts
}

/// Runs one line as the workstation's shell does: a `kubectl …` command, `curl` from the workstation or `cat FILE`,
/// its output redirected (`> FILE`, `>> FILE`, `2>&1`, … see [`shell`]) or piped into `grep`, `head`, `tail`,
/// `wc -l`, `sort`, `uniq`, or another command reading standard input (`cat x.yaml | kubectl apply -f -`).
pub fn run(sim: &mut Sim, line: &str, ctx: &Context<'_>) -> Output {
    if !sim.net.forwards.is_empty() {
        forward::prune(sim);
    }
    let stages = pipeline(line);
    if stages.len() > 1 && stages.iter().any(|s| s.trim().is_empty()) {
        return Output {
            stderr: "bash: syntax error near unexpected token `|'\n".into(),
            code: 2,
            ..Output::default()
        };
    }
    let mut parsed = Vec::with_capacity(stages.len());
    for stage in &stages {
        match shell::redirects(stage) {
            Ok(p) => parsed.push(p),
            Err(o) => return o,
        }
    }
    let existing = |name: &str| ctx.files.read(name).ok();
    let (first, first_redirects) = &parsed[0];
    let out = run_one(sim, first, ctx);
    // A line still waiting for data (`kubectl explain` in the page) has nothing to route yet.
    if out.awaiting.is_some() {
        return out;
    }
    let mut out = first_redirects.route(out, existing);
    if parsed.len() == 1 {
        return out;
    }
    // What the terminal shows of the stages before the last: their errors (their output went down the pipe).
    let mut terminal = std::mem::take(&mut out.warnings) + &std::mem::take(&mut out.stderr);
    let mut piped = std::mem::take(&mut out.stdout);
    for (stage, redirects) in &parsed[1..] {
        let words = words::split(stage).unwrap_or_default();
        let mut step = match words.first().map(String::as_str) {
            Some("kubectl" | "cat") => {
                let ctx = Context { files: ctx.files, stdin: Some(&piped), live: ctx.live };
                run_one(sim, stage, &ctx)
            }
            _ => match exec::filter(stage, &piped) {
                Ok((text, code)) => Output { stdout: text, code, ..Output::default() },
                Err(e) => Output { stderr: e, code: 127, ..Output::default() },
            },
        };
        step.attach = None;
        let routed = redirects.route(step, existing);
        out.code = routed.code;
        let mut files = std::mem::take(&mut out.files).into_vec();
        for (name, text) in routed.files.into_vec() {
            match files.iter_mut().find(|(n, _)| *n == name) {
                Some(f) => f.1 = text,
                None => files.push((name, text)),
            }
        }
        out.files = files.into_boxed_slice();
        terminal.push_str(&routed.warnings);
        terminal.push_str(&routed.stderr);
        piped = routed.stdout;
    }
    // The earlier stages wrote their errors while the last one was still reading: a terminal shows them first.
    out.stdout = piped;
    out.warnings = terminal;
    out.attach = None;
    out
}

fn run_one(sim: &mut Sim, line: &str, ctx: &Context<'_>) -> Output {
    let words = match words::split(line) {
        Ok(w) => w,
        Err(e) => return Output::err(format!("bash: {e}")),
    };
    match words.first().map(String::as_str) {
        None => Output::default(),
        Some("kubectl") => kubectl(sim, &words[1..], line, ctx),
        Some("curl") => {
            let since = sim.net.next_id();
            let r = curl::curl(sim, &crate::net::Origin::Workstation, &words[1..], true, curl::Curl::New);
            // What curl waits for is said first; in the page the rest follows when the clock gets there.
            let notice = curl::wait_notice(sim, since, r.took, ctx.live);
            let stderr = r.stderr + &curl::outside_hints(sim, since);
            if ctx.live && !notice.is_empty() {
                let until = sim.now().saturating_add(r.took);
                let rest = Pending { until, stdout: r.stdout, stderr, code: r.code };
                return Output { stderr: notice, pending: Some(Box::new(rest)), ..Output::default() };
            }
            sim.advance(r.took);
            Output { stdout: r.stdout, stderr: notice + &stderr, code: r.code, ..Output::default() }
        }
        Some("cat") => shell::cat(&words[1..], ctx.files, ctx.stdin),
        Some("nslookup") => {
            let r = curl::nslookup_outside(&words[1..]);
            Output { stdout: r.stdout, stderr: r.stderr, code: r.code, ..Output::default() }
        }
        Some(other) => Output { stderr: format!("bash: {other}: command not found\n"), code: 127, ..Output::default() },
    }
}

/// `cmdutil.UsageErrorf`: the command's own usage error, pointing at `-h`.
fn usage_errorf(verb: &str, e: &str) -> Output {
    Output::err(format!("error: {e}\nSee 'kubectl {verb} -h' for help and examples"))
}

fn usage_error(verb: &str, e: &str) -> Output {
    Output::err(format!("error: {e}\nSee 'kubectl {verb} --help' for usage."))
}

/// Where the verb is among kubectl's arguments: the first word that is neither a flag nor the value of `-n` /
/// `--namespace`. Returns its index (`args.len()` if there is none) and the words before it.
pub fn find_verb(args: &[String]) -> (usize, Vec<String>) {
    let mut i = 0;
    let mut pre: Vec<String> = Vec::new();
    while i < args.len() && args[i].starts_with('-') {
        pre.push(args[i].clone());
        if matches!(args[i].as_str(), "-n" | "--namespace") && i + 1 < args.len() {
            pre.push(args[i + 1].clone());
            i += 1;
        }
        i += 1;
    }
    (i, pre)
}

fn kubectl(sim: &mut Sim, args: &[String], line: &str, ctx: &Context<'_>) -> Output {
    let (i, pre) = find_verb(args);
    let Some(verb) = args.get(i) else {
        // Flags without a command: their own errors first (`kubectl -n`), else the help.
        return match flags::parse(&pre, &[]) {
            Err(e) => Output::err(format!("error: {e}\nSee 'kubectl --help' for usage.")),
            Ok(_) => Output::ok(verbs::help()),
        };
    };
    let mut rest: Vec<String> = pre;
    rest.extend(args[i + 1..].iter().cloned());
    if matches!(verb.as_str(), "help" | "--help" | "-h") {
        return Output::ok(verbs::help());
    }
    let Some(v) = verbs::find(verb) else {
        let hint = crate::manifest::decode::suggest(verb, verbs::names())
            .map(|s| format!("\n\nDid you mean this?\n\t{s}"))
            .unwrap_or_default();
        return Output::err(format!("error: unknown command {verb:?} for \"kubectl\"{hint}"));
    };
    let call = verbs::Call { ctx, line };
    let (shown, specs) = verbs::flags_for(v, &rest);
    if rest.iter().take_while(|w| *w != "--").any(|w| w == "-h" || w == "--help") {
        return Output::ok(verbs::verb_help(v, &rest));
    }
    let context_namespace = sim.context_namespace.clone();
    with_flags(shown, &rest, specs, |f| {
        let f = &Parsed { context_namespace, ..f.clone() };
        match v.handler {
            verbs::Handler::Read(read) => read(sim, f, &call),
            verbs::Handler::Write(write) => write(sim, f, &call),
        }
    })
}

fn with_flags(verb: &str, rest: &[String], specs: &[Spec], f: impl FnOnce(&Parsed) -> Output) -> Output {
    match flags::parse(rest, specs) {
        Ok(p) => {
            // pflag prints a deprecated flag's notice while parsing, before anything the command writes.
            let notice: String = specs
                .iter()
                .filter(|s| p.has(s.long))
                .filter_map(|s| s.deprecated.map(|m| format!("Flag --{} has been deprecated, {m}\n", s.long)))
                .collect();
            let mut out = match flags::missing_required(&p, specs) {
                Some(missing) => Output::err(format!("error: {missing}")),
                None => f(&p),
            };
            out.warnings.insert_str(0, &notice);
            out
        }
        Err(e) => usage_error(verb, &e),
    }
}

/// The namespace a command works in: `-n`, else the kubeconfig context's.
fn namespace(f: &Parsed) -> String {
    match f.get("namespace") {
        Some(ns) => ns.to_string(),
        None if f.context_namespace.is_empty() => "default".into(),
        None => f.context_namespace.clone(),
    }
}

const GET_FLAGS: &[Spec] = &[
    val("output", Some('o')),
    val("selector", Some('l')),
    flag("all-namespaces", Some('A')),
    flag("show-labels", None),
    flag("watch", Some('w')),
    flag("no-headers", None),
    val("request-timeout", None),
    val("template", None),
    flag("allow-missing-template-keys", None),
    val("field-selector", None),
    val("sort-by", None),
    val("label-columns", Some('L')),
];

/// How long `get -w` watches in virtual time when no `--request-timeout` is given: a script must end, so the watch
/// stops when nothing more is scheduled or after this long, as if Ctrl-C had been pressed.
pub const WATCH_LIMIT_MS: u64 = 10 * 60 * 1000;

/// Kinds with the names asked for (none: all), and whether several kinds were asked for (names get prefixes).
type Targets = (Vec<(Kind, Vec<String>)>, bool);

/// The (kind, names) pairs a `get`/`delete` argument list names: `TYPE[,TYPE] [NAME…]` or `TYPE/NAME…`.
pub(super) fn targets(args: &[String]) -> Result<Targets, String> {
    let Some(first) = args.first() else {
        return Err("You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples".into());
    };
    if first.contains('/') {
        let mut out: Vec<(Kind, Vec<String>)> = Vec::new();
        for a in args {
            let Some((t, n)) = a.split_once('/') else {
                return Err(SEPARATE_TYPE.into());
            };
            let kind = resources::resolve(t).map_err(|w| resources::unknown_type(&w))?;
            match out.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, names)) => names.push(n.to_string()),
                None => out.push((kind, vec![n.to_string()])),
            }
        }
        let multi = out.len() > 1;
        return Ok((out, multi));
    }
    let names: Vec<String> = args[1..].to_vec();
    let mut kinds = Vec::new();
    let mut all = false;
    for t in first.split(',').filter(|t| !t.is_empty()) {
        if t == "all" {
            all = true;
            for k in [Kind::Pod, Kind::Service, Kind::Deployment, Kind::ReplicaSet] {
                if !kinds.contains(&k) {
                    kinds.push(k);
                }
            }
            continue;
        }
        let k = resources::resolve(t).map_err(|w| resources::unknown_type(&w))?;
        if !kinds.contains(&k) {
            kinds.push(k);
        }
    }
    let multi = kinds.len() > 1 || all;
    Ok((kinds.into_iter().map(|k| (k, names.clone())).collect(), multi))
}

/// A `get -w` to start once its first table is printed: what [`get_read`] leaves to [`get_cmd`]'s writing part.
struct WatchPlan {
    out: Output,
    first: Output,
    scope: Watch,
    from: usize,
    limit: u64,
    /// `--request-timeout` was given: the watch lasts exactly `limit`.
    full: bool,
    /// `No resources found …`, when the first table was empty.
    tail: String,
}

/// `kubectl get`: reading, then for `-w` watching as virtual time runs.
fn get_cmd(sim: &mut Sim, f: &Parsed, ctx: &Context<'_>) -> Output {
    let plan = match get_read(sim, f, ctx) {
        Ok(out) => return out,
        Err(plan) => plan,
    };
    let WatchPlan { mut out, mut first, scope, from, limit, full, tail } = *plan;
    if ctx.live {
        // The rows come as the playground's time runs (`LiveWatch::rows`); the store keeps snapshots while any
        // watch is open.
        sim.keep_watch_snapshots(true);
        let until = full.then(|| sim.now().saturating_add(limit));
        let mut live = LiveWatch { scope, cursor: from, until };
        first.stdout.push_str(&live.rows(sim));
        first.watch = Some(Box::new(live));
        return Output { stdout: first.stdout, watch: first.watch, ..out };
    }
    let end = sim.now().saturating_add(limit);
    first.stdout.push_str(&watch(sim, &scope, from, limit));
    if full {
        sim.run_until(end);
    }
    out.stdout = first.stdout;
    out.stderr.push_str(&first.stderr);
    out.code = out.code.max(first.code);
    out.stderr.push_str(&tail);
    out
}

/// `kubectl get` without `-w`, read-only; with `-w`, the first table and the plan for the watch.
fn get_read(sim: &Sim, f: &Parsed, ctx: &Context<'_>) -> Result<Output, Box<WatchPlan>> {
    let (targets, multi) = match targets(&f.args) {
        Ok(t) => t,
        Err(e) => return Ok(Output::err(e)),
    };
    let sel = match Selector::parse(f.get("selector").unwrap_or("")) {
        Ok(s) => s,
        Err(e) => return Ok(Output::err(format!("error: {e}"))),
    };
    let allow_missing = f.get("allow-missing-template-keys") != Some("false");
    let format = match output::Format::parse(f.get("output").unwrap_or(""), f.get("template"), allow_missing, ctx) {
        Ok(p) => p,
        Err(e) => return Ok(e),
    };
    let all_ns = f.bool("all-namespaces");
    let ns = namespace(f);
    let field_text = f.get("field-selector").unwrap_or("");
    let sort_by = match f.get("sort-by").filter(|s| !s.is_empty()).map(output::relaxed).transpose() {
        Ok(t) => t,
        Err(e) => return Ok(Output::err(format!("error: {e}"))),
    };
    // `-L a,b -L c`: a column per label key, headed by its last path segment upper-cased.
    let mut warnings_before = String::new();
    let label_columns: Vec<String> = f
        .all("label-columns")
        .iter()
        .flat_map(|l| l.split(','))
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    if f.bool("watch") && sort_by.is_some() {
        // `get.go`: the first table is sorted, the watch's rows come as they happen.
        warnings_before.push_str("warning: --watch requested, --sort-by will be ignored for watch events received\n");
    }
    let watch_from = sim.cluster().store().watch_len();
    let now = sim.now();
    let store = sim.cluster().store();
    let mut out = Output { warnings: warnings_before, ..Output::default() };
    let mut everything = Vec::new();
    let mut tables = Vec::new();
    let named = targets.iter().any(|(_, n)| !n.is_empty());
    let view = match format {
        output::Format::Name => get::View::Names,
        output::Format::Table { wide } => get::View::Table { wide },
        _ => get::View::Objects,
    };
    let headers = !f.bool("no-headers");
    out.warnings.push_str(&deprecation_warnings(targets.iter().map(|(k, _)| *k)));
    for (kind, names) in &targets {
        // The API server's field selector, checked per resource (`EnhanceListError` wraps its refusal).
        let fields = match fields::Fields::parse(*kind, field_text) {
            Ok(fs) => fs,
            Err(e) => {
                let group = if kind.group().is_empty() { "/" } else { "" };
                out.fail(&format!(
                    "Error from server (BadRequest): Unable to find \"{group}{}, Resource={}\" that match label selector {:?}, field selector {field_text:?}: {e}",
                    kind.api_version(),
                    kind.plural(),
                    f.get("selector").unwrap_or("")
                ));
                continue;
            }
        };
        let (mut found, missing) =
            get::find_kind(*kind, store, if all_ns { None } else { Some(&ns) }, names, &sel, now, view);
        for m in missing {
            out.fail(&errors::not_found(*kind, &m));
        }
        if !field_text.is_empty() || sort_by.is_some() {
            let json = |x: &get::Found| {
                if x.json.is_null() {
                    get::object_json(store, *kind, &x.namespace, &x.name)
                } else {
                    x.json.clone()
                }
            };
            found.retain(|x| fields.matches(&json(x)));
            if let Some(path) = &sort_by {
                found = get::sorted(found, path, json);
            }
        }
        if let (false, get::View::Table { wide }) = (found.is_empty(), view) {
            tables.push(get::table(*kind, &found, wide, multi, all_ns, f.bool("show-labels"), headers, &label_columns));
        }
        everything.extend(found);
    }
    // One object named on its own prints as itself, and its absence prints nothing; anything else prints as a List
    // (get.go's `singleItemImplied` in `printGeneric`).
    let single_implied = targets.len() == 1 && targets[0].1.len() == 1;
    let single = single_implied && everything.len() == 1;
    let printed = match &format {
        _ if single_implied && everything.is_empty() => None,
        output::Format::Yaml => Some(Output::ok(get::structured(&everything, single, false))),
        output::Format::Json => Some(Output::ok(get::structured(&everything, single, true))),
        output::Format::JsonPath { raw, template, as_json, allow_missing } => {
            Some(output::jsonpath(raw, template, &get::object_or_list(&everything, single), *as_json, *allow_missing))
        }
        output::Format::Columns(columns) => {
            let items: Vec<&serde_json::Value> = everything.iter().map(|f| &f.json).collect();
            Some(output::columns(columns, &items, !headers))
        }
        output::Format::Name => Some(Output::ok(get::names(&everything))),
        output::Format::Table { wide } if f.bool("watch") => {
            let first = Output::ok(tables.join("\n"));
            // With `--request-timeout` the watch lasts exactly that long; without, it ends when nothing is left to
            // happen (or after WATCH_LIMIT_MS), as a learner would press Ctrl-C.
            let (limit, full) = match f.get("request-timeout").map(crate::cluster::settings::parse_duration) {
                Some(Some(ms)) if ms > 0 => (ms, true),
                Some(None) => return Ok(usage_error("get", "invalid argument for \"--request-timeout\" flag")),
                _ => (WATCH_LIMIT_MS, false),
            };
            let kinds: Vec<Kind> = targets.iter().map(|(k, _)| *k).collect();
            let names: Vec<String> = targets.iter().flat_map(|(_, n)| n.iter().cloned()).collect();
            let scope =
                Watch { kinds, names, namespace: (!all_ns).then_some(ns.clone()), sel, multi, all_ns, wide: *wide };
            let tail = if everything.is_empty() && !named { no_resources(all_ns, &ns) } else { String::new() };
            return Err(Box::new(WatchPlan { out, first, scope, from: watch_from, limit, full, tail }));
        }
        // A blank line between kinds only when they have headers (get.go: `!o.NoHeaders`).
        _ => Some(Output::ok(tables.join(if headers { "\n" } else { "" }))),
    };
    if let Some(p) = printed {
        out.stdout = p.stdout;
        out.stderr.push_str(&p.stderr);
        out.code = out.code.max(p.code);
    }
    if matches!(format, output::Format::Table { .. }) && everything.is_empty() && !named && out.code == 0 {
        out.stderr.push_str(&no_resources(all_ns, &ns));
    }
    Ok(out)
}

fn no_resources(all_namespaces: bool, ns: &str) -> String {
    if all_namespaces {
        "No resources found\n".to_string()
    } else {
        format!("No resources found in {ns} namespace.\n")
    }
}

/// What `get -w` watches.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Watch {
    kinds: Vec<Kind>,
    names: Vec<String>,
    namespace: Option<String>,
    sel: Selector,
    multi: bool,
    all_ns: bool,
    wide: bool,
}

/// `get -w` after the first table: one row per change of a watched object, each formatted on its own as kubectl's
/// watch printer does, while virtual time runs to the next scheduled instant, until `limit`.
fn watch(sim: &mut Sim, w: &Watch, cursor: usize, limit: u64) -> String {
    sim.with_watch_snapshots(|sim| watch_rows(sim, w, cursor, limit))
}

fn watch_rows(sim: &mut Sim, w: &Watch, mut cursor: usize, limit: u64) -> String {
    let deadline = sim.now().saturating_add(limit);
    let mut out = String::new();
    loop {
        out.push_str(&collect_rows(sim, w, &mut cursor, None));
        match sim.next_due() {
            Some(t) if t <= deadline => sim.run_until(t),
            _ => return out,
        }
    }
}

/// The watch rows of the changes in the store's log from `cursor` on (and not after `until`), each formatted as of
/// the instant of its change.
fn collect_rows(sim: &Sim, w: &Watch, cursor: &mut usize, until: Option<Millis>) -> String {
    let mut out = String::new();
    // A watch keeps the log from being compacted, so nothing it has not read is gone; if it were, skip to what is left.
    *cursor = (*cursor).max(sim.cluster().store().watch_start());
    for e in sim.cluster().store().watch_since(*cursor) {
        if until.is_some_and(|u| e.at > u) {
            break;
        }
        *cursor += 1;
        let r = &e.object;
        if !w.kinds.contains(&r.kind)
            || w.namespace.as_ref().is_some_and(|ns| r.kind.namespaced() && *ns != r.namespace)
            || (!w.names.is_empty() && !w.names.contains(&r.name))
        {
            continue;
        }
        let Some(f) = e.snapshot.as_ref().and_then(|j| get::found_from_json(r.kind, j, e.at, w.wide)) else {
            continue;
        };
        let labels: Option<std::collections::BTreeMap<String, String>> =
            crate::manifest::decode::from_json(&f.json["metadata"]["labels"]).ok();
        if w.sel.matches(labels.as_ref()) {
            out.push_str(&get::watch_row(r.kind, &f, w.wide, w.multi, w.all_ns));
        }
    }
    out
}

/// `--record`'s deprecation (`cmd.Flags().MarkDeprecated("record", …)`).
pub(super) const RECORD_DEPRECATED: &str = "--record will be removed in the future";

const APPLY_FLAGS: &[Spec] = &[
    val("filename", Some('f')),
    dryrun::OUTPUT_FLAGS[0],
    dryrun::OUTPUT_FLAGS[1],
    dryrun::OUTPUT_FLAGS[2],
    dryrun::FLAG,
    flag("save-config", None),
    flag("record", None).deprecated(RECORD_DEPRECATED),
];

const CREATE_FLAGS: &[Spec] = APPLY_FLAGS;

fn read_file(name: &str, ctx: &Context<'_>) -> Result<(String, String), String> {
    if name == "-" {
        return ctx
            .stdin
            .map(|s| (s.to_string(), "STDIN".to_string()))
            .ok_or_else(|| "error: no objects passed to apply".into());
    }
    ctx.files.read(name).map(|t| (t, name.to_string())).map_err(|e| format!("error: {e}"))
}

fn apply(sim: &mut Sim, f: &Parsed, ctx: &Context<'_>, create: bool, line: &str) -> Output {
    let verb = if create { "create" } else { "apply" };
    let files = f.all("filename");
    if create && files.is_empty() {
        return create::generator(sim, f, ctx);
    }
    if files.is_empty() {
        return Output::err("error: must specify one of -f and -k");
    }
    if !f.args.is_empty() && !create {
        return usage_error(verb, &format!("Unexpected args: {:?}", f.args));
    }
    let mut out = Output::default();
    let dry = match dryrun::DryRun::parse(f, sim.now(), &mut out.warnings) {
        Ok(d) => d,
        Err(e) => return e,
    };
    let printer = match dryrun::Printer::parse(f, ctx) {
        Ok(p) => p,
        Err(e) => return e,
    };
    let ns = namespace(f);
    let mut count = 0;
    for name in files {
        let (text, source) = match read_file(name, ctx) {
            Ok(t) => t,
            Err(e) => return Output::err(e),
        };
        let cause = f.bool("record").then(|| record_cause(line, f));
        let one = match dry {
            dryrun::DryRun::Client => {
                let annotate = !create || f.bool("save-config");
                client_dry_run(sim, &text, &source, (create, annotate), &ns, f.has("namespace"), &printer, &mut count)
            }
            dryrun::DryRun::None | dryrun::DryRun::Server => {
                let mut copy = (dry == dryrun::DryRun::Server).then(|| sim.clone());
                let target = copy.as_mut().unwrap_or(sim);
                let live: Vec<Option<serde_json::Value>> = crate::manifest::read(&text, &source)
                    .docs
                    .iter()
                    .map(|d| {
                        d.object.as_ref().map(|o| {
                            get::object_json(target.cluster().store(), o.kind(), &api_namespace(o, &ns), o.name())
                        })
                    })
                    .collect();
                let mut report = if create && f.bool("save-config") {
                    target.create_manifest_saved(&text, &source, &ns, f.has("namespace"), cause.as_deref())
                } else {
                    target.send_manifest_in(&text, &source, create, &ns, f.has("namespace"), cause.as_deref())
                };
                if dry == dryrun::DryRun::Server {
                    for (r, before) in report.results.iter_mut().zip(live) {
                        match (r.outcome(), r.stored.as_mut()) {
                            (Some(crate::apply::Outcome::Created), Some(stored)) => create::dry_run_created(stored),
                            // A dry-run write changes no resourceVersion: the answer carries the live one.
                            (Some(_), Some(stored)) => {
                                stored["metadata"]["resourceVersion"] =
                                    before.map(|b| b["metadata"]["resourceVersion"].clone()).unwrap_or_default();
                            }
                            _ => {}
                        }
                    }
                }
                report_printed(&report, &printer, dry, &mut count)
            }
        };
        out.warnings.push_str(&one.warnings);
        out.stdout.push_str(&one.stdout);
        out.stderr.push_str(&one.stderr);
        if one.code != 0 {
            out.stderr.push_str(&manifest_hints(&text, &source, &one.stderr));
        }
        out.code = out.code.max(one.code);
    }
    out
}

/// The namespace a manifest's object goes to: its own, else the command's.
fn api_namespace(o: &crate::manifest::Object, ns: &str) -> String {
    if !o.kind().namespaced() {
        return String::new();
    }
    o.meta().namespace.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| ns.to_string())
}

/// `apply|create -f --dry-run=client`: nothing is sent. kubectl prints each object as it read it (its namespace
/// filled in; apply, and create with `--save-config`, add the last-applied annotation), or, for an object apply would
/// patch, the live object — `configured (dry run)` whether or not anything would change.
#[allow(clippy::too_many_arguments)]
fn client_dry_run(
    sim: &Sim,
    text: &str,
    source: &str,
    (create, annotate): (bool, bool),
    ns: &str,
    enforce: bool,
    printer: &dryrun::Printer,
    count: &mut usize,
) -> Output {
    let m = crate::manifest::read(text, source);
    let mut out = Output::default();
    for d in &m.stream {
        out.fail(&errors::doc_failure(&crate::apply::DocFailure::Stream(d.message.clone()), source, create));
    }
    for doc in &m.docs {
        if let Some(e) = &doc.error {
            let why = crate::apply::DocFailure::Manifest { error: e.clone(), existed: false };
            out.fail(&errors::doc_failure(&why, source, create));
            continue;
        }
        let Some(o) = &doc.object else { continue };
        let obj_ns = api_namespace(o, ns);
        if let Some(own) = o.meta().namespace.as_ref().filter(|n| enforce && !n.is_empty() && *n != ns) {
            let why = crate::apply::DocFailure::NamespaceMismatch { own: own.clone(), given: ns.to_string() };
            out.fail(&errors::doc_failure(&why, source, create));
            continue;
        }
        let what = format!("{}/{}", o.kind().printed(), o.name());
        let live = get::object_json(sim.cluster().store(), o.kind(), &obj_ns, o.name());
        let (shown, done) = if !create && !live.is_null() {
            (live, "configured")
        } else {
            let mut v = o.to_json();
            if o.kind().namespaced() {
                v["metadata"]["namespace"] = serde_json::Value::String(obj_ns);
            }
            if annotate {
                crate::apply::set_last_applied(&mut v);
            }
            (v, "created")
        };
        let one = printer.print(&shown, &what, done, dryrun::DryRun::Client, false, *count);
        *count += 1;
        out.stdout.push_str(&one.stdout);
        out.stderr.push_str(&one.stderr);
        out.code = out.code.max(one.code);
    }
    out
}

/// The lines kubeplay adds after kubectl's own output (never instead of it), marked as its own so that `kubeplay run
/// --no-hints` and the terminal's setting can drop them: a line that starts with [`HINT_PREFIX`], or ends with
/// [`HINT_SUFFIX`].
pub const HINT_PREFIX: &str = "kubeplay hint: ";
pub const HINT_SUFFIX: &str = "(a kubeplay hint; kubectl has none)";

/// `text` without kubeplay's hint lines: what real kubectl prints.
pub fn without_hints(text: &str) -> String {
    text.split_inclusive('\n')
        .filter(|l| {
            let l = l.trim_end_matches('\n');
            !(l.starts_with(HINT_PREFIX) || l.ends_with(HINT_SUFFIX))
        })
        .collect()
}

/// For a manifest the server refused: where in the text each error kubectl `printed` is, and what to do, as the
/// editor marks it (`kubeplay hint: STDIN:6:3: unknown field "spec.replica"; did you mean "replicas"?`). Only the
/// errors kubectl reported get a hint, so a hint never names a problem the server did not.
fn manifest_hints(text: &str, source: &str, printed: &str) -> String {
    crate::manifest::read(text, source)
        .diagnostics()
        .iter()
        .filter(|d| d.severity == crate::manifest::Severity::Error && printed.contains(&d.message))
        .map(|d| {
            let fix = d.suggestion.as_ref().map(|s| format!("; {s}")).unwrap_or_default();
            format!("{HINT_PREFIX}{source}:{}:{}: {}{fix}\n", d.span.start.line, d.span.start.col, d.message)
        })
        .collect()
}

/// What kubectl prints for a manifest it sent: a line per object on standard output (`deployment.apps/web
/// created`), the server's warnings and each document's failure on standard error, and exit code 1 if any failed.
pub fn report_output(report: &crate::apply::Report) -> Output {
    report_printed(report, &dryrun::Printer::Done, dryrun::DryRun::None, &mut 0)
}

/// [`report_output`] with `-o` and `--dry-run`: each object the server answered with, printed by `printer`.
fn report_printed(
    report: &crate::apply::Report,
    printer: &dryrun::Printer,
    dry: dryrun::DryRun,
    count: &mut usize,
) -> Output {
    use crate::apply::{Outcome, Warning};
    let mut out = Output::default();
    for r in &report.results {
        for w in &r.warnings {
            match (w, &r.object) {
                (Warning::MissingLastApplied, Some(obj)) => out.warnings.push_str(&format!(
                    "Warning: resource {}/{} is missing the {} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n",
                    obj.kind.plural(),
                    obj.name,
                    crate::manifest::merge::LAST_APPLIED
                )),
                (Warning::MissingLastApplied, None) => {}
                (Warning::Server(text), _) => out.warnings.push_str(&format!("Warning: {text}\n")),
            }
        }
        match (&r.result, &r.object) {
            (Ok(outcome), Some(obj)) => {
                let word = match outcome {
                    Outcome::Created => "created",
                    Outcome::Configured => "configured",
                    Outcome::Unchanged => "unchanged",
                };
                let what = format!("{}/{}", obj.kind.printed(), obj.name);
                let shown = r.stored.clone().unwrap_or_default();
                let one = printer.print(&shown, &what, word, dry, false, *count);
                *count += 1;
                out.stdout.push_str(&one.stdout);
                out.stderr.push_str(&one.stderr);
                out.code = out.code.max(one.code);
            }
            (Ok(_), None) => {}
            (Err(why), _) => {
                out.fail(&errors::doc_failure(why, &report.source, report.create));
            }
        }
    }
    out
}

const DELETE_FLAGS: &[Spec] = &[
    val("filename", Some('f')),
    dryrun::FLAG,
    val("output", Some('o')),
    val("selector", Some('l')),
    flag("all", None),
    val("cascade", None),
    flags::int("grace-period", None, 64),
    flag("force", None),
    flag("now", None),
    flag("wait", None),
    flag("ignore-not-found", None),
];

fn delete(sim: &mut Sim, f: &Parsed, ctx: &Context<'_>) -> Output {
    let ns = namespace(f);
    let mut dry_warnings = String::new();
    let dry = match dryrun::DryRun::parse(f, sim.now(), &mut dry_warnings) {
        Ok(d) => d,
        Err(e) => return e,
    };
    // `delete -o name` prints names; other formats are not delete's.
    let printer = match f.get("output") {
        None | Some("") => dryrun::Printer::Done,
        Some("name") => dryrun::Printer::Name,
        Some(o) => {
            return Output::err(format!(
                "error: unexpected -o output mode: {o:?}, the flag 'output' must be one of yaml|wide|name"
            ))
        }
    };
    let grace: Option<i64> = match f.get("grace-period").map(str::parse::<i64>).transpose() {
        Ok(g) => g.filter(|g| *g >= 0),
        Err(_) => return usage_error("delete", "invalid argument for \"--grace-period\" flag"),
    };
    let mut out_warning_force = false;
    // `--grace-period=0` means 1 unless `--force` is given; `--force` alone means 0 (`delete.go`).
    let force = f.bool("force");
    let grace = match (f.bool("now"), force, grace) {
        (true, _, _) => Some(1),
        (_, true, None) => Some(0),
        (_, false, Some(0)) => Some(1),
        (_, _, g) => g,
    };
    if force && grace == Some(0) {
        out_warning_force = true;
    }
    let cascade =
        match f.get("cascade").unwrap_or("background") {
            "background" | "true" => crate::cluster::Propagation::Background,
            "foreground" => return Output::err(
                "error: kubeplay simulates background and orphan deletion; --cascade=foreground is not simulated yet",
            ),
            "orphan" | "false" => crate::cluster::Propagation::Orphan,
            other => {
                return Output::err(format!(
                    "error: invalid cascade value ({other}). Must be \"background\", \"foreground\", or \"orphan\""
                ))
            }
        };
    let mut refs: Vec<(Kind, String, String)> = Vec::new();
    let mut out = Output::default();
    // Objects named by a file: errors say which file, as kubectl's do.
    let mut from_file: Option<String> = None;
    out.warnings.push_str(&dry_warnings);
    if out_warning_force {
        out.warnings.push_str("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n");
    }
    if let Some(file) = f.get("filename") {
        let (text, source) = match read_file(file, ctx) {
            Ok(t) => t,
            Err(e) => return Output::err(e),
        };
        let m = crate::manifest::read(&text, &source);
        from_file = Some(source.clone());
        for d in &m.docs {
            match (&d.object, &d.error) {
                (Some(o), None) => {
                    let obj_ns = o.meta().namespace.clone().unwrap_or_else(|| ns.clone());
                    refs.push((o.kind(), obj_ns, o.name().to_string()));
                }
                (_, Some(e)) => {
                    out.fail(&errors::manifest(e, &source, "deleting"));
                }
                _ => {}
            }
        }
    } else {
        if f.args.is_empty() {
            return Output::err(NO_RESOURCES);
        }
        let (targets, _) = match targets(&f.args) {
            Ok(t) => t,
            Err(e) => return Output::err(e.replace("to get", "to delete")),
        };
        let sel = match Selector::parse(f.get("selector").unwrap_or("")) {
            Ok(s) => s,
            Err(e) => return Output::err(format!("error: {e}")),
        };
        for (kind, names) in targets {
            if names.is_empty() && !f.bool("all") && sel.is_empty() {
                return Output::err("error: resource(s) were provided, but no name was specified");
            }
            let (mut found, missing) =
                get::find_kind(kind, sim.cluster().store(), Some(&ns), &names, &sel, sim.now(), get::View::Names);
            for m in missing {
                if dry == dryrun::DryRun::Client {
                    // A client dry run does not look: a named object is "deleted" whether or not it exists.
                    found.push(get::Found {
                        kind,
                        namespace: ns.clone(),
                        name: m,
                        labels: String::new(),
                        cells: Vec::new(),
                        json: serde_json::Value::Null,
                    });
                } else if !f.bool("ignore-not-found") {
                    out.fail(&errors::not_found(kind, &m));
                }
            }
            if found.is_empty() && names.is_empty() {
                out.stderr.push_str("No resources found\n");
            }
            refs.extend(found.into_iter().map(|x| (kind, x.namespace, x.name)));
        }
    }
    // The uids of what was deleted, to wait for (`--wait`, on by default: `delete.go` then waits until each object
    // is gone, so a pod's graceful shutdown passes before the command returns).
    let mut waiting_for: Vec<String> = Vec::new();
    // A server dry run deletes on a copy of the simulation; a client one deletes nothing.
    let mut scratch = (dry == dryrun::DryRun::Server).then(|| sim.clone());
    for (kind, obj_ns, name) in refs {
        let uid = crate::with_kind!(kind, T => sim.cluster().get::<T>(&ObjRef::new(kind, if kind.namespaced() { &obj_ns } else { "" }, &name)).and_then(|o| o.metadata.uid.clone()));
        let done = match (dry, scratch.as_mut()) {
            (dryrun::DryRun::Client, _) => Ok(()),
            (_, Some(copy)) => copy.delete_object(kind, &obj_ns, &name, cascade, grace),
            (_, None) => sim.delete_object(kind, &obj_ns, &name, cascade, grace),
        };
        match done {
            Ok(()) => {
                if dry == dryrun::DryRun::None {
                    waiting_for.extend(uid);
                }
                let line = match printer {
                    dryrun::Printer::Name => format!("{}/{name}", kind.printed()),
                    _ => {
                        let line = deleted(kind, &obj_ns, &name) + dry.suffix();
                        if out_warning_force {
                            line.replacen(" deleted", " force deleted", 1)
                        } else {
                            line
                        }
                    }
                };
                out.stdout.push_str(&line);
                out.stdout.push('\n');
            }
            Err(e) => {
                let line = match (&from_file, &e) {
                    (Some(source), OpError::Api(api)) if api.reason == Reason::NotFound => {
                        errors::check(&errors::with_source(api, "deleting", source))
                    }
                    _ => errors::op(&e, &name),
                };
                out.fail(&line);
            }
        }
    }
    if f.get("wait") != Some("false") && !waiting_for.is_empty() {
        if ctx.live {
            // In the page the command waits while the clock plays (the pods are seen shutting down); it returns
            // when the last one is gone, which a copy of the simulation finds out now. Ctrl+C stops the wait.
            let mut ahead = sim.clone();
            wait_until_gone(&mut ahead, &waiting_for);
            if ahead.now() > sim.now() {
                let until = ahead.now();
                out.pending =
                    Some(Box::new(Pending { until, stdout: String::new(), stderr: String::new(), code: out.code }));
            }
        } else {
            wait_until_gone(sim, &waiting_for);
        }
    }
    out
}

/// Plays virtual time until the object `kind`/`ns`/`name` is gone (`replace --force` waits for its delete).
fn wait_until_gone_named(sim: &mut Sim, kind: Kind, ns: &str, name: &str) {
    let uid = get::object_json(sim.cluster().store(), kind, ns, name)["metadata"]["uid"].as_str().map(str::to_string);
    wait_until_gone(sim, &uid.into_iter().collect::<Vec<_>>());
}

/// Plays virtual time, timer by timer, until no object with one of `uids` is left (at most a week, kubectl's
/// `--timeout=0`), as `delete --wait` watches for each deletion.
fn wait_until_gone(sim: &mut Sim, uids: &[String]) {
    let deadline = sim.now().saturating_add(crate::cluster::settings::MAX_SLEEP_MS);
    while uids.iter().any(|u| sim.cluster().store().by_uid(u).is_some()) {
        match sim.next_due() {
            Some(t) if t <= deadline => sim.run_until(t),
            _ => break,
        }
    }
}

/// kubectl 1.35's line for a deleted object: `pod "web-1" deleted from default namespace`, or
/// `node "n" deleted` for a cluster-scoped one.
pub fn deleted(kind: Kind, namespace: &str, name: &str) -> String {
    let what = kind.printed();
    if kind.namespaced() {
        format!("{what} \"{name}\" deleted from {namespace} namespace")
    } else {
        format!("{what} \"{name}\" deleted")
    }
}

const SCALE_FLAGS: &[Spec] = &[
    flags::int("replicas", None, 64).required(),
    flags::int("current-replicas", None, 64),
    flags::duration("timeout", None),
    dryrun::FLAG,
    dryrun::OUTPUT_FLAGS[0],
    dryrun::OUTPUT_FLAGS[1],
    dryrun::OUTPUT_FLAGS[2],
];

/// The resource builder's error when `TYPE/NAME` arguments are mixed with others.
const SEPARATE_TYPE: &str = "error: there is no need to specify a resource type as a separate argument when passing \
                             arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of \
                             'kubectl get resource resource/<resource_name>'";

/// The resource builder's error when a command names no resource (`kubectl delete`, `scale`, `expose`).
pub(super) const NO_RESOURCES: &str =
    "error: You must provide one or more resources by argument or filename.\nExample resource \
                            specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> \
                            <name>'\n   '<resource>'";

fn one_target(args: &[String], verb: &str) -> Result<(Kind, String), Output> {
    let (kind, name) = match args {
        [one] if one.contains('/') => {
            let (t, n) = one.split_once('/').unwrap_or_default();
            (t.to_string(), n.to_string())
        }
        [_, _] if args.iter().any(|a| a.contains('/')) => return Err(Output::err(SEPARATE_TYPE)),
        [t, n] => (t.clone(), n.clone()),
        // The rollout commands' own check; the others share the resource builder's.
        [] if verb.starts_with("rollout ") => return Err(Output::err("error: required resource not specified")),
        [] => return Err(Output::err(NO_RESOURCES)),
        _ => return Err(usage_error(verb, &format!("Unexpected args: {:?}", &args[1..]))),
    };
    let kind = resources::resolve(&kind).map_err(|w| Output::err(resources::unknown_type(&w)))?;
    Ok((kind, name))
}

fn scale(sim: &mut Sim, f: &Parsed, ctx: &Context<'_>) -> Output {
    let (kind, name) = match one_target(&f.args, "scale") {
        Ok(t) => t,
        Err(o) => return o,
    };
    // Required and parsed as an integer by the flag parser.
    let r = f.int("replicas").unwrap_or(0);
    let n = r.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32;
    if kind != Kind::Deployment {
        return Output::err(format!(
            "error: kubeplay scales deployments; {} are scaled by their Deployment",
            kind.plural()
        ));
    }
    let (dry, printer, warnings) = match dryrun::strategy(sim.now(), f, ctx) {
        Ok(s) => s,
        Err(e) => return e,
    };
    let ns = namespace(f);
    // kubectl prints the object as it read it before scaling (`-o yaml` shows the old replicas).
    let live = get::object_json(sim.cluster().store(), kind, &ns, &name);
    let done = match dry {
        dryrun::DryRun::Client if live.is_null() => {
            Err(crate::sim::OpError::Api(crate::cluster::store::ApiError::not_found(kind, &name)))
        }
        dryrun::DryRun::Client if n < 0 => Err(crate::sim::Refusal::NegativeReplicas.into()),
        dryrun::DryRun::Client => Ok(()),
        dryrun::DryRun::Server => sim.clone().scale(&ns, &name, n),
        dryrun::DryRun::None => sim.scale(&ns, &name, n),
    };
    let mut out = match done {
        Ok(()) => printer.print(&live, &format!("deployment.apps/{name}"), "scaled", dry, false, 0),
        Err(e) => Output::err(errors::op(&e, &name)),
    };
    out.warnings.insert_str(0, &warnings);
    out
}

/// `kubectl set image (TYPE NAME | TYPE/NAME) CONTAINER=IMAGE…`, with the deprecated `--record` that books still use.
fn set_image(sim: &mut Sim, f: &Parsed, ctx: &Context<'_>, rest: &[String], line: &str) -> Output {
    let (target, pairs): (Vec<String>, Vec<String>) = rest.iter().cloned().partition(|a| !a.contains('='));
    let (kind, name) = match one_target(&target, "set image") {
        Ok(t) => t,
        Err(o) => return o,
    };
    if kind != Kind::Deployment {
        return Output::err(format!("error: kubeplay sets images of deployments, not {}", kind.plural()));
    }
    if pairs.is_empty() {
        return Output::err("error: at least one image update is required");
    }
    let (dry, printer, warnings) = match dryrun::strategy(sim.now(), f, ctx) {
        Ok(s) => s,
        Err(e) => return e,
    };
    let ns = namespace(f);
    let live = get::object_json(sim.cluster().store(), kind, &ns, &name);
    if live.is_null() {
        return Output::err(errors::not_found(kind, &name));
    }
    let mut wanted = live.clone();
    for (container, image) in pairs.iter().map(|p| p.split_once('=').unwrap_or_default()) {
        let mut found = false;
        for c in wanted["spec"]["template"]["spec"]["containers"].as_array_mut().into_iter().flatten() {
            if c["name"] == container || container == "*" {
                found = true;
                c["image"] = serde_json::Value::String(image.to_string());
            }
        }
        if !found {
            return Output::err(errors::refusal(&crate::sim::Refusal::UnknownContainer(container.to_string()), &name));
        }
    }
    // `--record` writes the change-cause in the same patch: a new cause alone is a change too.
    if f.bool("record") {
        wanted["metadata"]["annotations"]["kubernetes.io/change-cause"] =
            serde_json::Value::String(record_cause(line, f));
    }
    let mut out = modify::send_template_change(
        sim,
        (kind, &name),
        &live,
        wanted,
        (dry, &printer),
        ("image updated", "image", ": "),
    );
    out.warnings.insert_str(0, &warnings);
    out
}

/// The change-cause `--record` writes (`parseCommandArguments` in cli-runtime's record flags): the program and
/// verb, the positional arguments in order, then every flag as typed, each as `--long-name=value`
/// (`kubectl apply --filename=x.yaml --record=true`).
fn record_cause(line: &str, f: &Parsed) -> String {
    let words = words::split(line).unwrap_or_default();
    let after = words.get(1..).unwrap_or_default();
    let (i, _) = find_verb(after);
    let mut parts: Vec<String> = vec!["kubectl".into()];
    parts.extend(after.get(i).cloned());
    parts.extend(f.args.iter().cloned());
    parts.extend(f.order.iter().map(|(long, value)| format!("--{long}={value}")));
    parts.join(" ")
}

const DESCRIBE_FLAGS: &[Spec] = &[val("selector", Some('l')), flag("all-namespaces", Some('A'))];

/// The API server's warning headers for deprecated kinds, as kubectl prints them on stderr.
fn deprecation_warnings(kinds: impl Iterator<Item = Kind>) -> String {
    let mut out = String::new();
    for k in kinds {
        if k == Kind::Endpoints {
            out.push_str("Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n");
        }
    }
    out
}

fn describe_cmd(sim: &Sim, f: &Parsed) -> Output {
    if f.args.is_empty() {
        return Output::err(
            "error: You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete \
             list of supported resources.",
        );
    }
    let (targets, _) = match targets(&f.args) {
        Ok(t) => t,
        Err(e) => return Output::err(e.replace("to get", "to describe")),
    };
    let ns = namespace(f);
    let mut out = Output::default();
    out.warnings.push_str(&deprecation_warnings(targets.iter().map(|(k, _)| *k)));
    let mut texts = Vec::new();
    let sel = match Selector::parse(f.get("selector").unwrap_or("")) {
        Ok(s) => s,
        Err(e) => return Output::err(format!("error: {e}")),
    };
    // `DescribeMatchingResources`: `describe TYPE NAME` with no object of that name describes every object of the
    // type whose name starts with NAME, each followed by a blank line.
    if let ([_, prefix], [(kind, _)]) = (f.args.as_slice(), targets.as_slice()) {
        let store = sim.cluster().store();
        let (exact, _) =
            get::find_kind(*kind, store, Some(&ns), std::slice::from_ref(prefix), &sel, sim.now(), get::View::Names);
        if exact.is_empty() {
            let (all, _) = get::find_kind(*kind, store, Some(&ns), &[], &sel, sim.now(), get::View::Names);
            for o in all.iter().filter(|o| o.name.starts_with(prefix.as_str())) {
                match describe_text(sim, *kind, &o.namespace, &o.name) {
                    Ok(Some(mut text)) => {
                        if !text.ends_with('\n') {
                            text.push('\n');
                        }
                        out.stdout.push_str(&text);
                        out.stdout.push('\n');
                    }
                    Ok(None) => {}
                    Err(e) => return e,
                }
            }
            if !out.stdout.is_empty() {
                return out;
            }
        }
    }
    for (kind, names) in targets {
        let store = sim.cluster().store();
        let (found, missing) = get::find_kind(kind, store, Some(&ns), &names, &sel, sim.now(), get::View::Names);
        for m in missing {
            out.fail(&errors::not_found(kind, &m));
        }
        for f in found {
            match describe_text(sim, kind, &f.namespace, &f.name) {
                Ok(text) => texts.extend(text),
                Err(e) => return e,
            }
        }
    }
    // describe.go: nothing found and nothing failed still says so.
    if texts.is_empty() && out.code == 0 {
        out.stderr.push_str(&no_resources(f.bool("all-namespaces"), &ns));
    }
    out.stdout = texts.join("\n\n");
    if !out.stdout.is_empty() && !out.stdout.ends_with('\n') {
        out.stdout.push('\n');
    }
    out
}

/// One object's description, `None` when it is not stored; an error for a kind kubeplay does not describe.
fn describe_text(sim: &Sim, kind: Kind, ns: &str, name: &str) -> Result<Option<String>, Output> {
    use crate::api;
    let store = sim.cluster().store();
    Ok(match kind {
        Kind::Deployment => store.get::<api::Deployment>(ns, name).map(|d| describe::deployment(sim, d)),
        Kind::ReplicaSet => store.get::<api::ReplicaSet>(ns, name).map(|rs| describe::replica_set(sim, rs)),
        Kind::Pod => store.get::<api::Pod>(ns, name).map(|p| describe::pod(sim, p)),
        Kind::Node => store.get::<api::Node>(ns, name).map(|n| describe::node(sim, n)),
        Kind::Service => store.get::<api::Service>(ns, name).map(|s| describe::service(sim, s)),
        Kind::Endpoints => store.get::<api::Endpoints>(ns, name).map(|e| describe::endpoints(sim, e)),
        other => {
            return Err(Output::err(format!(
                "error: kubeplay describes deployments, replicasets, pods, services, endpoints and nodes; describing {} is not built yet",
                other.plural()
            )))
        }
    })
}

/// `kubectl describe KIND NAME -n NAMESPACE` for one object, read-only: what the UI shows for a selected object.
pub fn describe_object(sim: &Sim, kind: Kind, namespace: &str, name: &str) -> Output {
    let ns = if kind.namespaced() { namespace } else { "" };
    match describe_text(sim, kind, ns, name) {
        Ok(Some(mut text)) => {
            if !text.ends_with('\n') {
                text.push('\n');
            }
            Output { warnings: deprecation_warnings(std::iter::once(kind)), ..Output::ok(text) }
        }
        Ok(None) => Output::err(errors::not_found(kind, name)),
        Err(e) => e,
    }
}

/// `kubectl get KIND NAME -n NAMESPACE -o yaml` for one object, read-only.
pub fn object_yaml(sim: &Sim, kind: Kind, namespace: &str, name: &str) -> Output {
    let ns = if kind.namespaced() { namespace } else { "" };
    let found =
        crate::with_kind!(kind, T => sim.cluster().store().get::<T>(ns, name).map(|o| crate::apply::printed(o, false)));
    match found {
        Some(yaml) => Output { warnings: deprecation_warnings(std::iter::once(kind)), ..Output::ok(yaml) },
        None => Output::err(errors::not_found(kind, name)),
    }
}
