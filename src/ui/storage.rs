//! Nothing is lost: the run is saved in the browser's local storage as it changes (as a share link: the same
//! versioned, bounded format), the editor's unsaved draft on every keystroke, and lesson progress when a step's
//! checks pass. On load the page opens, in order: a share link in the URL fragment, else the saved run, else the
//! landing example.
//!
//! Stored text is untrusted like a link: it is decoded with the same checks, and a saved run that cannot be read is
//! kept under another key and reported, never overwritten silently. Storage that is full or switched off is
//! reported, never fatal.

use crate::cluster::Settings;
use crate::scenario::link::Link;
use crate::scenario::{self, Run};
use std::collections::BTreeMap;

pub const RUN_KEY: &str = "kubeplay.run";
/// Where the learner's own run goes when a share link replaces it.
pub const PREVIOUS_KEY: &str = "kubeplay.run.previous";
/// Where a saved run that could not be read is kept.
pub const UNREADABLE_KEY: &str = "kubeplay.run.unreadable";
pub const DRAFT_KEY: &str = "kubeplay.draft";
pub const PROGRESS_KEY: &str = "kubeplay.progress";

/// Something the page tells the learner once, at the top.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// A share link was opened; `previous`: the learner's own run was kept and can be brought back.
    LinkOpened { previous: bool },
    /// A lesson replaced the learner's run, which was kept and can be brought back.
    Kept,
    /// The fragment was not a link this page can open (the reason, in English as the codec words it).
    LinkBad(String),
    /// The saved run could not be read (kept under [`UNREADABLE_KEY`]).
    SavedBad(String),
    /// Saving failed.
    SaveFailed(String),
    /// Another tab of the playground saved its run: this tab stopped saving until the learner chooses.
    OtherTab,
}

/// The page's local storage. None when it is switched off, and when rendering at build time (the `prerender`
/// feature, native): the landing screen is what a first visit sees, with nothing saved.
fn storage() -> Option<web_sys::Storage> {
    if !cfg!(target_arch = "wasm32") {
        return None;
    }
    gloo::utils::window().local_storage().ok().flatten()
}

pub fn get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Writes a key; the error says why not (full, or storage switched off).
pub fn set(key: &str, value: &str) -> Result<(), String> {
    let s = storage().ok_or_else(|| "local storage is not available".to_string())?;
    s.set_item(key, value).map_err(|e| {
        js_sys_message(&e).unwrap_or_else(|| "the browser refused to store more (the storage is full)".into())
    })
}

pub fn remove(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

fn js_sys_message(e: &wasm_bindgen::JsValue) -> Option<String> {
    use wasm_bindgen::JsCast;
    e.dyn_ref::<web_sys::DomException>().map(|d| format!("{}: {}", d.name(), d.message()))
}

/// Where the page's first run came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Link,
    Saved,
    Landing,
}

/// Whether the page opens on the landing example exactly as it was prerendered: no share link in `fragment`, no
/// saved run, no unsaved draft. Then the app can take the prerendered screen over in place (`ui::mount`).
pub fn opens_on_landing(fragment: &str) -> bool {
    fragment.trim_start_matches('#').is_empty() && get(RUN_KEY).is_none() && get(DRAFT_KEY).is_none()
}

/// The run the page opens with, where it came from, and what to tell the learner about it. `fragment` is the URL's
/// `#…`.
pub fn start(fragment: &str) -> (Run, Origin, Option<Notice>) {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let mut notice = None;
    if !fragment.is_empty() {
        match Link::decode(fragment).and_then(|l| l.open()) {
            Ok(run) => {
                // The learner's own run is kept, with its unsaved draft, so the link never costs them their work. Only
                // a draft needs the saved run replayed (to write the draft into it); otherwise it is kept as it is.
                let previous = match get(RUN_KEY) {
                    Some(saved) => {
                        let mine = draft().and_then(|_| Link::decode(&saved).and_then(|l| l.open()).ok());
                        match mine {
                            Some(mine) => keep(&mine).is_ok(),
                            None => set(PREVIOUS_KEY, &saved).is_ok(),
                        }
                    }
                    None => false,
                };
                return (run, Origin::Link, Some(Notice::LinkOpened { previous }));
            }
            Err(e) => notice = Some(Notice::LinkBad(e.to_string())),
        }
    }
    if let Some(saved) = get(RUN_KEY) {
        match Link::decode(&saved).and_then(|l| l.open()) {
            Ok(run) => return (run, Origin::Saved, notice),
            Err(e) => {
                let _ = set(UNREADABLE_KEY, &saved);
                remove(RUN_KEY);
                notice = notice.or(Some(Notice::SavedBad(e.to_string())));
            }
        }
    }
    (scenario::landing(Settings::default()), Origin::Landing, notice)
}

/// The saved run (another tab's, after [`Notice::OtherTab`]), if there is one that opens.
pub fn saved_run() -> Option<Run> {
    Link::decode(&get(RUN_KEY)?).and_then(|l| l.open()).ok()
}

pub fn save(run: &Run) -> Result<(), String> {
    set(RUN_KEY, &Link::of(run).encode())
}

/// Keeps a run about to be replaced (by a link or a lesson) so it can be brought back. The editor's unsaved draft
/// belongs to it: it is written into the kept run (as leaving the editor would have) and no longer shown.
pub fn keep(run: &Run) -> Result<(), String> {
    let link = match unsaved_edit(run) {
        Some(write) => {
            let mut run = run.clone();
            run.dispatch(write);
            Link::of(&run)
        }
        None => Link::of(run),
    };
    set(PREVIOUS_KEY, &link.encode())?;
    remove(DRAFT_KEY);
    Ok(())
}

/// The editor's draft as the `WriteFile` leaving the editor would record, if it changes one of the run's files.
fn unsaved_edit(run: &Run) -> Option<crate::scenario::Action> {
    let (name, text) = draft()?;
    run.files.0.get(&name).is_some_and(|t| *t != text).then_some(crate::scenario::Action::WriteFile { name, text })
}

/// The learner's own run, kept when a share link or a lesson replaced it.
pub fn previous() -> Option<Run> {
    Link::decode(&get(PREVIOUS_KEY)?).and_then(|l| l.open()).ok()
}

/// The editor's unsaved text: (file, text).
pub fn draft() -> Option<(String, String)> {
    serde_json::from_str(&get(DRAFT_KEY)?).ok()
}

pub fn save_draft(draft: Option<&(String, String)>) -> Result<(), String> {
    match draft {
        Some(d) => set(DRAFT_KEY, &serde_json::to_string(d).unwrap_or_default()),
        None => {
            remove(DRAFT_KEY);
            Ok(())
        }
    }
}

/// Lesson id → the number of steps whose checks have passed (the furthest).
pub fn progress() -> BTreeMap<String, u32> {
    get(PROGRESS_KEY).and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default()
}

/// Records that `steps` steps of `lesson` are done, if that is further than before.
pub fn record_progress(lesson: &str, steps: u32) -> Result<(), String> {
    let mut p = progress();
    if p.get(lesson).is_some_and(|&done| done >= steps) {
        return Ok(());
    }
    p.insert(lesson.to_string(), steps);
    set(PROGRESS_KEY, &serde_json::to_string(&p).unwrap_or_default())
}

/// Reset: everything this page stored, except the language choice.
pub fn clear() {
    for key in [RUN_KEY, PREVIOUS_KEY, DRAFT_KEY, PROGRESS_KEY] {
        remove(key);
    }
}
