//! The Yew front end (wasm32 only). A thin view over the simulator: components render state and dispatch actions;
//! no simulation logic lives here.

mod app;
mod terminal;

pub use app::App;

use crate::i18n::Lang;
use gloo::storage::{LocalStorage, Storage};

/// Where the learner's explicit language choice is remembered.
const LANG_KEY: &str = "kubeplay.lang";

/// Mounts the app into `#app` (replacing the "loading" text the page shows until the wasm starts), or into `<body>`.
pub fn mount() {
    match gloo::utils::document().get_element_by_id("app") {
        Some(root) => {
            root.set_inner_html("");
            yew::Renderer::<App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<App>::new().render();
        }
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
