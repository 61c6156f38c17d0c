//! The top of the page: the brand, the lesson picker, the toolbar and the language switch; and the notice under it
//! (a link opened, work kept, something that could not be read or saved).

use super::state::Change;
use super::storage::Notice;
use super::RunProps;
use crate::i18n::{text, Lang, Msg};
use yew::prelude::*;

#[derive(Properties, Clone, PartialEq)]
pub struct HeaderProps {
    /// Keyed on the recording (what the toolbar's share and export read).
    pub run: RunProps,
}

#[function_component(Header)]
pub fn header(props: &HeaderProps) -> Html {
    let lang = props.run.lang;
    let t = |msg| text(lang, msg);
    let switch: Html = Lang::ALL
        .iter()
        .map(|&choice| {
            let run = props.run.clone();
            let onclick = Callback::from(move |_| {
                super::remember_lang(choice);
                run.send(Change::Lang(choice));
            });
            html! {
                <button type="button" class="lang-button" lang={choice.code()}
                    aria-pressed={(choice == lang).to_string()} {onclick}>
                    { choice.native_name() }
                </button>
            }
        })
        .collect();
    html! {
        <header class="topbar">
            <h1 class="brand">{ "kubeplay" }</h1>
            <p class="tagline">{ t(Msg::Tagline) }</p>
            <super::lesson::Picker run={props.run.clone()} />
            <super::toolbar::Toolbar run={props.run.clone()} />
            <div class="lang-switch" role="group" aria-label={t(Msg::LanguageSwitch)}>{ switch }</div>
        </header>
    }
}

#[derive(Properties, Clone, PartialEq)]
pub struct BannerProps {
    pub notice: Notice,
    pub run: RunProps,
}

/// The notice, with a dismiss button (and, when the learner's own run was kept, a button that brings it back).
#[function_component(Banner)]
pub fn banner(props: &BannerProps) -> Html {
    let t = |msg| text(props.run.lang, msg);
    let n = &props.notice;
    let dismiss = {
        let run = props.run.clone();
        Callback::from(move |_| run.send(Change::Notice(None)))
    };
    let (kind, body) = match n {
        Notice::LinkOpened { .. } | Notice::Kept => {
            let previous = matches!(n, Notice::Kept | Notice::LinkOpened { previous: true });
            let restore = previous.then(|| {
                let run = props.run.clone();
                let onclick = Callback::from(move |_| run.send(Change::RestorePrevious));
                html! { <button type="button" {onclick} data-testid="restore-previous">{ t(Msg::RestorePrevious) }</button> }
            });
            let (kind, said) = match n {
                Notice::Kept => ("kept", Msg::Kept),
                _ => ("link-opened", Msg::LinkOpened),
            };
            (kind, html! { <>{ t(said) }{ " " }{ for restore }</> })
        }
        Notice::LinkBad(why) => ("link-bad", html! { <>{ t(Msg::LinkBad) }{ " " }<code>{ why }</code></> }),
        Notice::SavedBad(why) => ("saved-bad", html! { <>{ t(Msg::SavedBad) }{ " " }<code>{ why }</code></> }),
        Notice::SaveFailed(why) => ("save-failed", html! { <>{ t(Msg::SaveFailed) }{ " " }<code>{ why }</code></> }),
        Notice::OtherTab => {
            let (keep, open) = (props.run.clone(), props.run.clone());
            let keep = Callback::from(move |_| keep.send(Change::KeepThisTab));
            let open = Callback::from(move |_| open.send(Change::OpenOtherTab));
            (
                "other-tab",
                html! { <>
                    { t(Msg::OtherTab) }{ " " }
                    <button type="button" onclick={open} data-testid="other-tab-open">{ t(Msg::OpenOtherTab) }</button>
                    { " " }
                    <button type="button" onclick={keep} data-testid="other-tab-keep">{ t(Msg::KeepThisTab) }</button>
                </> },
            )
        }
    };
    html! {
        <div class="notice" role="status" data-testid="notice" data-kind={kind}>
            <p>{ body }</p>
            <button type="button" class="small" onclick={dismiss}>{ t(Msg::Dismiss) }</button>
        </div>
    }
}
