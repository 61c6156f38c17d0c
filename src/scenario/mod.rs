//! Recorded runs: the cluster's settings plus every user action with the virtual time it happened at.
//!
//! The playground changes the simulation only by dispatching an [`Action`] to a [`Run`], which records it at the
//! current virtual time and applies it. Because the simulation is deterministic, the recording *is* the run: seeking
//! back rebuilds the cluster from the settings and replays the actions up to the chosen instant, and seeking forward
//! again replays the rest of the recording. A new action while the playhead is in the past discards the recorded
//! future (as typing after an undo does). Share links (issue 8) carry the same recording.

pub mod check;
pub mod export;
mod fields;
pub mod lesson;
pub mod link;
pub mod stage;

use crate::cluster::clock::Millis;
use crate::cluster::store::{Kind, ObjRef};
use crate::cluster::Settings;
use crate::kubectl::{self, Context, Files, Output, Terminal};
use crate::net::Origin;
use crate::sim::Sim;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The most actions a run records.
pub const MAX_ACTIONS: usize = 10_000;
/// The most editor files, and the largest one (bytes).
pub const MAX_FILES: usize = 50;
pub const MAX_FILE_BYTES: usize = 1024 * 1024;
/// The longest terminal line (bytes).
pub const MAX_LINE_BYTES: usize = 64 * 1024;
/// The longest a run may go on in virtual time (four hours): time stops there, so every run can be saved and shared
/// (a link replays up to its playhead, so this bounds the work opening one can ask for).
pub const MAX_RUN_MS: Millis = 4 * 60 * 60 * 1000;
/// The terminal lines a run keeps for display (the newest).
pub const MAX_TRANSCRIPT: usize = 2_000;

/// Where generated traffic starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Source {
    Workstation,
    Pod { namespace: String, name: String },
}

impl Source {
    fn origin(&self) -> Origin {
        match self {
            Source::Workstation => Origin::Workstation,
            Source::Pod { namespace, name } => Origin::Pod(ObjRef::new(Kind::Pod, namespace, name)),
        }
    }
}

/// Something the user did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Action {
    /// An editor tab now holds `text` (a new tab, or an edit).
    WriteFile { name: String, text: String },
    /// A tab was closed.
    RemoveFile { name: String },
    /// A terminal line (the Apply button sends `kubectl apply -f NAME`).
    Command { line: String },
    /// One controller round (the step button).
    Step,
    /// Ctrl+C in the terminal: a running `kubectl get -w` stops.
    Interrupt,
    /// A traffic generator starts: `rate` requests a second to `url`.
    StartTraffic { source: Source, url: String, rate: u32 },
    /// The generator with this id stops.
    StopTraffic { id: u32 },
    /// The learner is now on this step of this lesson (the lesson's checks look at what happened since).
    EnterStep { lesson: String, step: u32 },
}

/// An action and when it happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recorded {
    pub at: Millis,
    pub action: Action,
}

/// One terminal line and what it printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub at: Millis,
    /// The line's number in the run (the first line typed is 0).
    pub seq: u64,
    /// The prompt it was typed at (`$ `, or a container shell's).
    pub prompt: String,
    pub line: String,
    pub output: Output,
}

/// What dispatching an action did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// A terminal line's output.
    Printed(Output),
    /// A traffic generator started with this id.
    Started(u32),
    /// The action was refused, and not recorded.
    Refused(String),
}

/// The editor's files, as `kubectl apply -f NAME` reads them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tabs(pub BTreeMap<String, String>);

impl Files for Tabs {
    fn read(&self, name: &str) -> Result<String, String> {
        let name = name.strip_prefix("./").unwrap_or(name);
        self.0.get(name).cloned().ok_or_else(|| format!("the path {name:?} does not exist"))
    }
}

