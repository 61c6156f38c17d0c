//! The root component: the header and the four regions of the screen (editor, stage, terminal, timeline).

use crate::cluster::Settings;
use crate::i18n::{text, Lang, Msg};
use crate::scenario::Run;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

#[function_component(App)]
pub fn app() -> Html {
    let lang = use_state(super::initial_lang);
    // The run: the simulation and its recording. Components change it only by dispatching actions.
    let run = use_memo((), |_| Rc::new(RefCell::new(Run::new(Settings::default()))));
    let version = use_state(|| 0u64);
    let on_change = {
        let version = version.clone();
        Callback::from(move |()| version.set(*version + 1))
    };
    let mounted = use_state(|| false);
    {
        let mounted = mounted.clone();
        use_effect_with((), move |_| mounted.set(true));
    }
    use_effect_with(*lang, |lang| super::apply_lang_to_document(*lang));

    let t = |msg| text(*lang, msg);
    let switch: Html = Lang::ALL
        .iter()
        .map(|&choice| {
            let state = lang.clone();
            let onclick = Callback::from(move |_| {
                super::remember_lang(choice);
                state.set(choice);
            });
            html! {
                <button type="button" class="lang-button" lang={choice.code()}
                    aria-pressed={(choice == *lang).to_string()} {onclick}>
                    { choice.native_name() }
                </button>
            }
        })
        .collect();

    let region = |id: &'static str, title: Msg, empty: Msg| {
        let heading = format!("{id}-title");
        html! {
            <section class={classes!("panel", format!("panel-{id}"))} data-region={id}
                aria-labelledby={heading.clone()} id={id}>
                <h2 id={heading}>{ t(title) }</h2>
                <p class="placeholder">{ t(empty) }</p>
            </section>
        }
    };

    html! {
        <div class="app" data-testid={ if *mounted { "app-ready" } else { "app-starting" } }>
            <a class="skip-link" href="#terminal">{ t(Msg::SkipToTerminal) }</a>
            <header class="topbar">
                <h1 class="brand">{ "kubeplay" }</h1>
                <p class="tagline">{ t(Msg::Tagline) }</p>
                <div class="lang-switch" role="group" aria-label={t(Msg::LanguageSwitch)}>{ switch }</div>
            </header>
            <main class="layout">
                { region("editor", Msg::EditorTitle, Msg::EditorEmpty) }
                { region("stage", Msg::StageTitle, Msg::StageEmpty) }
                <section class={classes!("panel", "panel-terminal")} data-region="terminal"
                    aria-labelledby="terminal-title" id="terminal">
                    <h2 id="terminal-title">{ t(Msg::TerminalTitle) }</h2>
                    <p class="hint">{ t(Msg::TerminalEmpty) }</p>
                    <super::terminal::Terminal run={(*run).clone()} lang={*lang} on_change={on_change} />
                </section>
                { region("timeline", Msg::TimelineTitle, Msg::TimelineEmpty) }
            </main>
        </div>
    }
}
