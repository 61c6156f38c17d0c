//! The Yew front end (wasm32 only). A thin view over the simulator: components render state and dispatch actions;
//! no simulation logic lives here (what the stage shows is computed by `scenario::stage`, natively tested).

mod app;
mod editor;
mod lesson;
mod panels;
mod stage;
pub mod storage;
mod terminal;
mod timeline;
mod toolbar;

pub use app::App;

use crate::i18n::Lang;
use crate::scenario::{Action, Outcome, Run};
use gloo::storage::{LocalStorage, Storage};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// Where the learner's explicit language choice is remembered.
const LANG_KEY: &str = "kubeplay.lang";

/// What every panel gets: the run, the language, a change counter (so panels render again when the run changed) and
/// the callback that reports a change.
#[derive(Properties, Clone)]
pub struct RunProps {
    pub run: Rc<RefCell<Run>>,
    pub lang: Lang,
    pub version: u64,
    pub on_change: Callback<()>,
}

impl PartialEq for RunProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.run, &other.run) && self.lang == other.lang && self.version == other.version
    }
}

/// What the panels drawn from the stage get: the run, and the stage at the playhead (computed once per change).
#[derive(Properties, Clone, PartialEq)]
pub struct StageProps {
    pub run: RunProps,
    pub stage: Rc<crate::scenario::stage::Stage>,
}

impl RunProps {
    /// Records and applies an action, then reports the change.
    pub fn dispatch(&self, action: Action) -> Outcome {
        let outcome = self.run.borrow_mut().dispatch(action);
        self.on_change.emit(());
        outcome
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
