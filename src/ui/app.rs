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

/// How often the player advances virtual time (real milliseconds).
const TICK_MS: u32 = 100;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Events,
    History,
    Traffic,
    Settings,
}

#[function_component(App)]
pub fn app() -> Html {
    let lang = use_state(super::initial_lang);
    // The run: the simulation and its recording. Components change it only by dispatching actions.
    let run = use_state(|| Rc::new(RefCell::new(scenario::landing(Settings::default()))));
    let version = use_mut_ref(|| 0u64);
    let force = use_force_update();
    let on_change = {
        let (version, force) = (version.clone(), force.clone());
        Callback::from(move |()| {
            *version.borrow_mut() += 1;
            force.force_update();
        })
    };
    let playing = use_state(|| true);
    let speed = use_state(|| 1.0f64);
    let side = use_state(|| Side::Events);
    let mounted = use_state(|| false);
    {
        let mounted = mounted.clone();
        use_effect_with((), move |_| mounted.set(true));
    }
    use_effect_with(*lang, |lang| super::apply_lang_to_document(*lang));
    {
        // The player: while playing, every tick moves virtual time by the tick times the speed.
        let (run, on_change) = ((*run).clone(), on_change.clone());
        use_effect_with((*playing, (*speed * 100.0) as u64, Rc::as_ptr(&run) as usize), move |&(playing, speed, _)| {
            let interval = playing.then(|| {
                Interval::new(TICK_MS, move || {
                    let step = u64::from(TICK_MS) * speed / 100;
                    {
                        let mut r = run.borrow_mut();
                        let to = r.now() + step;
                        r.run_until(to);
                    }
                    on_change.emit(());
                })
            });
            move || drop(interval)
        });
    }

    let props = RunProps { run: (*run).clone(), lang: *lang, version: *version.borrow(), on_change: on_change.clone() };
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
    let side_tab = |which: Side, label: Msg| {
        let state = side.clone();
        html! {
            <button type="button" role="tab" class="tab" aria-selected={(*side == which).to_string()}
                onclick={Callback::from(move |_| state.set(which))}>{ t(label) }</button>
        }
    };
    let live = summary(*lang, &stage::stage(&run.borrow().sim));

    html! {
        <div class="app" data-testid={ if *mounted { "app-ready" } else { "app-starting" } }>
            <a class="skip-link" href="#terminal">{ t(Msg::SkipToTerminal) }</a>
            <header class="topbar">
                <h1 class="brand">{ "kubeplay" }</h1>
                <p class="tagline">{ t(Msg::Tagline) }</p>
                <div class="lang-switch" role="group" aria-label={t(Msg::LanguageSwitch)}>{ switch }</div>
            </header>
            <section class="panel panel-timeline" data-region="timeline" aria-labelledby="timeline-title" id="timeline">
                <h2 id="timeline-title" class="visually-hidden">{ t(Msg::TimelineTitle) }</h2>
                <super::timeline::Timeline run={props.clone()} playing={*playing} speed={*speed}
                    {on_playing} {on_speed} />
                <p class="hint-line">{ t(Msg::TryHint) }<code>{ scenario::LANDING_HINT }</code></p>
            </section>
            <p class="visually-hidden" aria-live="polite" data-testid="summary">{ live }</p>
            <main class="layout">
                <section class="panel panel-editor" data-region="editor" aria-labelledby="editor-title" id="editor">
                    <h2 id="editor-title">{ t(Msg::EditorTitle) }</h2>
                    <super::editor::Editor ..props.clone() />
                </section>
                <section class="panel panel-stage" data-region="stage" aria-labelledby="stage-title" id="stage">
                    <h2 id="stage-title">{ t(Msg::StageTitle) }</h2>
                    <super::stage::StageView ..props.clone() />
                </section>
                <section class="panel panel-terminal" data-region="terminal" aria-labelledby="terminal-title" id="terminal">
                    <h2 id="terminal-title">{ t(Msg::TerminalTitle) }</h2>
                    <super::terminal::Terminal ..props.clone() />
                </section>
                <section class="panel panel-side" data-region="side" aria-label={t(Msg::SidePanels)}>
                    <div class="tabs" role="tablist">
                        { side_tab(Side::Events, Msg::EventsTitle) }
                        { side_tab(Side::History, Msg::HistoryTitle) }
                        { side_tab(Side::Traffic, Msg::TrafficTitle) }
                        { side_tab(Side::Settings, Msg::SettingsTitle) }
                    </div>
                    <div role="tabpanel">
                        { match *side {
                            Side::Events => html! { <super::panels::Events ..props.clone() /> },
                            Side::History => html! { <super::panels::History ..props.clone() /> },
                            Side::Traffic => html! { <super::panels::Traffic ..props.clone() /> },
                            Side::Settings => html! { <super::panels::SettingsPanel run={props.clone()} {on_replace} /> },
                        } }
                    </div>
                </section>
            </main>
        </div>
    }
}