/// A run: the simulation as the recorded actions made it, at the playhead.
#[derive(Debug, Clone)]
pub struct Run {
    pub settings: Settings,
    /// Every recorded action, including those after the playhead (after a seek back).
    log: Vec<Recorded>,
    /// How many of `log` the simulation has applied.
    applied: usize,
    /// The latest instant the run has reached (the scrubber's end).
    horizon: Millis,
    sim: Sim,
    pub terminal: Terminal,
    pub files: Tabs,
    /// The terminal's lines so far (the newest [`MAX_TRANSCRIPT`]).
    pub transcript: Vec<Entry>,
    /// A `kubectl get -w` still watching: its rows are appended to the newest transcript entry as time runs, until
    /// its `--request-timeout`, Ctrl+C ([`Action::Interrupt`]) or the next terminal line.
    watch: Option<Box<kubectl::LiveWatch>>,
    /// A command still waiting in virtual time (a workstation curl's timeout): the rest of its output is appended
    /// to the newest transcript entry when the clock reaches it; Ctrl+C stops it, and a new line runs after it.
    pending: Option<Box<kubectl::Pending>>,
    /// The lesson step the run is on, since [`Action::EnterStep`].
    pub lesson: Option<lesson::Position>,
    /// How many terminal lines were typed.
    typed: u64,
    /// The files each terminal line's redirections wrote, by the line's index in `log` (kept across a rewind, so
    /// dropping the line keeps what it wrote, as the learner's own typing is kept).
    written: BTreeMap<usize, Vec<(String, String)>>,
    /// The terminal line that last wrote a file (its number, as [`Entry::seq`]) and the file: the editor opens it.
    pub last_written: Option<(u64, String)>,
}

impl Run {
    pub fn new(settings: Settings) -> Run {
        let sim = Sim::new(settings.clone());
        Run {
            settings,
            log: Vec::new(),
            applied: 0,
            horizon: 0,
            sim,
            terminal: Terminal::default(),
            files: Tabs::default(),
            transcript: Vec::new(),
            watch: None,
            pending: None,
            lesson: None,
            typed: 0,
            written: BTreeMap::new(),
            last_written: None,
        }
    }

    /// A run rebuilt from a recording, with its playhead at `at` (and the actions after it kept for seeking).
    /// Actions must be in time order; a recording that is not is refused.
    pub fn replay(settings: Settings, log: Vec<Recorded>, at: Millis) -> Result<Run, String> {
        if log.len() > MAX_ACTIONS {
            return Err(format!("kubeplay records at most {MAX_ACTIONS} actions in a run (a kubeplay limit)"));
        }
        if log.windows(2).any(|w| w[1].at < w[0].at) {
            return Err("the recorded actions are not in time order".into());
        }
        let mut run = Run::new(settings);
        run.horizon = log.last().map_or(0, |r| r.at).max(at);
        run.log = log;
        run.run_until(at);
        Ok(run)
    }

    /// The simulation at the playhead (to read; the run changes it only through [`Run::dispatch`], [`Run::run_until`]
    /// and [`Run::seek`]).
    pub fn sim(&self) -> &Sim {
        &self.sim
    }

    pub fn now(&self) -> Millis {
        self.sim.now()
    }

    /// The recording (every action, including those after the playhead).
    pub fn log(&self) -> &[Recorded] {
        &self.log
    }

    /// How many of the recorded actions the simulation has applied (fewer than the recording after a rewind).
    pub fn applied(&self) -> usize {
        self.applied
    }

    /// The scrubber's end: the latest instant the run reached.
    pub fn horizon(&self) -> Millis {
        self.horizon
    }

    /// Records actions that go together (a rename's write and remove; a lesson step and its files), in order,
    /// stopping at the first one refused. Returns that refusal, else the last action's outcome.
    pub fn dispatch_all(&mut self, actions: impl IntoIterator<Item = Action>) -> Outcome {
        let mut outcome = Outcome::Done;
        for action in actions {
            outcome = self.dispatch(action);
            if matches!(outcome, Outcome::Refused(_)) {
                break;
            }
        }
        outcome
    }

    /// Records an action at the current instant and applies it. Refused actions are not recorded.
    pub fn dispatch(&mut self, action: Action) -> Outcome {
        if let Err(why) = self.check(&action) {
            return Outcome::Refused(why);
        }
        // A new action in the past replaces the recorded future; what the learner wrote in that future is not lost.
        self.drop_future();
        self.horizon = self.now();
        self.log.push(Recorded { at: self.now(), action: action.clone() });
        self.applied += 1;
        self.apply(&action)
    }

