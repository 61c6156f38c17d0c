//! Lessons: guided labs read from data files (`lessons/*.yaml`, the format is documented in `lessons/README.md`).
//!
//! A lesson is a sequence of steps; each step has text in Korean and English, may open files and offer a traffic
//! generator, lists the commands a learner would type, and has automatic checks ([`super::check`]) evaluated against
//! the simulated state at the playhead. Entering a step is an [`Action::EnterStep`], so a lesson's progress is part of
//! the recording: it rewinds with the run and travels in share links.
//!
//! Lesson files are untrusted text like any manifest: every problem is reported with the file, line and column.

use super::check::Check;
use super::fields::{fail_at, kind_word, string_of, Fail, Fields};
use super::{Action, Run, Source};
use crate::cluster::clock::Millis;
use crate::cluster::settings::{parse_duration, MAX_WORKERS};
use crate::cluster::Settings;
use crate::manifest::yaml::{self, Node, Value};
use crate::manifest::Pos;
use crate::sim::Sim;

include!(concat!(env!("OUT_DIR"), "/lessons.rs"));

/// The most steps in a lesson, commands in a step, and the longest wait a step may ask for.
pub const MAX_STEPS: usize = 50;
pub const MAX_COMMANDS: usize = 50;
pub const MAX_WAIT_MS: Millis = 30 * 60 * 1000;

/// A text in both languages (`i18n` picks one for the page's language).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text {
    pub en: String,
    pub ko: String,
}

/// One thing a step does for the learner when played: a terminal line, or letting virtual time pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Do {
    Command(String),
    Wait(Millis),
}

/// A traffic generator a step offers (the learner starts it with a button).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Traffic {
    pub source: Source,
    pub url: String,
    pub rate: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub title: Text,
    pub text: Text,
    /// Files written into the editor when the step begins (name, text).
    pub files: Vec<(String, String)>,
    pub traffic: Option<Traffic>,
    /// What a learner does: shown as commands to type, and played by the lesson tests.
    pub commands: Vec<Do>,
    /// How long the lesson tests let virtual time run after the commands before checking.
    pub wait: Millis,
    /// The checks' sentence ("3 pods of revision 2 are Ready").
    pub goal: Text,
    pub checks: Vec<Check>,
    /// What this step builds on from earlier steps: while one does not hold, the panel says so and offers to go
    /// back to the step that makes it hold.
    pub needs: Vec<Need>,
}

/// A need of the current step that does not hold: missing `now`, or missing when the step began (and the step has
/// not passed since).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmet {
    pub need: Need,
    pub miss: super::check::Miss,
    pub now: bool,
}

/// Something a step needs from an earlier one (`needs: [{step: 2, check: {traffic: {running: ">= 1"}}}]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Need {
    /// The earlier step that makes it hold (0-based here; 1-based in the file, as the panel numbers steps).
    pub step: usize,
    pub check: Check,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lesson {
    /// The file name without `.yaml`: the lesson's id in share links and saved progress.
    pub id: String,
    pub title: Text,
    pub summary: Text,
    pub settings: Settings,
    /// Files opened when the lesson starts.
    pub files: Vec<(String, String)>,
    pub steps: Vec<Step>,
}

/// A lesson file that could not be read: the file, where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonError {
    pub file: String,
    pub pos: Option<Pos>,
    pub message: String,
}

impl std::fmt::Display for LessonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.pos {
            Some(p) => write!(f, "lessons/{}:{}:{}: {}", self.file, p.line, p.col, self.message),
            None => write!(f, "lessons/{}: {}", self.file, self.message),
        }
    }
}

/// Every lesson file of the build, in order: each parsed, or the reason it could not be.
pub fn all() -> Vec<Result<Lesson, LessonError>> {
    LESSON_FILES.iter().map(|(file, text)| parse(file, text)).collect()
}

