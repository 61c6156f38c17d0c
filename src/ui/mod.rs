//! The Yew front end (wasm32 only). A thin view over the simulator: components render state and dispatch actions;
//! no simulation logic lives here (what the stage shows is computed by `scenario::stage`, natively tested).

mod app;
mod autosave;
mod data;
mod editor;
mod header;
mod lesson;
mod panels;
mod player;
mod side;
mod stage;
mod state;
pub mod storage;
mod terminal;
mod timeline;
mod toolbar;

pub use app::App;

use crate::i18n::Lang;
use crate::scenario::{Action, Outcome};
pub use state::{Change, Dispatch, RunView};
use std::rc::Rc;
use yew::prelude::*;

/// Where the learner's explicit language choice is remembered.
const LANG_KEY: &str = "kubeplay.lang";
const HINTS_KEY: &str = "kubeplay.hints";

/// What every panel gets: the run (to read), the language, a change counter (so a panel renders again when what it
/// shows may have changed) and the way to change things.
#[derive(Properties, Clone)]
pub struct RunProps {
    pub run: RunView,
    pub lang: Lang,
    /// Whether the terminal shows kubeplay's hint lines after kubectl's output.
    pub hints: bool,
    pub version: u64,
    pub dispatch: Dispatch,
}

impl PartialEq for RunProps {
    fn eq(&self, other: &Self) -> bool {
        self.run == other.run && self.lang == other.lang && self.hints == other.hints && self.version == other.version
    }
}

/// What the panels drawn from the stage get: the run, and the stage at the playhead (computed once per change).
#[derive(Properties, Clone, PartialEq)]
pub struct StageProps {
    pub run: RunProps,
    pub stage: Rc<crate::scenario::stage::Stage>,
    /// The requests on their way and each pod's recent answers (changes with the clock while traffic runs).
    #[prop_or_default]
    pub traffic: Rc<crate::scenario::stage::Traffic>,
}

impl RunProps {
    /// Sends a change to the app state.
    pub fn send(&self, change: Change) {
        self.dispatch.dispatch(change);
    }

    /// Records an action at the playhead.
    pub fn record(&self, action: Action) {
        self.send(Change::Record { actions: vec![action], reply: None });
    }

    /// Records actions in order, stopping at the first refused; `reply` hears the refusal or the last outcome.
    pub fn record_then(&self, actions: Vec<Action>, reply: impl Fn(Outcome) + 'static) {
        self.send(Change::Record { actions, reply: Some(Callback::from(reply)) });
    }
}

/// Mounts the app into `#app`. The page ships the landing screen prerendered (`prerender`) and inert inside `#app`.
/// A visit that opens on it (no share link, nothing saved) takes it over in place: Yew hydrates the prerendered
/// elements, so what was painted stays painted. Any other visit opens another screen (its saved run, the link's), so
/// the live app renders into a hidden root beside the prerendered one and, once drawn, takes its place in one frame.
/// Either way [`reveal`] finishes the takeover after the first render. A page without `#app` (one that embeds the
/// simulator through the JavaScript API) gets no app.
#[cfg(target_arch = "wasm32")]
pub fn mount() {
    player::mark("app-start");
    let document = gloo::utils::document();
    let Some(root) = document.get_element_by_id("app") else { return };
    if let Ok(Some(screen)) = document.query_selector("#app > .prerender > [inert]") {
        if storage::opens_on_landing(&app::fragment()) {
            // The page is painted and inert already: the start is spread over tasks (the simulated cluster, the
            // landing example applied, then the takeover), so no one task keeps the page from answering for long.
            yew::platform::spawn_local(async move {
                next_task().await;
                let mut run = crate::scenario::Run::new(crate::cluster::Settings::default());
                next_task().await;
                crate::scenario::open_landing(&mut run);
                PREPARED.with(|p| *p.borrow_mut() = Some(run));
                next_task().await;
                yew::Renderer::<App>::with_root(screen).hydrate();
            });
            return;
        }
    }
    let Ok(live) = document.create_element("div") else { return };
    live.set_class_name("live");
    let _ = live.set_attribute("hidden", "");
    let _ = root.append_child(&live);
    yew::Renderer::<App>::with_root(live).render();
}

thread_local! {
    /// The landing run `mount` built ahead for the app it is about to start.
    static PREPARED: std::cell::RefCell<Option<crate::scenario::Run>> = const { std::cell::RefCell::new(None) };
}

/// The run built ahead for this app, if any (taken once).
fn take_prepared() -> Option<crate::scenario::Run> {
    PREPARED.with(|p| p.borrow_mut().take())
}

