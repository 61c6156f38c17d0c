//! The lessons on screen: the picker (every lesson, with its saved progress; a lesson file that cannot be read is
//! listed with its error) and the lesson panel (the step's text, its commands with a "type it" button, its traffic,
//! the live check, previous/next). What a check means is `scenario::check`'s; this only shows it.

use super::storage;
use super::Change;
use crate::i18n::{progress, step_of, text, Msg};
use crate::scenario::check::Miss;
use crate::scenario::lesson::{self, Do, Lesson, LessonError};
use crate::scenario::stage::Stage;
use crate::scenario::{Action, Run};
use std::rc::Rc;
use yew::prelude::*;

type Lessons = Rc<Vec<Result<Rc<Lesson>, LessonError>>>;

/// How many of the step's latest responses the lesson's strip shows.
const STRIP: usize = 40;

thread_local! {
    static LESSONS: Lessons = Rc::new(lesson::all().into_iter().map(|l| l.map(Rc::new)).collect());
}

/// The build's lessons, read once.
pub fn lessons() -> Lessons {
    LESSONS.with(Rc::clone)
}

/// The lesson a run is in (shared, not copied: the app asks on every render).
pub fn current(run: &Run) -> Option<Rc<Lesson>> {
    let id = &run.lesson.as_ref()?.lesson;
    lessons().iter().flatten().find(|l| &l.id == id).cloned()
}

#[derive(Properties, Clone, PartialEq)]
pub struct PickerProps {
    /// The run, keyed so the picker renders again when progress may have changed.
    pub run: super::RunProps,
}

#[function_component(Picker)]
pub fn picker(props: &PickerProps) -> Html {
    let t = |m| text(props.run.lang, m);
    let open = use_state(|| false);
    // The list (and the saved progress it shows) only while it is open: the picker renders on every tick, and the
    // lessons are parsed the first time the list opens, not while the page starts.
    let saved = if *open { storage::progress() } else { Default::default() };
    let all = if *open { lessons() } else { Rc::default() };
    let items: Html = all
        .iter()
        .map(|l| match l {
            Ok(l) => {
                let done = saved.get(&l.id).copied().unwrap_or(0) as usize;
                let onclick = {
                    let (l, run, open) = (l.clone(), props.run.clone(), open.clone());
                    Callback::from(move |_| {
                        open.set(false);
                        run.send(Change::StartLesson(Box::new(l.start())));
                    })
                };
                html! {
                    <li data-testid="lesson-item" data-lesson={l.id.clone()}>
                        <button type="button" class="lesson-choice" {onclick}>
                            <span class="lesson-name">{ l.title.get(props.run.lang) }</span>
                            <span class={classes!("lesson-progress", (done >= l.steps.len()).then_some("lesson-complete"))}>
                                { progress(props.run.lang, done.min(l.steps.len()), l.steps.len()) }
                            </span>
                            <span class="lesson-summary">{ l.summary.get(props.run.lang) }</span>
                        </button>
                    </li>
                }
            }
            Err(e) => html! {
                <li data-testid="lesson-item" class="lesson-broken">
                    <span>{ t(Msg::LessonBroken) }</span><code>{ e.to_string() }</code>
                </li>
            },
        })
        .collect();
    let toggle = {
        let open = open.clone();
        Callback::from(move |_| open.set(!*open))
    };
    let onkeydown = {
        let open = open.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                open.set(false);
            }
        })
    };
    html! {
        <div class="lesson-picker" {onkeydown}>
            <button type="button" class="toolbar-button" aria-expanded={open.to_string()} aria-controls="lesson-list"
                data-testid="lessons" onclick={toggle}>{ t(Msg::Lessons) }{ " ▾" }</button>
            if *open {
                <ol id="lesson-list" class="lesson-list popover">{ items }</ol>
            }
        </div>
    }
}

#[derive(Properties, Clone, PartialEq)]
pub struct PanelProps {
    pub run: super::RunProps,
    /// How the current step's checks and needs stand ([`status`], which the app computes once per render on the
    /// stage it draws); `None` outside a lesson.
    pub status: Option<Rc<Status>>,
}