/// The lesson with this id, if it is one of the build's and it parses.
pub fn find(id: &str) -> Option<Lesson> {
    LESSON_FILES.iter().find(|(file, _)| file.strip_suffix(".yaml") == Some(id)).and_then(|(f, t)| parse(f, t).ok())
}

fn int(node: &Node, what: &str) -> Result<i64, Fail> {
    match &node.value {
        Value::Int(i) => Ok(*i),
        _ => Err(fail_at(node, format!("{what} must be a whole number, not {}", kind_word(node)))),
    }
}

fn seq<'a>(node: &'a Node, what: &str) -> Result<&'a [Node], Fail> {
    match &node.value {
        Value::Seq(items) => Ok(items),
        _ => Err(fail_at(node, format!("{what} must be a list, not {}", kind_word(node)))),
    }
}

fn duration(node: &Node, what: &str) -> Result<Millis, Fail> {
    let s = string_of(node, what)?;
    parse_duration(&s)
        .ok_or_else(|| fail_at(node, format!("{what} {s:?} is not a duration such as 10s, 1m30s or 500ms")))
}

fn text(node: &Node, what: &str) -> Result<Text, Fail> {
    let mut f = Fields::of(node, "a text")?;
    let mut side = |key: &str| -> Result<String, Fail> {
        let n = f.req(key)?;
        let s = string_of(n, what)?;
        if s.trim().is_empty() {
            return Err(fail_at(n, format!("{what} in {key:?} is empty")));
        }
        Ok(s.trim_end().to_string())
    };
    let (en, ko) = (side("en")?, side("ko")?);
    f.finish(&["en", "ko"])?;
    Ok(Text { en, ko })
}

fn files(node: &Node) -> Result<Vec<(String, String)>, Fail> {
    let Value::Map(entries) = &node.value else {
        return Err(fail_at(node, "files must be a mapping from file name to text"));
    };
    let mut out = Vec::new();
    for (k, v) in entries {
        if k.name.is_empty() || k.name.contains(['/', '\\', '\n']) || k.name.len() > 255 {
            return Err((Some(k.span.start), format!("{:?} is not a file name kubeplay accepts", k.name)));
        }
        out.push((k.name.clone(), string_of(v, "a file's text")?));
    }
    Ok(out)
}

fn settings(node: &Node) -> Result<Settings, Fail> {
    let mut s = Settings::default();
    let mut f = Fields::of(node, "settings")?;
    if let Some(n) = f.opt("seed") {
        s.seed = u64::try_from(int(n, "the seed")?).map_err(|_| fail_at(n, "the seed must not be negative"))?;
    }
    if let Some(n) = f.opt("workers") {
        let w = int(n, "workers")?;
        if !(1..=i64::from(MAX_WORKERS)).contains(&w) {
            return Err(fail_at(n, format!("workers must be between 1 and {MAX_WORKERS}")));
        }
        s.workers = w as u32;
    }
    if let Some(n) = f.opt("loadBalancer") {
        s.load_balancer_ms = match &n.value {
            Value::Bool(false) => None,
            Value::Bool(true) => s.load_balancer_ms,
            _ => Some(duration(n, "loadBalancer")?),
        };
    }
    if let Some(n) = f.opt("proxyDelay") {
        s.proxy_delay_ms = duration(n, "proxyDelay")?;
    }
    if let Some(n) = f.opt("timings") {
        let mut t = Fields::of(n, "timings")?;
        if let Some(n) = t.opt("pull") {
            s.timings.pull_ms = Some(duration(n, "pull")?);
        }
        if let Some(n) = t.opt("start") {
            s.timings.start_ms = duration(n, "start")?;
        }
        if let Some(n) = t.opt("warmup") {
            s.timings.warmup_ms = Some(duration(n, "warmup")?);
        }
        if let Some(n) = t.opt("stop") {
            s.timings.stop_ms = Some(duration(n, "stop")?);
        }
        t.finish(&["pull", "start", "warmup", "stop"])?;
    }
    f.finish(&["seed", "workers", "loadBalancer", "proxyDelay", "timings"])?;
    Ok(s)
}

