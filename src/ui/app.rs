//! The root component: opens the page's first run, holds the app state (the reducer in `state`), and lays out the
//! regions of the screen (header, notice, timeline, editor, stage, terminal, side panels). Each region is its own
//! component; this file only decides what each one depends on, so a region whose input did not change skips its
//! render on a tick.

use super::player::{measure, use_player};
use super::state::AppState;
use super::RunProps;
use crate::i18n::{summary, text, Msg};
use crate::scenario::{self, stage};
use std::rc::Rc;
use yew::prelude::*;

/// The app's one property: whether this render is the build's prerendering of the landing screen.
#[derive(Properties, PartialEq, Default)]
pub struct AppProps {
    /// Set when `cargo xtask dist` renders the landing screen to HTML in this language (`super::prerender`): the
    /// page opens on the landing example and reads nothing from the browser.
    #[prop_or_default]
    pub prerender: Option<crate::i18n::Lang>,
}

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    // What the page opens: a share link in the fragment, else the saved run, else the landing example. The fragment
    // is cleared once read, so a reload restores the autosaved run (which carries on from the link). The landing
    // example plays at once; a restored run or an opened link shows its moment, paused.
    let prerender = props.prerender;
    let state = use_reducer(move || {
        if let Some(lang) = prerender {
            return AppState::new(scenario::landing(crate::cluster::Settings::default()), true, None, lang);
        }
        // Built ahead, a step per task, when the app takes the prerendered landing screen over (`super::mount`).
        if let Some(run) = super::take_prepared() {
            return AppState::new(run, true, None, super::initial_lang());
        }
        let (run, origin, notice) = super::storage::start(&fragment());
        clear_fragment();
        AppState::new(run, origin == super::storage::Origin::Landing, notice, super::initial_lang())
    });
    let mounted = use_state(|| false);
    {
        let mounted = mounted.clone();
        use_effect_with((), move |_| {
            mounted.set(true);
            // The live app replaces the prerendered screen now that its own is drawn.
            super::reveal();
            // For `cargo xtask bench-ui`: the time from navigation to the first rendered screen.
            super::player::mark("app-ready");
        });
    }
    let lang = state.lang;
    use_effect_with(lang, |lang| super::apply_lang_to_document(*lang));
    // Data a terminal line waits for (`kubectl explain`'s documentation) is fetched the first time it is needed.
    {
        let wanted = state.run.read().awaiting();
        let dispatch = state.dispatcher();
        use_effect_with(wanted, move |wanted| super::data::fetch(wanted, &dispatch));
    }
    let run = state.run.clone();
    use_player(state.dispatcher(), state.playing, state.speed, run.id());
    super::autosave::use_autosave(run.clone(), state.notice.clone(), state.saving, state.dispatcher());
    // After every render: how long rendering took since the tick handed over (for `cargo xtask bench-ui`).
    use_effect(|| measure("render", "rendering"));

    // The stage depends only on the store: rebuilt when the store changed (or the run was replaced), else reused, so
    // a tick that changed nothing renders nothing on the stage. The recorded actions are part of the key: after a
    // rewind and a new action, a resource version can come back with other contents.
    let stage_cache = use_mut_ref(|| None::<((u64, u64, usize), Rc<stage::Stage>)>);
    let the_stage = {
        let r = run.read();
        let key = (run.id(), r.sim().cluster().store().resource_version(), r.log().len());
        let mut cache = stage_cache.borrow_mut();
        match &*cache {
            Some((k, s)) if *k == key => s.clone(),
            _ => {
                let s = Rc::new(stage::stage(r.sim()));
                *cache = Some((key, s.clone()));
                s
            }
        }
    };
    // The traffic the stage draws, looked at again every 100 ms of virtual time; the same traffic keeps its `Rc`,
    // so the stage renders again only when a dot came or went.
    let traffic_cache = use_mut_ref(|| None::<((u64, u64, u64), Rc<stage::Traffic>)>);
    let the_traffic = {
        let r = run.read();
        let key = (run.id(), r.sim().net.next_id(), r.now() / 100);
        let mut cache = traffic_cache.borrow_mut();
        match &mut *cache {
            Some((k, t)) if *k == key => t.clone(),
            slot => {
                let fresh = stage::traffic(r.sim());
                let t = match slot.take() {
                    Some((_, old)) if *old == fresh => old,
                    _ => Rc::new(fresh),
                };
                *slot = Some((key, t.clone()));
                t
            }
        }
    };
    // The lesson step's check, whichever panel is open: progress is saved as soon as it passes, and the Lesson tab
    // shows it.
    let lesson = super::lesson::status(&run.read(), &the_stage).map(Rc::new);
    let lesson_status = lesson.as_ref().map(|s| (s.id.clone(), s.index, s.passed()));
    use_effect_with(lesson_status.clone(), |status| {
        if let Some((id, index, true)) = status {
            let _ = super::storage::record_progress(id, *index as u32 + 1);
        }
    });

    // What each region depends on: the timeline, lesson, traffic and settings every change; the stage, editor and
    // history the recorded actions (files change only through them) and the playhead's place in them; the terminal
    // those and the streaming watch's output; the events those, their count, and the second (for LAST SEEN).
    let props =
        RunProps { run: run.clone(), lang, hints: state.hints, version: state.version, dispatch: state.dispatcher() };
    let keyed = |parts: u64| RunProps { version: parts, ..props.clone() };
    let (actions, terminal, events) = {
        let r = run.read();
        let recorded = (r.log().len(), r.applied());
        let streamed = (r.transcript.last().map_or(0, |e| e.output.stdout.len()), r.awaiting_lines());
        let seen = r.sim().cluster().events().log.len() + r.sim().cluster().decisions().len();
        (
            keyed(key(recorded)),
            keyed(key((recorded, streamed, r.watching()))),
            keyed(key((recorded, seen, r.now() / 1000))),
        )
    };
    let t = |msg| text(lang, msg);
    let live = summary(lang, &the_stage);

    html! {
        <div class="app" data-testid={ if *mounted { "app-ready" } else { "app-starting" } }>
            <a class="skip-link" href="#terminal">{ t(Msg::SkipToTerminal) }</a>
            <super::header::Header run={actions.clone()} />
            if let Some(notice) = state.notice.clone() {
                <super::header::Banner {notice} run={props.clone()} />
            }
            <section class="panel panel-timeline" data-region="timeline" aria-labelledby="timeline-title" id="timeline">
                <h2 id="timeline-title" class="visually-hidden">{ t(Msg::TimelineTitle) }</h2>
                <super::timeline::Timeline run={props.clone()} playing={state.playing} speed={state.speed} />
                if lesson_status.is_none() {
                    <p class="hint-line">{ t(Msg::TryHint) }<code>{ scenario::LANDING_HINT }</code></p>
                }
            </section>
            <p class="visually-hidden" aria-live="polite" data-testid="summary">{ live }</p>
            <main class={classes!("layout", lesson_status.is_some().then_some("in-lesson"))}>
                <section class="panel panel-editor" data-region="editor" aria-labelledby="editor-title" id="editor">
                    <h2 id="editor-title">{ t(Msg::EditorTitle) }</h2>
                    <super::editor::Editor ..actions.clone() />
                </section>
                <section class="panel panel-stage" data-region="stage" aria-labelledby="stage-title" id="stage">
                    <h2 id="stage-title">{ t(Msg::StageTitle) }</h2>
                    <super::stage::StageView run={actions.clone()} stage={the_stage.clone()} traffic={the_traffic.clone()} />
                </section>
                <section class="panel panel-terminal" data-region="terminal" aria-labelledby="terminal-title" id="terminal">
                    <h2 id="terminal-title">{ t(Msg::TerminalTitle) }</h2>
                    <super::terminal::Terminal ..terminal />
                </section>
                <super::side::SidePanel side={state.side} run={props} {actions} {events} stage={the_stage} traffic={the_traffic}
                    {lesson} />
            </main>
        </div>
    }
}

/// The URL's fragment (`#…`), where share links travel.
pub(super) fn fragment() -> String {
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

/// A region's change key: a hash of what it depends on.
fn key(parts: impl std::hash::Hash) -> u64 {
    use std::hash::Hasher;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    parts.hash(&mut h);
    h.finish()
}