/// Resolves in a later task of the page's event loop (`setTimeout(0)`), letting the browser handle input between.
#[cfg(target_arch = "wasm32")]
async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = gloo::utils::window().set_timeout_with_callback(&resolve);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Finishes the takeover after the app's first render: a hydrated screen stops being inert and loses its "starting"
/// status; a screen rendered beside the prerendered one is shown and the prerendered one removed. The Korean
/// screen's template goes too.
pub fn reveal() {
    if !cfg!(target_arch = "wasm32") {
        return;
    }
    let document = gloo::utils::document();
    let remove = |css: &str| {
        if let Ok(found) = document.query_selector_all(css) {
            for i in 0..found.length() {
                if let Some(node) = found.item(i) {
                    if let Some(parent) = node.parent_node() {
                        let _ = parent.remove_child(&node);
                    }
                }
            }
        }
    };
    remove("#prerender-ko");
    if let Ok(Some(live)) = document.query_selector("#app > .live") {
        remove("#app > :not(.live)");
        let _ = live.remove_attribute("hidden");
        return;
    }
    remove("#app > .prerender > .starting");
    remove("#app > .boot");
    if let Ok(Some(screen)) = document.query_selector("#app > .prerender > [inert]") {
        let _ = screen.remove_attribute("inert");
    }
    if let Ok(Some(wrapper)) = document.query_selector("#app > .prerender") {
        // The wrapper's `lang` would outlive a language switch; `<html lang>` speaks for the page.
        let _ = wrapper.remove_attribute("lang");
        wrapper.set_class_name("live");
    }
}

/// The landing screen in `lang` as HTML, as the browser's first render draws it (for `index.html`, at build time).
/// The app then takes the page over ([`mount`]); nothing in the prerendered markup works before it does.
///
/// The screen is wrapped in `<div class="prerender" lang="…">` with the "starting" status outside its `inert` part
/// (so a screen reader hears that the page is starting, while no control can be focused or pressed before the app is
/// live: no click is lost silently).
#[cfg(all(feature = "prerender", not(target_arch = "wasm32")))]
pub fn prerender(lang: Lang) -> String {
    let renderer =
        yew::ServerRenderer::<App>::with_props(move || app::AppProps { prerender: Some(lang) }).hydratable(true);
    let screen = block_on(renderer.render());
    let starting = crate::i18n::text(lang, crate::i18n::Msg::Starting);
    format!(
        "<div class=\"prerender\" lang=\"{}\"><p class=\"starting\" role=\"status\">{starting}</p><div inert>{screen}</div></div>",
        lang.code()
    )
}

/// Runs a future to its end on this thread (the server renderer's future does its work on Yew's own runtime).
#[cfg(all(feature = "prerender", not(target_arch = "wasm32")))]
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    use std::sync::Arc;
    use std::task::{Context, Poll, Wake, Waker};
    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
        std::thread::park();
    }
}

/// The remembered choice, else the browser's language, else English. `www/index.html`'s first script makes the same
/// choice before the page paints, to show the prerendered screen in that language.
pub fn initial_lang() -> Lang {
    if let Some(code) = storage::get(LANG_KEY).and_then(|s| serde_json::from_str::<String>(&s).ok()) {
        return Lang::from_tag(&code);
    }
    let tag = gloo::utils::window().navigator().language().unwrap_or_default();
    Lang::from_tag(&tag)
}

/// Whether the terminal shows kubeplay's hints: yes unless the learner turned them off.
pub fn initial_hints() -> bool {
    storage::get(HINTS_KEY).and_then(|s| serde_json::from_str::<bool>(&s).ok()).unwrap_or(true)
}

/// Remembers the hints choice (lost, harmlessly, when storage is unavailable).
pub fn remember_hints(on: bool) {
    let _ = storage::set(HINTS_KEY, &serde_json::Value::Bool(on).to_string());
}

/// Remembers an explicit choice. Storage that is full or unavailable (private mode) only loses the preference.
pub fn remember_lang(lang: Lang) {
    let _ = storage::set(LANG_KEY, &serde_json::Value::from(lang.code()).to_string());
}

/// Sets `<html lang>` and the document title for `lang`.
pub fn apply_lang_to_document(lang: Lang) {
    let document = gloo::utils::document();
    if let Some(html) = document.document_element() {
        let _ = html.set_attribute("lang", lang.code());
    }
    document.set_title(&format!("kubeplay — {}", crate::i18n::text(lang, crate::i18n::Msg::Tagline)));
}
