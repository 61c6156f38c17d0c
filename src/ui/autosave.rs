//! Saving as the run changes: when the recording changes, the run is replaced, or every 5 s of virtual time (the
//! playhead); and when the tab is closed or reloaded. Opening the page writes nothing until something changes, so a
//! page opened on a bad link leaves the saved work as it was. When another tab of the playground saves its run (a
//! `storage` event, which browsers send only to the other tabs), this tab stops saving and asks which run to keep,
//! so neither tab overwrites the other's work silently.

use super::state::{Change, Dispatch, RunView};
use super::storage::{self, Notice};
use crate::scenario::Run;
use yew::prelude::*;

/// What saving depends on: the run's id, the recording, the playhead's place in it, and the time (to 5 s).
fn moment(run: &RunView) -> (u64, usize, usize, u64) {
    let r = run.read();
    (run.id(), r.log().len(), r.applied(), r.now() / 5_000)
}

#[hook]
pub fn use_autosave(run: RunView, notice: Option<Notice>, saving: bool, dispatch: Dispatch) {
    let first = use_mut_ref(|| true);
    {
        let run = run.clone();
        let dispatch = dispatch.clone();
        use_effect_with((moment(&run), saving), move |_| {
            if std::mem::take(&mut *first.borrow_mut()) || !saving {
                return;
            }
            match storage::save(&run.read()) {
                // One notice is enough: a second failure does not replace the first.
                Err(e) if !matches!(notice, Some(Notice::SaveFailed(_))) => {
                    dispatch.dispatch(Change::Notice(Some(Notice::SaveFailed(e))))
                }
                _ => {}
            }
        });
    }
    // Closing or reloading the tab saves the playhead too, unless nothing changed since the page opened.
    let state = |r: &Run| (r.log().len(), r.applied(), r.now());
    let opened = use_mut_ref(|| (run.id(), state(&run.read())));
    use_effect_with((run.id(), saving), move |(_, saving)| {
        let saving = *saving;
        let listener = gloo::events::EventListener::new(&gloo::utils::window(), "pagehide", move |_| {
            if saving && *opened.borrow() != (run.id(), state(&run.read())) {
                let _ = storage::save(&run.read());
            }
        });
        move || drop(listener)
    });
    // Another tab saved its run.
    use_effect_with((), move |_| {
        let listener = gloo::events::EventListener::new(&gloo::utils::window(), "storage", move |e| {
            let key = js_sys::Reflect::get(e, &"key".into()).ok().and_then(|k| k.as_string());
            if key.as_deref() == Some(storage::RUN_KEY) {
                dispatch.dispatch(Change::OtherTab);
            }
        });
        move || drop(listener)
    });
}