fn traffic(node: &Node) -> Result<Traffic, Fail> {
    let mut f = Fields::of(node, "traffic")?;
    let from = f.opt("from").map(|n| string_of(n, "from")).transpose()?.unwrap_or_else(|| "workstation".into());
    let source = match from.strip_prefix("pod/") {
        Some(name) if !name.is_empty() => Source::Pod { namespace: "default".into(), name: name.into() },
        _ if from == "workstation" => Source::Workstation,
        _ => return Err(fail_at(node, format!("traffic from {from:?}: say workstation or pod/NAME"))),
    };
    let url = string_of(f.req("url")?, "url")?;
    let rate = f.opt("rate").map(|n| int(n, "rate")).transpose()?.unwrap_or(10);
    if !(1..=i64::from(crate::net::MAX_RATE)).contains(&rate) {
        return Err(fail_at(node, format!("rate must be between 1 and {}", crate::net::MAX_RATE)));
    }
    f.finish(&["from", "url", "rate"])?;
    Ok(Traffic { source, url, rate: rate as u32 })
}

/// A step, and its needs with where each names its step (checked against the step's place once all are read).
fn step(node: &Node) -> Result<(Step, Vec<(Pos, Need)>), Fail> {
    let mut f = Fields::of(node, "a step")?;
    let title = text(f.req("title")?, "the title")?;
    let body = text(f.req("text")?, "the text")?;
    let files = f.opt("files").map(files).transpose()?.unwrap_or_default();
    let traffic = f.opt("traffic").map(traffic).transpose()?;
    let mut commands = Vec::new();
    if let Some(n) = f.opt("commands") {
        let items = seq(n, "commands")?;
        if items.len() > MAX_COMMANDS {
            return Err(fail_at(n, format!("a step has at most {MAX_COMMANDS} commands")));
        }
        for item in items {
            commands.push(match &item.value {
                Value::Map(_) => {
                    let mut w = Fields::of(item, "a wait")?;
                    let ms = duration(w.req("wait")?, "wait")?;
                    w.finish(&["wait"])?;
                    Do::Wait(ms.min(MAX_WAIT_MS))
                }
                _ => Do::Command(string_of(item, "a command")?),
            });
        }
    }
    let wait = f.opt("wait").map(|n| duration(n, "wait")).transpose()?.unwrap_or(0);
    if wait > MAX_WAIT_MS {
        return Err(fail_at(node, "wait must be at most 30m"));
    }
    let goal = text(f.req("goal")?, "the goal")?;
    let mut needs = Vec::new();
    if let Some(n) = f.opt("needs") {
        for item in seq(n, "needs")? {
            let mut w = Fields::of(item, "a need")?;
            let step_node = w.req("step")?;
            let step = int(step_node, "step")?;
            if step < 1 {
                return Err(fail_at(step_node, "step counts from 1"));
            }
            needs.push((step_node.span.start, Need { step: step as usize - 1, check: Check::parse(w.req("check")?)? }));
            w.finish(&["step", "check"])?;
        }
    }
    let check_node = f.req("check")?;
    let mut checks = Vec::new();
    for item in seq(check_node, "check")? {
        checks.push(Check::parse(item)?);
    }
    if checks.is_empty() {
        return Err(fail_at(check_node, "a step needs at least one check"));
    }
    f.finish(&["title", "text", "files", "traffic", "commands", "wait", "goal", "needs", "check"])?;
    Ok((Step { title, text: body, files, traffic, commands, wait, goal, checks, needs: Vec::new() }, needs))
}

