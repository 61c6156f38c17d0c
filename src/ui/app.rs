//! The root component: the header, the timeline, and the regions of the screen (editor, stage, terminal, and the
//! side panels: events, history, traffic, settings). It owns the run and the player (playing, speed); a timer moves
//! virtual time while playing.

use super::RunProps;
use crate::cluster::Settings;
use crate::i18n::{summary, text, Lang, Msg};
use crate::scenario::{self, stage, Run};
use gloo::timers::callback::Interval;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// How often the player advances virtual time (real milliseconds): about once a frame.
const TICK_MS: u32 = 16;
/// A simulation step longer than this (real milliseconds) is drawn on the next tick.
const SPLIT_MS: f64 = 4.0;
/// The most real time one tick accounts for.
const MAX_TICK_MS: f64 = 250.0;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Lesson,
    Events,
    History,
    Traffic,
    Settings,
}

#[function_component(App)]
pub fn app() -> Html {
    let lang = use_state(super::initial_lang);
    // What the page opens: a share link in the fragment, else the saved run, else the landing example. The fragment
    // is cleared once read, so a reload restores the autosaved run (which carries on from the link).
    let boot = use_mut_ref(|| {
        let (run, origin, notice) = super::storage::start(&fragment());
        clear_fragment();
        (Some(run), origin, notice)
    });
    // The run: the simulation and its recording. Components change it only by dispatching actions.
    let run = use_state(|| {
        let first = boot.borrow_mut().0.take();
        Rc::new(RefCell::new(first.unwrap_or_else(|| scenario::landing(Settings::default()))))
    });
    let notice = use_state(|| boot.borrow().2.clone());
    let version = use_mut_ref(|| 0u64);
    let force = use_force_update();
    let on_change = {
        let (version, force) = (version.clone(), force.clone());
        Callback::from(move |()| {
            *version.borrow_mut() += 1;
            force.force_update();
        })
    };
    // The landing example plays at once; a restored run or an opened link shows its moment, paused.
    let playing = use_state(|| boot.borrow().1 == super::storage::Origin::Landing);
    let speed = use_state(|| 1.0f64);
    let side = use_state(|| if run.borrow().lesson.is_some() { Side::Lesson } else { Side::Events });
    let mounted = use_state(|| false);
    {
        let mounted = mounted.clone();
        use_effect_with((), move |_| {
            mounted.set(true);
            // For `cargo xtask bench-ui`: the time from navigation to the first rendered screen.
            if let Some(p) = gloo::utils::window().performance() {
                let _ = p.mark("app-ready");
            }
        });
    }
    use_effect_with(*lang, |lang| super::apply_lang_to_document(*lang));
    {
        // The player: while playing, a timer at about the frame rate moves virtual time by the real time since its
        // previous tick times the speed (small steps, so no frame waits long for the simulation). A tick after a
        // long pause (a background tab) moves at most MAX_TICK_MS of real time.
        let (run, on_change) = ((*run).clone(), on_change.clone());
        use_effect_with((*playing, (*speed * 100.0) as u64, Rc::as_ptr(&run) as usize), move |&(playing, speed, _)| {
            let interval = playing.then(|| {
                let mut last = now_ms();
                let mut carry = 0.0f64;
                // A tick whose simulation took long leaves the render to the next tick, so one frame never waits
                // for both.
                let mut render_next = false;
                Interval::new(TICK_MS, move || {
                    let t = now_ms();
                    let real = (t - last).clamp(0.0, MAX_TICK_MS);
                    last = t;
                    let exact = real * speed as f64 / 100.0 + carry;
                    if render_next {
                        render_next = false;
                        carry = exact;
                        mark("rendering");
                        on_change.emit(());
                        return;
                    }
                    let step = exact.floor();
                    carry = exact - step;
                    if step < 1.0 {
                        return;
                    }
                    mark("tick");
                    {
                        let mut r = run.borrow_mut();
                        let to = r.now() + step as u64;
                        r.run_until(to);
                    }
                    measure("simulate", "tick");
                    if now_ms() - t > SPLIT_MS {
                        render_next = true;
                        return;
                    }
                    mark("rendering");
                    on_change.emit(());
                })
            });
            move || drop(interval)
        });
    }
    {
        // Autosave: when the recording changes, the run is replaced, or every 5 s of virtual time (the playhead).
        // Not on the first render: opening the page writes nothing (a bad link must leave saved work as it was).
        let r = run.borrow();
        let key = (Rc::as_ptr(&*run) as usize, r.log().len(), r.applied(), r.now() / 5_000);
        let first = use_mut_ref(|| true);
        let (run, notice) = ((*run).clone(), notice.clone());
        use_effect_with(key, move |_| {
            if std::mem::take(&mut *first.borrow_mut()) {
                return;
            }
            match super::storage::save(&run.borrow()) {
                Err(e) if !matches!(*notice, Some(super::storage::Notice::SaveFailed(_))) => {
                    notice.set(Some(super::storage::Notice::SaveFailed(e)))
                }
                _ => {}
            }
        });
    }
    {
        // Closing or reloading the tab saves the playhead too, unless nothing changed since the page opened (so a
        // page opened on a bad link writes nothing).
        let state = |r: &Run| (r.log().len(), r.applied(), r.now());
        let opened = use_mut_ref(|| (Rc::as_ptr(&*run) as usize, state(&run.borrow())));
        let run = (*run).clone();
        use_effect_with(Rc::as_ptr(&run) as usize, move |_| {
            let listener = gloo::events::EventListener::new(&gloo::utils::window(), "pagehide", move |_| {
                if *opened.borrow() != (Rc::as_ptr(&run) as usize, state(&run.borrow())) {
                    let _ = super::storage::save(&run.borrow());
                }
            });
            move || drop(listener)
        });
    }
    // After every render: how long rendering took since the tick handed over (for `cargo xtask bench-ui`).
    use_effect(|| measure("render", "rendering"));

    let props = RunProps { run: (*run).clone(), lang: *lang, version: *version.borrow(), on_change: on_change.clone() };
    // What each panel depends on, so a panel whose input did not change skips its render on a tick: the stage and
    // the history (the stage's value, and the recorded actions), the editor (the recorded actions: files change only
    // through them), the terminal (actions and the streaming watch's output), the events (their count, and the
    // second for LAST SEEN).
    // The stage depends only on the store: rebuilt when the store changed (or the run was replaced), else reused,
    // so a tick that changed nothing renders nothing on the stage.
    let stage_cache = use_mut_ref(|| None::<((usize, u64, usize), Rc<stage::Stage>)>);
    let the_stage = {
        let r = run.borrow();
        // The recorded actions are part of the key: after a rewind and a new action, a resource version can come
        // back with other contents.
        let key = (Rc::as_ptr(&*run) as usize, r.sim.cluster().store().resource_version(), r.log().len());
        let mut cache = stage_cache.borrow_mut();
        match &*cache {
            Some((k, s)) if *k == key => s.clone(),
            _ => {
                let s = Rc::new(stage::stage(&r.sim));
                *cache = Some((key, s.clone()));
                s
            }
        }
    };
    // The lesson step's check, whichever panel is open: progress is saved as soon as it passes, and the Lesson tab
    // shows it.
    let lesson_status = super::lesson::status(&run.borrow(), &the_stage);
    use_effect_with(lesson_status.clone(), |status| {
        if let Some((id, index, true)) = status {
            let _ = super::storage::record_progress(id, *index as u32 + 1);
        }
    });
    let keyed = |version: u64| RunProps { version, ..props.clone() };
    let (actions_props, terminal_props, events_props) = {
        let r = run.borrow();
        // The recording and the playhead's place in it (a rewind changes the files and the transcript).
        let actions = (r.log().len(), r.applied());
        let streamed = r.transcript.last().map_or(0, |e| e.output.stdout.len());
        let events = r.sim.cluster().events().log.len() + r.sim.cluster().decisions().len();
        (
            keyed(key(actions)),
            keyed(key((actions, streamed, r.watching()))),
            keyed(key((actions, events, r.now() / 1000))),
        )
    };
    let t = |msg| text(*lang, msg);
    let switch: Html = Lang::ALL
        .iter()
        .map(|&choice| {
            let state = lang.clone();
            let onclick = Callback::from(move |_| {
                super::remember_lang(choice);
                state.set(choice);
            });
            html! {
                <button type="button" class="lang-button" lang={choice.code()}
                    aria-pressed={(choice == *lang).to_string()} {onclick}>
                    { choice.native_name() }
                </button>
            }
        })
        .collect();
    let on_playing = {
        let playing = playing.clone();
        Callback::from(move |p: bool| playing.set(p))
    };
    let on_speed = {
        let speed = speed.clone();
        Callback::from(move |s: f64| speed.set(s))
    };
    let on_replace = {
        let (run, on_change) = (run.clone(), on_change.clone());
        Callback::from(move |new: Rc<RefCell<Run>>| {
            run.set(new);
            on_change.emit(());
        })
    };
    let on_start = {
        // Starting a lesson replaces the run; the one it replaces is kept, and the notice offers it back.
        let (on_replace, side, notice, run) = (on_replace.clone(), side.clone(), notice.clone(), run.clone());
        Callback::from(move |new: Rc<RefCell<Run>>| {
            use super::storage::Notice;
            notice.set(Some(match super::storage::keep(&run.borrow()) {
                Ok(()) => Notice::Kept,
                Err(e) => Notice::SaveFailed(e),
            }));
            on_replace.emit(new);
            side.set(Side::Lesson);
        })
    };
    let banner = notice.as_ref().map(|n| {
        use super::storage::Notice;
        let dismiss = {
            let notice = notice.clone();
            Callback::from(move |_| notice.set(None))
        };
        let (kind, body) = match n {
            Notice::LinkOpened { .. } | Notice::Kept => {
                let previous = matches!(n, Notice::Kept | Notice::LinkOpened { previous: true });
                let restore = previous.then(|| {
                    let (on_replace, notice, run) = (on_replace.clone(), notice.clone(), run.clone());
                    // The two runs trade places, so bringing one back never loses the other.
                    let onclick = Callback::from(move |_| {
                        if let Some(mine) = super::storage::previous() {
                            let _ = super::storage::keep(&run.borrow());
                            on_replace.emit(Rc::new(RefCell::new(mine)));
                        }
                        notice.set(None);
                    });
                    html! { <button type="button" {onclick} data-testid="restore-previous">{ t(Msg::RestorePrevious) }</button> }
                });
                let (kind, said) = match n {
                    Notice::Kept => ("kept", Msg::Kept),
                    _ => ("link-opened", Msg::LinkOpened),
                };
                (kind, html! { <>{ t(said) }{ " " }{ for restore }</> })
            }
            Notice::LinkBad(why) => ("link-bad", html! { <>{ t(Msg::LinkBad) }{ " " }<code>{ why }</code></> }),
            Notice::SavedBad(why) => ("saved-bad", html! { <>{ t(Msg::SavedBad) }{ " " }<code>{ why }</code></> }),
            Notice::SaveFailed(why) => ("save-failed", html! { <>{ t(Msg::SaveFailed) }{ " " }<code>{ why }</code></> }),
        };
        html! {
            <div class="notice" role="status" data-testid="notice" data-kind={kind}>
                <p>{ body }</p>
                <button type="button" class="small" onclick={dismiss}>{ t(Msg::Dismiss) }</button>
            </div>
        }
    });
    let side_tab = |which: Side, label: Msg| {
        let state = side.clone();
        let mark = match (&lesson_status, which) {
            (Some((_, _, true)), Side::Lesson) => " ✓",
            _ => "",
        };
        html! {
            <button type="button" role="tab" class="tab" aria-selected={(*side == which).to_string()}
                onclick={Callback::from(move |_| state.set(which))}>{ t(label) }{ mark }</button>
        }
    };
    let live = summary(*lang, &the_stage);

    html! {
        <div class="app" data-testid={ if *mounted { "app-ready" } else { "app-starting" } }>
            <a class="skip-link" href="#terminal">{ t(Msg::SkipToTerminal) }</a>
            <header class="topbar">
                <h1 class="brand">{ "kubeplay" }</h1>
                <p class="tagline">{ t(Msg::Tagline) }</p>
                <super::lesson::Picker lang={*lang} {on_start} version={*version.borrow()} />
                <super::toolbar::Toolbar run={actions_props.clone()} on_replace={on_replace.clone()} />
                <div class="lang-switch" role="group" aria-label={t(Msg::LanguageSwitch)}>{ switch }</div>
            </header>
            { for banner }
            <section class="panel panel-timeline" data-region="timeline" aria-labelledby="timeline-title" id="timeline">
                <h2 id="timeline-title" class="visually-hidden">{ t(Msg::TimelineTitle) }</h2>
                <super::timeline::Timeline run={props.clone()} playing={*playing} speed={*speed}
                    {on_playing} {on_speed} />
                if lesson_status.is_none() {
                    <p class="hint-line">{ t(Msg::TryHint) }<code>{ scenario::LANDING_HINT }</code></p>
                }
            </section>
            <p class="visually-hidden" aria-live="polite" data-testid="summary">{ live }</p>
            <main class="layout">
                <section class="panel panel-editor" data-region="editor" aria-labelledby="editor-title" id="editor">
                    <h2 id="editor-title">{ t(Msg::EditorTitle) }</h2>
                    <super::editor::Editor ..actions_props.clone() />
                </section>
                <section class="panel panel-stage" data-region="stage" aria-labelledby="stage-title" id="stage">
                    <h2 id="stage-title">{ t(Msg::StageTitle) }</h2>
                    <super::stage::StageView run={actions_props.clone()} stage={the_stage.clone()} />
                </section>
                <section class="panel panel-terminal" data-region="terminal" aria-labelledby="terminal-title" id="terminal">
                    <h2 id="terminal-title">{ t(Msg::TerminalTitle) }</h2>
                    <super::terminal::Terminal ..terminal_props />
                </section>
                <section class="panel panel-side" data-region="side" aria-label={t(Msg::SidePanels)}>
                    <div class="tabs" role="tablist">
                        { side_tab(Side::Lesson, Msg::LessonTitle) }
                        { side_tab(Side::Events, Msg::EventsTitle) }
                        { side_tab(Side::History, Msg::HistoryTitle) }
                        { side_tab(Side::Traffic, Msg::TrafficTitle) }
                        { side_tab(Side::Settings, Msg::SettingsTitle) }
                    </div>
                    <div role="tabpanel">
                        { match *side {
                            Side::Lesson => html! {
                                <super::lesson::LessonPanel run={props.clone()}
                                    passed={lesson_status.as_ref().is_some_and(|s| s.2)} />
                            },
                            Side::Events => html! { <super::panels::Events ..events_props.clone() /> },
                            Side::History => html! { <super::panels::History run={actions_props.clone()} stage={the_stage.clone()} /> },
                            Side::Traffic => html! { <super::panels::Traffic run={props.clone()} stage={the_stage.clone()} /> },
                            Side::Settings => html! { <super::panels::SettingsPanel run={props.clone()} {on_replace} /> },
                        } }
                    </div>
                </section>
            </main>
        </div>
    }
}

