//! The app's state and the one place it changes: [`AppState`] is a Yew [`Reducible`], and every change to the run,
//! the player, the open side panel, the notice and the language is a [`Change`] sent to it. Components read the run
//! through a [`RunView`], which can only borrow it; the `RefCell` inside is private to this module, so no component
//! can change the run behind the reducer's back.
//!
//! The run is large (a whole simulation and its recording), so it is changed in place, not copied: [`AppState`]'s
//! clone is cheap (an `Rc` and a few numbers), and a new state with a bumped `version` tells Yew to render. The player
//! moves time with [`Change::Advance`], which does not render; [`Change::Redraw`] renders (so a tick whose simulation
//! took long leaves the render to the next frame).

use super::storage::{self, Notice};
use crate::api::time::Millis;
use crate::i18n::Lang;
use crate::scenario::{Action, Outcome, Run};
use std::cell::{Ref, RefCell};
use std::rc::Rc;
use yew::prelude::*;

/// The side panel shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Lesson,
    Events,
    History,
    Traffic,
    Settings,
}

/// A run as components see it: readable, with an id that changes when the run is replaced (by a lesson, a link,
/// reset, new settings or kept work brought back).
#[derive(Clone)]
pub struct RunView {
    id: u64,
    cell: Rc<RefCell<Run>>,
}

impl RunView {
    /// The run. A borrow held across a [`Change`] would panic, so read, copy out what is needed, and let go.
    pub fn read(&self) -> Ref<'_, Run> {
        self.cell.borrow()
    }

    /// Which run this is: 1 for the page's first, then one more per replacement.
    pub fn id(&self) -> u64 {
        self.id
    }
}

impl PartialEq for RunView {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

/// Everything a [`Change`] can change.
#[derive(Clone)]
pub struct AppState {
    pub run: RunView,
    /// One more per change that renders: what panels compare to know the run may have moved.
    pub version: u64,
    pub lang: Lang,
    /// Whether the terminal shows kubeplay's hint lines.
    pub hints: bool,
    /// Whether this tab saves its run (not after another tab saved its own, until the learner chooses).
    pub saving: bool,
    pub playing: bool,
    /// Virtual time per real time.
    pub speed: f64,
    pub side: Side,
    pub notice: Option<Notice>,
}

/// The only ways the app's state changes.
pub enum Change {
    /// Records the actions at the playhead, in order, stopping at the first one refused. `reply` (if any) hears the
    /// refusal, else the last action's outcome; it is called during the change, so it must not send a change itself.
    Record {
        actions: Vec<Action>,
        reply: Option<Callback<Outcome>>,
    },
    /// The player: moves virtual time on by this much, without rendering (a [`Change::Redraw`] follows).
    Advance(Millis),
    /// Renders what the run is now.
    Redraw,
    /// Pauses and moves the playhead (clamped to the run's horizon), replaying the recording if it goes back.
    Seek(Millis),
    Play(bool),
    Speed(f64),
    /// Replaces the run (new settings replay the recording).
    Replace(Box<Run>),
    /// Forgets everything this page stored (except the language) and starts the landing example again.
    Reset,
    /// Starts a lesson: its run replaces the learner's, which is kept (the notice offers it back).
    StartLesson(Box<Run>),
    /// Rewinds the lesson's run to where it entered this step (0-based) and forgets what came after: "restart this
    /// step", and going back to a step whose work a later one needs.
    RestartStep(usize),
    /// Brings back the run kept by a lesson or a link, keeping the current one in its place.
    RestorePrevious,
    Show(Side),
    Notice(Option<Notice>),
    Lang(Lang),
    /// Show or hide kubeplay's hint lines in the terminal (`kubeplay run --no-hints` in the CLI).
    Hints(bool),
    /// Another tab saved its run: stop saving this one and ask.
    OtherTab,
    /// The learner chose this tab's run: save it (over the other tab's) and go on saving.
    KeepThisTab,
    /// The learner chose the other tab's run: open it here and go on saving.
    OpenOtherTab,
    /// Data that terminal lines waited for has arrived (`super::data`): they print now.
    DataArrived,
    /// Data that terminal lines waited for could not be fetched: they say why.
    DataFailed {
        what: crate::kubectl::Awaiting,
        reason: String,
    },
}

impl AppState {
    /// The page's first state: its run, where it came from, and what to tell the learner.
    pub fn new(run: Run, playing: bool, notice: Option<Notice>, lang: Lang) -> AppState {
        let side = if run.lesson.is_some() { Side::Lesson } else { Side::Events };
        AppState {
            run: RunView { id: 1, cell: Rc::new(RefCell::new(run)) },
            version: 0,
            lang,
            hints: super::initial_hints(),
            saving: true,
            playing,
            speed: 1.0,
            side,
            notice,
        }
    }