/// Reads one lesson file.
pub fn parse(file: &str, source: &str) -> Result<Lesson, LessonError> {
    let error = |(pos, message): Fail| LessonError { file: file.to_string(), pos, message };
    let mut diags = Vec::new();
    let docs = yaml::parse_stream(source, &mut diags);
    if let Some(d) = diags.iter().find(|d| d.severity == crate::manifest::Severity::Error) {
        return Err(error((Some(d.span.start), d.message.clone())));
    }
    let roots: Vec<&Node> = docs.iter().filter_map(|d| d.root.as_ref()).collect();
    let [root] = roots[..] else {
        return Err(error((None, format!("a lesson file holds one YAML document, not {}", roots.len()))));
    };
    let id = file.strip_suffix(".yaml").unwrap_or(file).to_string();
    (|| {
        let mut f = Fields::of(root, "a lesson")?;
        let title = text(f.req("title")?, "the title")?;
        let summary = text(f.req("summary")?, "the summary")?;
        let settings = f.opt("settings").map(settings).transpose()?.unwrap_or_default();
        let files = f.opt("files").map(files).transpose()?.unwrap_or_default();
        let steps_node = f.req("steps")?;
        let items = seq(steps_node, "steps")?;
        if items.is_empty() || items.len() > MAX_STEPS {
            return Err(fail_at(steps_node, format!("a lesson has between 1 and {MAX_STEPS} steps")));
        }
        let mut steps = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let (mut s, needs) = step(item)?;
            for (at, need) in needs {
                if need.step >= i {
                    return Err((Some(at), format!("a step needs only earlier steps (this is step {})", i + 1)));
                }
                s.needs.push(need);
            }
            steps.push(s);
        }
        f.finish(&["title", "summary", "settings", "files", "steps"])?;
        Ok(Lesson { id, title, summary, settings, files, steps })
    })()
    .map_err(error)
}

/// Where the current step began (the default, the run's start, outside a lesson).
fn since(run: &Run) -> super::check::Since {
    run.lesson.as_ref().map(|p| p.since.clone()).unwrap_or_default()
}

/// Where a run is in a lesson: the lesson, the step, and when the step began (request and command checks look only
/// at what happened since).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    pub lesson: String,
    pub step: u32,
    pub since: super::check::Since,
    /// The step's needs that did not hold when it began (each need's index in the step, and what was missing).
    pub missing_at_entry: Vec<(usize, super::check::Miss)>,
}

impl Lesson {
    /// A new run for the lesson, on its first step, with the lesson's files open.
    pub fn start(&self) -> Run {
        let mut run = Run::new(self.settings.clone());
        for (name, text) in &self.files {
            run.dispatch(Action::WriteFile { name: name.clone(), text: text.clone() });
        }
        self.enter(&mut run, 0);
        run
    }

    /// Moves the run to step `index`, opening the step's files.
    pub fn enter(&self, run: &mut Run, index: usize) {
        run.dispatch_all(self.entering(index));
    }

    /// What entering step `index` records: the step, then the files it opens. Nothing for a step that does not
    /// exist.
    pub fn entering(&self, index: usize) -> Vec<Action> {
        let Some(step) = self.steps.get(index) else { return Vec::new() };
        let files = step.files.iter().map(|(name, text)| Action::WriteFile { name: name.clone(), text: text.clone() });
        std::iter::once(Action::EnterStep { lesson: self.id.clone(), step: index as u32 }).chain(files).collect()
    }

