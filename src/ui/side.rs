//! The side of the screen: tabs for the lesson, events, history, traffic and settings, and the open one's panel.

use super::state::{Change, Side};
use super::RunProps;
use crate::i18n::{text, Msg};
use crate::scenario::stage::Stage;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, Clone, PartialEq)]
pub struct SideProps {
    pub side: Side,
    /// The run, keyed on every change (the lesson, traffic and settings panels).
    pub run: RunProps,
    /// The run, keyed on the recording (the history).
    pub actions: RunProps,
    /// The run, keyed on the recording, the events' count and the second (the events panel).
    pub events: RunProps,
    pub stage: Rc<Stage>,
    pub traffic: Rc<crate::scenario::stage::Traffic>,
    /// How the lesson step's checks and needs stand; `None` outside a lesson.
    pub lesson: Option<Rc<super::lesson::Status>>,
}

#[function_component(SidePanel)]
pub fn side_panel(props: &SideProps) -> Html {
    let t = |msg| text(props.run.lang, msg);
    let tab = |which: Side, label: Msg| {
        let run = props.run.clone();
        let passed = props.lesson.as_ref().is_some_and(|s| s.passed());
        let mark = if which == Side::Lesson && passed { " ✓" } else { "" };
        html! {
            <button type="button" role="tab" class="tab" aria-selected={(props.side == which).to_string()}
                onclick={Callback::from(move |_| run.send(Change::Show(which)))}>{ t(label) }{ mark }</button>
        }
    };
    let stage = props.stage.clone();
    html! {
        <section class="panel panel-side" data-region="side" aria-label={t(Msg::SidePanels)}>
            <div class="tabs" role="tablist">
                { tab(Side::Lesson, Msg::LessonTitle) }
                { tab(Side::Events, Msg::EventsTitle) }
                { tab(Side::History, Msg::HistoryTitle) }
                { tab(Side::Traffic, Msg::TrafficTitle) }
                { tab(Side::Settings, Msg::SettingsTitle) }
            </div>
            <div role="tabpanel">
                { match props.side {
                    Side::Lesson => html! {
                        <super::lesson::LessonPanel run={props.run.clone()} status={props.lesson.clone()} />
                    },
                    Side::Events => html! { <super::panels::Events ..props.events.clone() /> },
                    Side::History => html! { <super::panels::History run={props.actions.clone()} {stage} /> },
                    Side::Traffic => html! { <super::panels::Traffic run={props.run.clone()} {stage} traffic={props.traffic.clone()} /> },
                    Side::Settings => html! { <super::panels::SettingsPanel ..props.run.clone() /> },
                } }
            </div>
        </section>
    }
}
