//! The lessons on screen: the picker (every lesson, with its saved progress; a lesson file that cannot be read is
//! listed with its error) and the lesson panel (the step's text, its commands with a "type it" button, its traffic,
//! the live check, previous/next). What a check means is `scenario::check`'s; this only shows it.

use super::storage;
use super::Change;
use crate::i18n::{progress, step_of, text, Msg};
use crate::scenario::lesson::{self, Do, Lesson, LessonError};
use crate::scenario::stage::Stage;
use crate::scenario::{Action, Run};
use std::rc::Rc;
use yew::prelude::*;

type Lessons = Rc<Vec<Result<Rc<Lesson>, LessonError>>>;

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
    // The list (and the saved progress it shows) only while it is open: the picker renders on every tick.
    let saved = if *open { storage::progress() } else { Default::default() };
    let items: Html = lessons()
        .iter()
        .filter(|_| *open)
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
    /// Whether the current step's checks pass ([`status`], which the app computes once per render).
    pub passed: bool,
}

#[function_component(LessonPanel)]
pub fn lesson_panel(props: &PanelProps) -> Html {
    let p = &props.run;
    let lang = p.lang;
    let t = |m| text(lang, m);
    let run = p.run.read();
    let lesson = current(&run);
    let at = lesson.as_ref().and_then(|l| l.current(&run).map(|(i, s)| (l, i, s)));
    let passed = props.passed;
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
                    }
                })
            };
            html! {
                <li class="lesson-command">
                    <code>{ shown }</code>
                    <button type="button" class="small" data-testid="lesson-type" {onclick}>{ t(Msg::TypeIt) }</button>
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
            <div class="lesson-text">{ for paragraphs(step.text.get(lang)) }</div>
            if !step.commands.is_empty() {
                <ul class="lesson-commands">{ commands }</ul>
            }
            { for traffic }
            <p class={classes!("lesson-check", if passed { "check-passed" } else { "check-pending" })}
                data-testid="lesson-check" data-passed={passed.to_string()} aria-live="polite">
                <span class="check-mark" aria-hidden="true">{ if passed { "✓" } else { "○" } }</span>
                <span class="visually-hidden">{ t(if passed { Msg::GoalMet } else { Msg::GoalNotYet }) }{ ": " }</span>
                { step.goal.get(lang) }
            </p>
            if passed && last {
                <p class="lesson-done" data-testid="lesson-done">{ t(Msg::LessonDone) }</p>
            }
            <div class="lesson-nav">
                <button type="button" disabled={index == 0} onclick={go(index.saturating_sub(1))}
                    data-testid="lesson-prev">{ t(Msg::PrevStep) }</button>
                <button type="button" disabled={last} class={classes!(passed.then_some("primary"))}
                    onclick={go(index + 1)} data-testid="lesson-next">{ t(Msg::NextStep) }</button>
            </div>
        </div>
    }
}

/// The lesson the run is in, the step, and whether the step's checks pass now (on the stage the app built).
pub fn status(run: &Run, stage: &Stage) -> Option<(String, usize, bool)> {
    let l = current(run)?;
    let (index, _) = l.current(run)?;
    Some((l.id.clone(), index, l.passed_on(run, stage)))
}

/// A step's text as paragraphs: blank lines separate them; single line breaks (the file's wrapping) are spaces.
fn paragraphs(text: &str) -> impl Iterator<Item = Html> + '_ {
    text.split("\n\n").filter(|p| !p.trim().is_empty()).map(|p| {
        let joined = p.split_whitespace().collect::<Vec<_>>().join(" ");
        html! { <p>{ joined }</p> }
    })
}