    /// The step the run is on, if the run is in this lesson.
    pub fn current<'a>(&'a self, run: &Run) -> Option<(usize, &'a Step)> {
        let p = run.lesson.as_ref().filter(|p| p.lesson == self.id)?;
        self.steps.get(p.step as usize).map(|s| (p.step as usize, s))
    }

    /// Each check of the step the run is on: passed, or why not.
    pub fn evaluate(&self, run: &Run) -> Vec<Result<(), super::check::Miss>> {
        self.evaluate_on(run, &super::stage::stage(&run.sim))
    }

    /// [`Lesson::evaluate`] on a stage the caller already built from the run's simulation.
    pub fn evaluate_on(&self, run: &Run, stage: &super::stage::Stage) -> Vec<Result<(), super::check::Miss>> {
        let Some((_, step)) = self.current(run) else { return Vec::new() };
        let since = since(run);
        step.checks.iter().map(|c| c.evaluate(run, stage, &since)).collect()
    }

    /// Each need of the current step (its index among the step's needs) that does not hold now, and what is missing.
    fn needs_missing_on(&self, run: &Run, stage: &super::stage::Stage) -> Vec<(usize, super::check::Miss)> {
        let Some((_, step)) = self.current(run) else { return Vec::new() };
        let since = since(run);
        step.needs
            .iter()
            .enumerate()
            .filter_map(|(i, n)| n.check.evaluate(run, stage, &since).err().map(|m| (i, m)))
            .collect()
    }

    /// The current step's needs that do not hold now: what entering a step records in
    /// [`Position::missing_at_entry`]. (A step without needs builds no stage.)
    pub fn needs_missing_now(&self, run: &Run) -> Vec<(usize, super::check::Miss)> {
        match self.current(run) {
            Some((_, step)) if !step.needs.is_empty() => self.needs_missing_on(run, &super::stage::stage(&run.sim)),
            _ => Vec::new(),
        }
    }

    /// The current step's needs that do not hold now, or did not when the step began while its checks still do
    /// not pass; each with what was missing.
    pub fn unmet_needs(&self, run: &Run) -> Vec<Unmet> {
        self.unmet_needs_on(run, &super::stage::stage(&run.sim))
    }

    /// [`Lesson::unmet_needs`] on a stage the caller already built.
    pub fn unmet_needs_on(&self, run: &Run, stage: &super::stage::Stage) -> Vec<Unmet> {
        let Some((_, step)) = self.current(run) else { return Vec::new() };
        let at_entry = run.lesson.as_ref().map_or(&[][..], |p| &p.missing_at_entry[..]);
        let now = self.needs_missing_on(run, stage);
        let mut passed = None;
        let mut out = Vec::new();
        for (i, need) in step.needs.iter().enumerate() {
            if let Some((_, miss)) = now.iter().find(|(n, _)| *n == i) {
                out.push(Unmet { need: need.clone(), miss: miss.clone(), now: true });
            } else if let Some((_, miss)) = at_entry.iter().find(|(n, _)| *n == i) {
                if !*passed.get_or_insert_with(|| self.passed_on(run, stage)) {
                    out.push(Unmet { need: need.clone(), miss: miss.clone(), now: false });
                }
            }
        }
        out
    }

    /// Rewinds the run to where it last entered step `index` of this lesson (its files open, nothing done yet), so
    /// the step can be done again; the learner's editor text is kept. With no such entry in the run (a link opened
    /// at a later step), it rewinds to the lesson's start and enters the step. False if the step does not exist.
    pub fn restart_step(&self, run: &mut Run, index: usize) -> bool {
        if index >= self.steps.len() {
            return false;
        }
        let applied = &run.log()[..run.applied()];
        let entered = applied.iter().rposition(|r| {
            matches!(&r.action, Action::EnterStep { lesson, step } if lesson == &self.id && *step as usize == index)
        });
        match entered {
            Some(at) => {
                run.rewind_to(at + self.entering(index).len());
                run.forget_future();
            }
            None => {
                let first = applied
                    .iter()
                    .position(|r| matches!(&r.action, Action::EnterStep { lesson, .. } if lesson == &self.id));
                run.rewind_to(first.map_or(0, |i| i + self.entering(0).len()));
                run.forget_future();
                self.enter(run, index);
            }
        }
        true
    }

    /// Whether every check of the current step passes.
    pub fn passed(&self, run: &Run) -> bool {
        self.passed_on(run, &super::stage::stage(&run.sim))
    }

    /// [`Lesson::passed`] on a stage the caller already built.
    pub fn passed_on(&self, run: &Run, stage: &super::stage::Stage) -> bool {
        let results = self.evaluate_on(run, stage);
        !results.is_empty() && results.iter().all(Result::is_ok)
    }

    /// Does what a learner does on the current step: starts its traffic, types its commands (filling placeholders
    /// from the cluster as it is then), and lets its wait pass.
    pub fn play_step(&self, run: &mut Run) -> Result<(), String> {
        let Some((_, step)) = self.current(run) else { return Err("the run is not in this lesson".into()) };
        let step = step.clone();
        if let Some(t) = &step.traffic {
            run.dispatch(t.action());
        }
        for d in &step.commands {
            match d {
                Do::Command(line) => {
                    let line = fill(line, &run.sim)?;
                    if let super::Outcome::Refused(why) = run.dispatch(Action::Command { line }) {
                        return Err(why);
                    }
                }
                Do::Wait(ms) => run.run_until(run.now() + ms),
            }
        }
        run.run_until(run.now() + step.wait);
        Ok(())
    }
}

