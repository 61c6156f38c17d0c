//! The Yew front end (wasm32 only). A thin view over the simulator: components render state and dispatch actions;
//! no simulation logic lives here (what the stage shows is computed by `scenario::stage`, natively tested).

mod app;
mod autosave;
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
use gloo::storage::{LocalStorage, Storage};
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

/// Mounts the app into `#app` (replacing the "loading" text the page shows until the wasm starts). A page without
/// `#app` (one that embeds the simulator through the JavaScript API) gets no app.
pub fn mount() {
    if let Some(root) = gloo::utils::document().get_element_by_id("app") {
        root.set_inner_html("");
        yew::Renderer::<App>::with_root(root).render();
    }
}

/// The remembered choice, else the browser's language, else English.
pub fn initial_lang() -> Lang {
    if let Ok(code) = LocalStorage::get::<String>(LANG_KEY) {
        return Lang::from_tag(&code);
    }
    let tag = gloo::utils::window().navigator().language().unwrap_or_default();
    Lang::from_tag(&tag)
}

/// Whether the terminal shows kubeplay's hints: yes unless the learner turned them off.
pub fn initial_hints() -> bool {
    LocalStorage::get::<bool>(HINTS_KEY).unwrap_or(true)
}

/// Remembers the hints choice (lost, harmlessly, when storage is unavailable).
pub fn remember_hints(on: bool) {
    let _ = LocalStorage::set(HINTS_KEY, on);
}

/// Remembers an explicit choice. Storage that is full or unavailable (private mode) only loses the preference.
pub fn remember_lang(lang: Lang) {
    let _ = LocalStorage::set(LANG_KEY, lang.code());
}

/// Sets `<html lang>` and the document title for `lang`.
pub fn apply_lang_to_document(lang: Lang) {
    let document = gloo::utils::document();
    if let Some(html) = document.document_element() {
        let _ = html.set_attribute("lang", lang.code());
    }
    document.set_title(&format!("kubeplay — {}", crate::i18n::text(lang, crate::i18n::Msg::Tagline)));
}