    /// Drops the recorded actions after the playhead, keeping the editor's text: each file as the dropped future
    /// last wrote it is written again, now (a file the future removed stays). Rewinding moves the cluster back, never
    /// the learner's typing.
    fn drop_future(&mut self) {
        let mut latest: BTreeMap<&str, &str> = BTreeMap::new();
        let from = self.applied.min(self.log.len());
        for (i, r) in self.log[from..].iter().enumerate() {
            if let Action::WriteFile { name, text } = &r.action {
                latest.insert(name, text);
            }
            for (name, text) in self.written.get(&(from + i)).into_iter().flatten() {
                latest.insert(name, text);
            }
        }
        let rewrites: Vec<Action> = latest
            .into_iter()
            .filter(|(name, text)| self.files.0.get(*name).map(String::as_str) != Some(*text))
            .map(|(name, text)| Action::WriteFile { name: name.to_string(), text: text.to_string() })
            .collect();
        self.log.truncate(self.applied);
        let applied = self.applied;
        self.written.retain(|i, _| *i < applied);
        for action in rewrites {
            if self.check(&action).is_ok() {
                self.log.push(Recorded { at: self.now(), action: action.clone() });
                self.applied += 1;
                self.apply(&action);
            }
        }
    }

    fn check(&self, action: &Action) -> Result<(), String> {
        if self.applied >= MAX_ACTIONS {
            return Err(format!("kubeplay records at most {MAX_ACTIONS} actions in a run (a kubeplay limit)"));
        }
        self.check_file(action)
    }

    /// Whether the run can keep a file (its name, size, and the number of files).
    fn check_file(&self, action: &Action) -> Result<(), String> {
        match action {
            Action::WriteFile { name, text } => {
                if text.len() > MAX_FILE_BYTES {
                    return Err(format!("{name} is larger than {MAX_FILE_BYTES} bytes"));
                }
                if name.is_empty() || name.len() > 255 || name.contains(['/', '\\', '\n']) {
                    return Err(format!("{name:?} is not a file name kubeplay accepts"));
                }
                if !self.files.0.contains_key(name) && self.files.0.len() >= MAX_FILES {
                    return Err(format!("kubeplay keeps at most {MAX_FILES} files (a kubeplay limit)"));
                }
            }
            Action::Command { line } if line.len() > MAX_LINE_BYTES => {
                return Err(format!(
                    "kubeplay reads at most {MAX_LINE_BYTES} bytes of a terminal line (a kubeplay limit)"
                ));
            }
            Action::EnterStep { lesson, step } if lesson.len() > 255 || *step as usize >= lesson::MAX_STEPS => {
                return Err("no such lesson step".into());
            }
            _ => {}
        }
        Ok(())
    }

    fn apply(&mut self, action: &Action) -> Outcome {
        let outcome = self.apply_one(action);
        self.follow_watch();
        outcome
    }

    /// Whether a `kubectl get -w` is running in the terminal.
    pub fn watching(&self) -> bool {
        self.watch.is_some()
    }

    /// Whether a command is waiting in virtual time (a workstation curl's timeout).
    pub fn waiting(&self) -> bool {
        self.pending.is_some()
    }

    /// The data that transcript lines wait for and this build does not have yet (`Output::awaiting`: the browser
    /// fetches `kubectl explain`'s documentation the first time a line needs it).
    pub fn awaiting(&self) -> Vec<kubectl::Awaiting> {
        let mut out: Vec<kubectl::Awaiting> = Vec::new();
        for a in self.transcript.iter().filter_map(|e| e.output.awaiting) {
            if !a.loaded() && !out.contains(&a) {
                out.push(a);
            }
        }
        out
    }

    /// How many transcript lines are waiting for data (loaded or not): a change of it is a change of the terminal.
    pub fn awaiting_lines(&self) -> usize {
        self.transcript.iter().filter(|e| e.output.awaiting.is_some()).count()
    }

    /// Runs again the transcript lines that waited for data that is here now, and shows what they print. Only
    /// commands that change nothing wait for data (`kubectl explain`); they run on a copy of the simulation all the
    /// same, so filling them in can never change the run.
    pub fn fill_awaiting(&mut self) {
        if !self.transcript.iter().any(|e| e.output.awaiting.is_some_and(|a| a.loaded())) {
            return;
        }
        let mut scratch = self.sim.clone();
        let ctx = Context { files: &self.files, stdin: None, live: false };
        for entry in &mut self.transcript {
            if entry.output.awaiting.is_some_and(|a| a.loaded()) {
                entry.output = kubectl::run(&mut scratch, &entry.line, &ctx);
            }
        }
    }

    /// Ends the transcript lines that wait for `what` with `message` (the page could not fetch it), as an error.
    pub fn fail_awaiting(&mut self, what: kubectl::Awaiting, message: &str) {
        for entry in &mut self.transcript {
            if entry.output.awaiting == Some(what) {
                entry.output = Output { stderr: format!("{message}\n"), code: 1, ..Output::default() };
            }
        }
    }