impl Lesson {
    /// Plays the whole lesson as a learner would and checks it, as `cargo xtask test` and `kubeplay lesson FILE` do:
    /// before each step, a copy of the run that only lets the step's time pass must fail the step's checks (a check
    /// that cannot fail is a mistake); after the step's commands every check must pass. Returns the finished run, or
    /// what went wrong and where.
    pub fn verify(&self) -> Result<Run, String> {
        let mut run = self.start();
        for (i, step) in self.steps.iter().enumerate() {
            let at = format!("lessons/{}.yaml step {} ({})", self.id, i + 1, step.title.en);
            if i > 0 {
                self.enter(&mut run, i);
            }
            // A need must hold for a learner who did every earlier step, before the step and after it: the panel
            // must not send them back for nothing.
            let unmet = |run: &Run, when: &str| -> Result<(), String> {
                match self.unmet_needs(run).first() {
                    Some(u) => {
                        Err(format!("{at}: its need of step {} does not hold {when}: {}", u.need.step + 1, u.miss))
                    }
                    None => Ok(()),
                }
            };
            unmet(&run, "when it begins")?;
            let mut idle = run.clone();
            idle.run_until(idle.now() + step.wait.max(1_000));
            if self.evaluate(&idle).iter().all(Result::is_ok) {
                return Err(format!("{at}: the checks pass although the step was not done"));
            }
            self.play_step(&mut run).map_err(|e| format!("{at}: {e}"))?;
            unmet(&run, "after its commands")?;
            let failed: Vec<String> =
                self.evaluate(&run).into_iter().filter_map(Result::err).map(|m| m.to_string()).collect();
            if !failed.is_empty() {
                let typed: String =
                    run.transcript.iter().map(|e| format!("{}{}\n{}", e.prompt, e.line, e.output.combined())).collect();
                return Err(format!("{at}: {}\nthe terminal:\n{typed}", failed.join("; ")));
            }
        }
        Ok(run)
    }
}

impl Traffic {
    pub fn action(&self) -> Action {
        Action::StartTraffic { source: self.source.clone(), url: self.url.clone(), rate: self.rate }
    }
}

/// Fills a command's placeholders from the cluster: `{{pod SELECTOR}}` is the first (by name) Ready pod the label
/// selector picks, else the first such pod.
pub fn fill(line: &str, sim: &Sim) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find("}}").ok_or_else(|| format!("{line:?}: a {{{{ without }}}}"))?;
        let inner = after[..end].trim();
        let selector = inner.strip_prefix("pod ").ok_or_else(|| format!("{line:?}: unknown placeholder {inner:?}"))?;
        let sel = crate::kubectl::labels::Selector::parse(selector.trim())?;
        let mut pods: Vec<&crate::api::Pod> = sim
            .pods(super::stage::NAMESPACE)
            .into_iter()
            .filter(|p| p.metadata.deletion_timestamp.is_none() && sel.matches(p.metadata.labels.as_ref()))
            .collect();
        crate::util::sort_by_key(&mut pods, |p| (!crate::controllers::pods::is_ready(p), p.metadata.name.clone()));
        let pod = pods.first().ok_or_else(|| format!("no pod matches {selector:?} yet"))?;
        out.push_str(pod.metadata.name.as_deref().unwrap_or_default());
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}
