//! The player: while playing, a timer at about the frame rate moves virtual time by the real time since its previous
//! tick times the speed, in small steps so no frame waits long for the simulation. It also leaves the User Timing
//! marks `cargo xtask bench-ui` reads (`simulate` and `render` measures).

use super::state::{Change, Dispatch};
use gloo::timers::callback::Interval;
use yew::prelude::*;

/// How often the player advances virtual time (real milliseconds): about once a frame.
const TICK_MS: u32 = 16;
/// A simulation step longer than this (real milliseconds) is drawn on the next tick.
const SPLIT_MS: f64 = 4.0;
/// The most real time one tick accounts for (a tick after a long pause, as in a background tab).
const MAX_TICK_MS: f64 = 250.0;

/// Runs the player while `playing`; a new speed or a new run (its id) starts it afresh.
#[hook]
pub fn use_player(dispatch: Dispatch, playing: bool, speed: f64, run: u64) {
    use_effect_with((playing, (speed * 100.0) as u64, run), move |&(playing, speed, _)| {
        let interval = playing.then(|| {
            let mut last = now_ms();
            let mut carry = 0.0f64;
            // A tick whose simulation took long leaves the render to the next tick, so one frame never waits for
            // both.
            let mut render_next = false;
            Interval::new(TICK_MS, move || {
                let t = now_ms();
                let real = (t - last).clamp(0.0, MAX_TICK_MS);
                last = t;
                let exact = real * speed as f64 / 100.0 + carry;
                if render_next {
                    render_next = false;
                    carry = exact;
                    mark("rendering");
                    dispatch.dispatch(Change::Redraw);
                    return;
                }
                let step = exact.floor();
                carry = exact - step;
                if step < 1.0 {
                    return;
                }
                mark("tick");
                dispatch.dispatch(Change::Advance(step as u64));
                measure("simulate", "tick");
                if now_ms() - t > SPLIT_MS {
                    render_next = true;
                    return;
                }
                mark("rendering");
                dispatch.dispatch(Change::Redraw);
            })
        });
        move || drop(interval)
    });
}

/// A performance mark (User Timing), for `cargo xtask bench-ui`.
pub fn mark(name: &str) {
    if let Some(p) = gloo::utils::window().performance() {
        let _ = p.mark(name);
    }
}

/// A measure from the latest mark `from` to now, for `cargo xtask bench-ui`; old entries are dropped so the buffer
/// stays small.
pub fn measure(name: &str, from: &str) {
    if let Some(p) = gloo::utils::window().performance() {
        if p.get_entries_by_name(from).length() > 0 {
            let _ = p.measure_with_start_mark(name, from);
            p.clear_marks_with_mark_name(from);
        }
        if p.get_entries_by_name(name).length() > 2_000 {
            p.clear_measures_with_measure_name(name);
        }
    }
}

/// The page's high-resolution clock (real time, for the player only; the simulation never reads it).
fn now_ms() -> f64 {
    gloo::utils::window().performance().map_or(0.0, |p| p.now())
}