#[function_component(LessonPanel)]
pub fn lesson_panel(props: &PanelProps) -> Html {
    let p = &props.run;
    let lang = p.lang;
    let t = |m| text(lang, m);
    let run = p.run.read();
    let lesson = current(&run);
    let at = lesson.as_ref().and_then(|l| l.current(&run).map(|(i, s)| (l, i, s)));
    let passed = props.status.as_ref().is_some_and(|s| s.passed());
    let (results, unmet) = match props.status.as_deref() {
        Some(s) => (&s.results[..], &s.unmet[..]),
        None => (&[][..], &[][..]),
    };
    let Some((l, index, step)) = at else {
        return html! { <p class="empty" data-testid="lesson-none">{ t(Msg::NoLesson) }</p> };
    };
    let last = index + 1 == l.steps.len();
    let commands: Html = step
        .commands
        .iter()
        .filter_map(|d| match d {
            Do::Command(line) => Some(line),
            Do::Wait(_) => None,
        })
        .map(|line| {
            let shown =
                lesson::fill(line, run.sim()).unwrap_or_else(|_| line.replace("{{pod ", "<pod ").replace("}}", ">"));
            let onclick = {
                let (p, line) = (p.clone(), line.clone());
                Callback::from(move |_| {
                    let filled = lesson::fill(&line, p.run.read().sim());
                    if let Ok(line) = filled {
                        p.record(Action::Command { line });
                        show_terminal();
                    }
                })
            };
            html! {
                <li class="lesson-command">
                    <code>{ shown }</code>
                    <button type="button" class="small" data-testid="lesson-type" {onclick}>{ t(Msg::RunIt) }</button>
                </li>
            }
        })
        .collect();
    let traffic = step.traffic.as_ref().map(|tr| {
        let onclick = {
            let (p, action) = (p.clone(), tr.action());
            Callback::from(move |_| {
                p.record(action.clone());
            })
        };
        html! {
            <p class="lesson-traffic">
                <code>{ format!("{} → {} · {}/s", match &tr.source { crate::scenario::Source::Workstation => "workstation".to_string(), crate::scenario::Source::Pod { name, .. } => format!("pod/{name}") }, tr.url, tr.rate) }</code>
                <button type="button" class="small" data-testid="lesson-traffic" {onclick}>{ t(Msg::StartThisTraffic) }</button>
            </p>
        }
    });
    // Traffic in the lesson itself, when the step is about requests: what answered and what failed since the step
    // began (the Traffic tab keeps the totals).
    let about_requests =
        step.traffic.is_some() || step.checks.iter().any(|c| matches!(c, crate::scenario::check::Check::Requests(_)));
    let live = about_requests.then(|| {
        let since = run.lesson.as_ref().map_or(0, |p| p.since.requests);
        let records: Vec<&crate::net::Record> = run.sim().net.records.iter().filter(|r| r.id >= since).collect();
        let mut revisions = std::collections::BTreeMap::<Option<i64>, u64>::new();
        let mut failures = std::collections::BTreeMap::<crate::net::Failure, u64>::new();
        for r in &records {
            match r.outcome {
                crate::net::Outcome::Status(_) => *revisions.entry(r.revision).or_default() += 1,
                crate::net::Outcome::Failed(f) => *failures.entry(f).or_default() += 1,
            }
        }
        let counts = revisions
            .iter()
            .map(|(rev, n)| {
                html! { <li data-testid="lesson-answered" data-revision={super::panels::rev_text(*rev)}>
                <span class={classes!("swatch", super::stage::revision_class(*rev))}></span>
                { format!("rev {}: {n}", super::panels::rev_text(*rev)) }</li> }
            })
            .chain(failures.iter().map(|(f, n)| {
                html! { <li data-testid="lesson-failed" class="outcome-failed"><span class="swatch resp-failed"></span>
                { format!("{}: {n}", crate::i18n::failure_label(lang, *f)) }</li> }
            }));
        let strip = super::panels::response_strip(lang, records.iter().rev().take(STRIP).rev().copied());
        html! {
            <div class="lesson-live" data-testid="lesson-traffic-live">
                <h5 class="section-title">{ t(Msg::SinceThisStep) }</h5>
                if records.is_empty() {
                    <p class="hint-text">{ t(Msg::NoRequestsYet) }</p>
                } else {
                    <ul class="lesson-counts">{ for counts }</ul>
                    <ul class="strip" aria-hidden="true">{ strip }</ul>
                }
            </div>
        }
    });
    // What this step builds on that is missing now, and the way back to the step that makes it.
    let needs = unmet.iter().map(|u| {
        let onclick = {
            let (p, to) = (p.clone(), u.need.step);
            Callback::from(move |_| p.send(Change::RestartStep(to)))
        };
        html! {
            <div class="lesson-need" data-testid="lesson-need" role="status">
                <p>{ crate::i18n::needs_text(lang, u.need.step + 1, &crate::i18n::check_condition(lang, &u.need.check),
                    &crate::i18n::check_miss(lang, &u.miss), u.now) }</p>
                <button type="button" class="small" data-testid="lesson-need-fix" {onclick}>
                    { crate::i18n::redo_step(lang, u.need.step + 1) }</button>
            </div>
        }
    });
    let restart = {
        let p = p.clone();
        Callback::from(move |_| p.send(Change::RestartStep(index)))
    };
    let go = |to: usize| {
        let (p, l) = (p.clone(), l.clone());
        Callback::from(move |_| {
            p.send(Change::Record { actions: l.entering(to), reply: None });
        })
    };
    html! {
        <div class="lesson" data-testid="lesson" data-lesson={l.id.clone()} data-step={index.to_string()}>
            <h3 class="lesson-title">{ l.title.get(lang) }</h3>
            <p class="lesson-step-of">{ step_of(lang, index + 1, l.steps.len()) }</p>
            <progress max={l.steps.len().to_string()} value={(index + usize::from(passed)).to_string()}
                aria-label={step_of(lang, index + 1, l.steps.len())}></progress>
            <h4 class="lesson-step-title">{ step.title.get(lang) }</h4>
            { for needs }
            <div class="lesson-text">{ for paragraphs(step.text.get(lang)) }</div>
            if !step.commands.is_empty() {
                <ul class="lesson-commands">{ commands }</ul>
            }
            { for traffic }
            { for live }
            <p class={classes!("lesson-check", if passed { "check-passed" } else { "check-pending" })}
                data-testid="lesson-check" data-passed={passed.to_string()} aria-live="polite">
                <span class="check-mark" aria-hidden="true">{ if passed { "✓" } else { "○" } }</span>
                <span class="visually-hidden">{ t(if passed { Msg::GoalMet } else { Msg::GoalNotYet }) }{ ": " }</span>
                { step.goal.get(lang) }
            </p>
            // Each condition of the check on its own line: a learner sees which half is missing, and what it is now.
            <ul class="lesson-conditions" data-testid="lesson-conditions">
                { for step.checks.iter().zip(results).map(|(check, result)| {
                    let met = result.is_ok();
                    html! {
                        <li class={classes!("lesson-condition", if met { "condition-met" } else { "condition-pending" })}
                            data-testid="lesson-condition" data-met={met.to_string()}>
                            <span class="check-mark" aria-hidden="true">{ if met { "✓" } else { "○" } }</span>
                            <span class="visually-hidden">{ t(if met { Msg::GoalMet } else { Msg::GoalNotYet }) }{ ": " }</span>
                            <span class="condition-text">{ crate::i18n::check_condition(lang, check) }</span>
                            if let Err(miss) = result {
                                <span class="condition-now" data-testid="lesson-condition-now">
                                    { crate::i18n::check_miss(lang, miss) }</span>
                            }
                        </li>
                    }
                }) }
            </ul>
            if passed && last {
                <p class="lesson-done" data-testid="lesson-done">{ t(Msg::LessonDone) }</p>
            }
            <div class="lesson-nav">
                <button type="button" disabled={index == 0} onclick={go(index.saturating_sub(1))}
                    data-testid="lesson-prev">{ t(Msg::PrevStep) }</button>
                <button type="button" onclick={restart} data-testid="lesson-restart-step"
                    title={t(Msg::RestartStepWhy)}>{ t(Msg::RestartStep) }</button>
                <button type="button" disabled={last} class={classes!(passed.then_some("primary"))}
                    onclick={go(index + 1)} data-testid="lesson-next">{ t(Msg::NextStep) }</button>
            </div>
        </div>
    }
}