    /// Appends the running watch's new rows, and a waiting command's output once its instant has come, to the
    /// newest transcript entry; ends the watch once its timeout has passed.
    fn follow_watch(&mut self) {
        if self.pending.as_ref().is_some_and(|p| self.sim.now() >= p.until) {
            if let (Some(p), Some(entry)) = (self.pending.take(), self.transcript.last_mut()) {
                entry.output.stdout.push_str(&p.stdout);
                entry.output.stderr.push_str(&p.stderr);
                entry.output.code = p.code;
            }
        }
        let Some(w) = self.watch.as_mut() else { return };
        let rows = w.rows(&self.sim);
        if let Some(entry) = self.transcript.last_mut() {
            entry.output.stdout.push_str(&rows);
        }
        if w.ended(self.sim.now()) {
            self.end_watch();
        }
    }

    /// Makes each file a line's redirection wrote (`> web.yaml`) an editor tab, as a shell writes the file; a file
    /// the run cannot keep (too many, too large) is bash's error on the line. The texts are kept beside the
    /// recording, so a rewind that drops the line keeps them as it keeps the learner's typing.
    fn keep_written(&mut self, output: &mut Output) {
        let mut kept = Vec::new();
        for (name, text) in std::mem::take(&mut output.files).into_vec() {
            let write = Action::WriteFile { name: name.clone(), text: text.clone() };
            match self.check_file(&write) {
                Ok(()) => {
                    self.files.0.insert(name.clone(), text.clone());
                    kept.push((name, text));
                }
                Err(why) => {
                    output.stderr.push_str(&format!("bash: {name}: {why}\n"));
                    output.code = 1;
                }
            }
        }
        if !kept.is_empty() {
            self.last_written = Some((self.typed, kept.last().map(|(n, _)| n.clone()).unwrap_or_default()));
            self.written.insert(self.applied.saturating_sub(1), kept.clone());
        }
        output.files = kept.into_boxed_slice();
    }

    fn end_watch(&mut self) {
        if self.watch.take().is_some() {
            self.sim.keep_watch_snapshots(false);
        }
    }

    fn apply_one(&mut self, action: &Action) -> Outcome {
        match action {
            Action::WriteFile { name, text } => {
                self.files.0.insert(name.clone(), text.clone());
                Outcome::Done
            }
            Action::RemoveFile { name } => {
                self.files.0.remove(name);
                Outcome::Done
            }
            Action::Command { line } => {
                // A new line ends a running watch, as Ctrl+C would have; a waiting command finishes first, as a
                // shell runs a line typed ahead after the foreground command.
                if let Some(until) = self.pending.as_ref().map(|p| p.until) {
                    self.sim.run_until(until);
                }
                self.follow_watch();
                self.end_watch();
                let at = self.now();
                let prompt = self.terminal.prompt(&self.sim);
                let mut output =
                    self.terminal.run(&mut self.sim, line, &Context { files: &self.files, stdin: None, live: true });
                self.keep_written(&mut output);
                self.watch = output.watch.take();
                self.pending = output.pending.take();
                self.transcript.push(Entry { at, seq: self.typed, prompt, line: line.clone(), output: output.clone() });
                self.typed += 1;
                if self.transcript.len() > MAX_TRANSCRIPT {
                    self.transcript.remove(0);
                }
                self.horizon = self.horizon.max(self.now());
                Outcome::Printed(output)
            }
            Action::Step => {
                self.sim.step();
                self.horizon = self.horizon.max(self.now());
                Outcome::Done
            }
            Action::StartTraffic { source, url, rate } => {
                match self.sim.start_traffic(source.origin(), url, *rate, 1_000) {
                    Ok(id) => Outcome::Started(id),
                    Err(e) => Outcome::Refused(e),
                }
            }
            Action::Interrupt => {
                let running = self.watch.is_some() || self.pending.is_some();
                self.follow_watch();
                self.end_watch();
                if self.pending.take().is_some() {
                    if let Some(entry) = self.transcript.last_mut() {
                        entry.output.stderr.push_str("^C\n");
                        entry.output.code = 130;
                    }
                }
                // With nothing else running, Ctrl+C stops the port forwards (the foreground kubectl port-forward).
                if !running {
                    self.sim.net.forwards.clear();
                }
                Outcome::Done
            }
            Action::StopTraffic { id } => {
                self.sim.stop_traffic(*id);
                Outcome::Done
            }
            Action::EnterStep { lesson, step } => {
                let since = check::Since {
                    at: self.now(),
                    events: self.sim.cluster().events().log.len(),
                    requests: self.sim.net.next_id(),
                    typed: self.typed,
                };
                self.lesson =
                    Some(lesson::Position { lesson: lesson.clone(), step: *step, since, missing_at_entry: Vec::new() });
                // What the step needs and did not have when it began: the panel keeps saying so until the step
                // passes, even if the need holds later (traffic started after a rollout it should have watched).
                if let Some(l) = lesson::find(lesson) {
                    let missing = l.needs_missing_now(self);
                    if let Some(p) = self.lesson.as_mut() {
                        p.missing_at_entry = missing;
                    }
                }
                Outcome::Done
            }
        }
    }

