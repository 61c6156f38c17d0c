//! Time: play, pause, step (one controller round), speed, and the scrubber over the whole run, which rewinds by
//! replaying the recording (`Run::seek`). The current virtual time is shown.

use super::Change;
use crate::i18n::{text, Lang, Msg};
use crate::scenario::{stage::clock, Action};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The speeds offered, as multiples of real time.
pub const SPEEDS: [f64; 6] = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0];

/// The scrubber moves in steps of this much virtual time (an arrow key is one step); its last step is the horizon.
const SCRUB_MS: u64 = 100;

#[derive(Properties, Clone, PartialEq)]
pub struct Props {
    pub run: super::RunProps,
    pub playing: bool,
    pub speed: f64,
}

#[function_component(Timeline)]
pub fn timeline(props: &Props) -> Html {
    let lang: Lang = props.run.lang;
    let t = |m| text(lang, m);
    let (now, horizon) = {
        let run = props.run.run.read();
        (run.now(), run.horizon())
    };
    let play = {
        let run = props.run.clone();
        Callback::from(move |_| run.send(Change::Play(true)))
    };
    let pause = {
        let run = props.run.clone();
        Callback::from(move |_| run.send(Change::Play(false)))
    };
    let step = {
        let run = props.run.clone();
        Callback::from(move |_| {
            run.send(Change::Play(false));
            run.record(Action::Step);
        })
    };
    let speed = {
        let run = props.run.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Ok(s) = v.parse::<f64>() {
                run.send(Change::Speed(s));
            }
        })
    };
    let scrub = {
        let run = props.run.clone();
        Callback::from(move |e: InputEvent| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value();
            if let Ok(tenths) = v.parse::<u64>() {
                // Pauses, and stops at the horizon.
                run.send(Change::Seek(tenths.saturating_mul(SCRUB_MS)));
            }
        })
    };
    let options: Html = SPEEDS
        .iter()
        .map(|s| {
            html! { <option value={s.to_string()} selected={*s == props.speed}>{ format!("{s}×") }</option> }
        })
        .collect();
    html! {
        <div class="timeline" role="group" aria-label={t(Msg::TimelineTitle)}>
            <button type="button" class="tl-button" data-testid="play" onclick={play}
                aria-pressed={props.playing.to_string()} title={t(Msg::Play)}>
                { icon("M4 2 L14 8 L4 14 Z") }<span class="tl-label">{ t(Msg::Play) }</span>
            </button>
            <button type="button" class="tl-button" data-testid="pause" onclick={pause}
                aria-pressed={(!props.playing).to_string()} title={t(Msg::Pause)}>
                { icon("M3 2 H7 V14 H3 Z M9 2 H13 V14 H9 Z") }<span class="tl-label">{ t(Msg::Pause) }</span>
            </button>
            <button type="button" class="tl-button" data-testid="step" onclick={step} title={t(Msg::StepHint)}>
                { icon("M2 2 L10 8 L2 14 Z M11 2 H14 V14 H11 Z") }<span class="tl-label">{ t(Msg::Step) }</span>
            </button>
            <label class="tl-speed">{ t(Msg::Speed) }
                <select data-testid="speed" onchange={speed}>{ options }</select>
            </label>
            <input type="range" class="tl-scrubber" data-testid="scrubber" min="0"
                max={horizon.div_ceil(SCRUB_MS).to_string()} step="1" value={now.div_ceil(SCRUB_MS).to_string()} oninput={scrub} aria-label={t(Msg::Scrubber)}
                aria-valuetext={clock(now)} />
            <output class="tl-clock" data-testid="clock" data-ms={now.to_string()} aria-label={t(Msg::Clock)}>
                { format!("t={}", clock(now)) }
            </output>
        </div>
    }
}

/// A 16×16 icon drawn with one SVG path (no icon font: the page loads nothing it does not ship).
fn icon(path: &'static str) -> Html {
    html! {
        <svg class="icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
            <path d={path} fill="currentColor" />
        </svg>
    }
}
