//! Saving as the run changes: when the recording changes, the run is replaced, or every 5 s of virtual time (the
//! playhead); and when the tab is closed or reloaded. Opening the page writes nothing until something changes, so a
//! page opened on a bad link leaves the saved work as it was.

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
pub fn use_autosave(run: RunView, notice: Option<Notice>, dispatch: Dispatch) {
    let first = use_mut_ref(|| true);
    {
        let run = run.clone();
        use_effect_with(moment(&run), move |_| {
            if std::mem::take(&mut *first.borrow_mut()) {
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
    use_effect_with(run.id(), move |_| {
        let listener = gloo::events::EventListener::new(&gloo::utils::window(), "pagehide", move |_| {
            if *opened.borrow() != (run.id(), state(&run.read())) {
                let _ = storage::save(&run.read());
            }
        });
        move || drop(listener)
    });
}