    fn replace(&mut self, run: Run) {
        self.run = RunView { id: self.run.id + 1, cell: Rc::new(RefCell::new(run)) };
    }
}

impl Reducible for AppState {
    type Action = Change;

    fn reduce(self: Rc<Self>, change: Change) -> Rc<Self> {
        if let Change::Advance(by) = change {
            // The player's tick, about once a frame: not rendered (a Redraw follows when the frame has time for it),
            // so the state is not copied either.
            let mut run = self.run.cell.borrow_mut();
            let to = run.now().saturating_add(by);
            run.run_until(to);
            drop(run);
            return self;
        }
        let mut next = (*self).clone();
        next.version += 1;
        match change {
            Change::Record { actions, reply } => {
                let outcome = self.run.cell.borrow_mut().dispatch_all(actions);
                if let Some(reply) = reply {
                    reply.emit(outcome);
                }
            }
            Change::Advance(_) | Change::Redraw => {}
            Change::Seek(at) => {
                next.playing = false;
                let mut run = self.run.cell.borrow_mut();
                let at = at.min(run.horizon());
                run.seek(at);
            }
            Change::RestartStep(index) => {
                let mut run = self.run.cell.borrow_mut();
                if let Some(lesson) = super::lesson::current(&run) {
                    lesson.restart_step(&mut run, index);
                }
            }
            Change::Play(playing) => next.playing = playing,
            Change::Speed(speed) => next.speed = speed,
            Change::Replace(run) => next.replace(*run),
            Change::Reset => {
                storage::clear();
                next.replace(crate::scenario::landing(Default::default()));
            }
            Change::StartLesson(run) => {
                next.notice = Some(match storage::keep(&self.run.read()) {
                    Ok(()) => Notice::Kept,
                    Err(e) => Notice::SaveFailed(e),
                });
                next.replace(*run);
                next.side = Side::Lesson;
            }
            Change::RestorePrevious => {
                // The two runs trade places, so bringing one back never loses the other.
                if let Some(mine) = storage::previous() {
                    let _ = storage::keep(&self.run.read());
                    next.replace(mine);
                }
                next.notice = None;
            }
            Change::Show(side) => next.side = side,
            Change::Notice(notice) => next.notice = notice,
            Change::Lang(lang) => next.lang = lang,
            Change::Hints(on) => next.hints = on,
            Change::OtherTab => {
                next.saving = false;
                next.notice = Some(Notice::OtherTab);
            }
            Change::KeepThisTab => {
                next.saving = true;
                next.notice = match storage::save(&self.run.read()) {
                    Ok(()) => None,
                    Err(e) => Some(Notice::SaveFailed(e)),
                };
            }
            Change::DataArrived => self.run.cell.borrow_mut().fill_awaiting(),
            Change::DataFailed { what, reason } => {
                let message = crate::i18n::data_failed(self.lang, what.file(), &reason);
                self.run.cell.borrow_mut().fail_awaiting(what, &message);
            }
            Change::OpenOtherTab => {
                if let Some(theirs) = storage::saved_run() {
                    next.replace(theirs);
                }
                next.saving = true;
                next.notice = None;
            }
        }
        Rc::new(next)
    }
}

/// Sends changes to the app state.
pub type Dispatch = UseReducerDispatcher<AppState>;