    /// Plays time forward to `at` (at most [`MAX_RUN_MS`]), applying the recorded actions due by then at their
    /// instants.
    pub fn run_until(&mut self, at: Millis) {
        let at = at.min(MAX_RUN_MS);
        while self.log.get(self.applied).is_some_and(|r| r.at <= at) {
            self.apply_next();
        }
        if at > self.now() {
            self.sim.run_until(at);
        }
        self.follow_watch();
        self.horizon = self.horizon.max(self.now());
    }

    /// Moves the playhead back to just after the first `count` recorded actions (at the instant of the last of
    /// them), rebuilding from the recording; the actions after it stay recorded until the next action replaces them
    /// (and the editor keeps what they wrote, as with any rewind).
    pub fn rewind_to(&mut self, count: usize) {
        self.start_over();
        while self.applied < count.min(self.log.len()) {
            self.apply_next();
        }
    }

    /// Plays time to the next recorded action's instant and applies it.
    fn apply_next(&mut self) {
        let Some(next) = self.log.get(self.applied).cloned() else { return };
        if next.at > self.now() {
            self.sim.run_until(next.at);
        }
        self.follow_watch();
        self.applied += 1;
        self.apply(&next.action);
    }

    /// Back to a new run at instant 0 with the same settings, recording and horizon, nothing applied yet.
    fn start_over(&mut self) {
        let log = std::mem::take(&mut self.log);
        let written = std::mem::take(&mut self.written);
        let horizon = self.horizon;
        *self = Run::new(self.settings.clone());
        self.log = log;
        self.written = written;
        self.horizon = horizon;
    }

    /// Forgets the recorded actions after the playhead (a step restarted: they must not replay), keeping the editor's
    /// text as the dropped future last wrote it.
    pub fn forget_future(&mut self) {
        self.drop_future();
        self.horizon = self.now();
    }

    /// Moves the playhead to `at`: forward by playing, back by rebuilding from the recording.
    pub fn seek(&mut self, at: Millis) {
        if at >= self.now() {
            self.run_until(at);
            return;
        }
        let horizon = self.horizon;
        self.start_over();
        self.run_until(at);
        self.horizon = horizon;
    }
}

/// `kubectl apply -f NAME`, the editor's Apply button.
pub fn apply_command(file: &str) -> Action {
    Action::Command { line: format!("kubectl apply -f {}", kubectl::words::join(&[file.to_string()])) }
}

/// The learner's first example, which the page opens on: a 3-replica `my-nginx-deployment` on nginx:1.10.
pub const LANDING_FILE: &str = "my-nginx-deployment.yaml";
pub const LANDING_YAML: &str = include_str!("examples/my-nginx-deployment.yaml");
/// What the landing page suggests trying first.
pub const LANDING_HINT: &str = "kubectl set image deployment my-nginx-deployment nginx=nginx:1.11";

/// The landing run: the example in an editor tab, applied through the terminal at time 0 (so the learner sees the
/// command, and a rewind to the start replays it).
pub fn landing(settings: Settings) -> Run {
    let mut run = Run::new(settings);
    open_landing(&mut run);
    run
}

/// The landing example's two actions on a new run: its file written, then applied. (`landing` in two steps, for a
/// page that spreads its start over several tasks.)
pub fn open_landing(run: &mut Run) {
    run.dispatch(Action::WriteFile { name: LANDING_FILE.into(), text: LANDING_YAML.into() });
    run.dispatch(apply_command(LANDING_FILE));
}