/// Where a run is in its lesson, and how the step's checks stand.
#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    pub id: String,
    pub index: usize,
    pub results: Vec<Result<(), Miss>>,
    /// The step's needs that do not hold ([`Lesson::unmet_needs`]).
    pub unmet: Vec<lesson::Unmet>,
}

impl Status {
    pub fn passed(&self) -> bool {
        !self.results.is_empty() && self.results.iter().all(Result::is_ok)
    }
}

/// The lesson the run is in, the step, and each of its checks now (on the stage the app built).
pub fn status(run: &Run, stage: &Stage) -> Option<Status> {
    let l = current(run)?;
    let (index, _) = l.current(run)?;
    Some(Status { id: l.id.clone(), index, results: l.evaluate_on(run, stage), unmet: l.unmet_needs_on(run, stage) })
}

/// Brings the terminal into view (as little scrolling as it takes), so the output of a command the lesson ran is
/// seen: below the fold on a desktop, under the lesson on a phone.
fn show_terminal() {
    if let Some(terminal) = gloo::utils::document().get_element_by_id("terminal") {
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Nearest);
        terminal.scroll_into_view_with_scroll_into_view_options(&options);
    }
}

/// A step's text as paragraphs: blank lines separate them; single line breaks (the file's wrapping) are spaces.
fn paragraphs(text: &str) -> impl Iterator<Item = Html> + '_ {
    text.split("\n\n").filter(|p| !p.trim().is_empty()).map(|p| {
        let joined = p.split_whitespace().collect::<Vec<_>>().join(" ");
        html! { <p>{ joined }</p> }
    })
}