/// The URL's fragment (`#…`), where share links travel.
fn fragment() -> String {
    gloo::utils::window().location().hash().unwrap_or_default()
}

/// Drops the fragment from the address bar without reloading, so a reload restores the autosaved run.
fn clear_fragment() {
    let window = gloo::utils::window();
    if window.location().hash().unwrap_or_default().is_empty() {
        return;
    }
    let href = window.location().href().unwrap_or_default();
    let bare = href.split('#').next().unwrap_or_default().to_string();
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&bare));
    }
}

/// A performance mark (User Timing), for `cargo xtask bench-ui`.
fn mark(name: &str) {
    if let Some(p) = gloo::utils::window().performance() {
        let _ = p.mark(name);
    }
}

/// A measure from the latest mark `from` to now, for `cargo xtask bench-ui`; old entries are dropped so the buffer
/// stays small.
fn measure(name: &str, from: &str) {
    if let Some(p) = gloo::utils::window().performance() {
        if p.get_entries_by_name(from).length() > 0 {
            let _ = p.measure_with_start_mark(name, from);
            p.clear_marks_with_mark_name(from);
        }
        if p.get_entries_by_name(name).length() > 2_000 {
            p.clear_measures_with_measure_name(name);
        }
    }
}

/// The page's high-resolution clock (real time, for the player only; the simulation never reads it).
fn now_ms() -> f64 {
    gloo::utils::window().performance().map_or(0.0, |p| p.now())
}

/// A panel's change key: a hash of what it depends on.
fn key(parts: impl std::hash::Hash) -> u64 {
    use std::hash::Hasher;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    parts.hash(&mut h);
    h.finish()
}
