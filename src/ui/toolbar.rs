//! The header's tools: share (the run as a link), export (the files as one YAML stream, the run as a script for a
//! real cluster) and reset (asks first). Each popover closes with Escape.

use crate::i18n::{text, Lang, Msg};
use crate::scenario::export;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The page's address without its fragment.
fn page_address() -> String {
    let href = gloo::utils::window().location().href().unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_string()
}

/// Offers `content` as a file download.
fn download(name: &str, content: &str, mime: &str) {
    let blob = gloo::file::Blob::new_with_options(content, Some(mime));
    let url = gloo::file::ObjectUrl::from(blob);
    let document = gloo::utils::document();
    if let Some(a) = document.create_element("a").ok().and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok()) {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
}

#[derive(Properties, Clone, PartialEq)]
pub struct ToolbarProps {
    pub run: super::RunProps,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    None,
    Share,
    Export,
    Reset,
}

#[function_component(Toolbar)]
pub fn toolbar(props: &ToolbarProps) -> Html {
    let lang: Lang = props.run.lang;
    let t = |m| text(lang, m);
    let open = use_state(|| Open::None);
    let copied = use_state(|| false);
    let toggle = |which: Open| {
        let (open, copied) = (open.clone(), copied.clone());
        Callback::from(move |_| {
            copied.set(false);
            open.set(if *open == which { Open::None } else { which });
        })
    };
    let onkeydown = {
        let open = open.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                open.set(Open::None);
            }
        })
    };
    let popover = match *open {
        Open::None => html! {},
        Open::Share => {
            let link = crate::scenario::link::Link::of(&props.run.run.read()).encode();
            let url = format!("{}#{link}", page_address());
            let copy = {
                let (url, copied) = (url.clone(), copied.clone());
                Callback::from(move |_| {
                    let clipboard = gloo::utils::window().navigator().clipboard();
                    let _ = clipboard.write_text(&url);
                    copied.set(true);
                })
            };
            let select = Callback::from(|e: FocusEvent| {
                if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
                    input.select();
                }
            });
            html! {
                <div class="popover share" role="dialog" aria-label={t(Msg::Share)}>
                    <p>{ t(Msg::ShareHint) }</p>
                    <input type="text" readonly=true value={url.clone()} onfocus={select} data-testid="share-link"
                        aria-label={t(Msg::Share)} />
                    <p class="share-length">{ format!("{} {}", url.len(), t(Msg::Characters)) }</p>
                    <button type="button" onclick={copy} data-testid="share-copy">
                        { t(if *copied { Msg::Copied } else { Msg::Copy }) }
                    </button>
                </div>
            }
        }
        Open::Export => {
            let yaml = {
                let run = props.run.run.clone();
                Callback::from(move |_| {
                    download("kubeplay-files.yaml", &export::yaml_stream(&run.read()), "application/yaml")
                })
            };
            let script = {
                let run = props.run.run.clone();
                Callback::from(move |_| download("kubeplay-run.sh", &export::script(&run.read()), "text/x-shellscript"))
            };
            html! {
                <div class="popover export" role="dialog" aria-label={t(Msg::Export)}>
                    <button type="button" onclick={yaml} data-testid="export-yaml">{ t(Msg::ExportYaml) }</button>
                    <button type="button" onclick={script} data-testid="export-script">{ t(Msg::ExportScript) }</button>
                </div>
            }
        }
        Open::Reset => {
            let yes = {
                let (run, open) = (props.run.clone(), open.clone());
                Callback::from(move |_| {
                    open.set(Open::None);
                    run.send(super::Change::Reset);
                })
            };
            html! {
                <div class="popover reset" role="alertdialog" aria-label={t(Msg::Reset)}>
                    <p>{ t(Msg::ResetConfirm) }</p>
                    <button type="button" class="danger" onclick={yes} data-testid="reset-confirm">{ t(Msg::ResetYes) }</button>
                    <button type="button" onclick={toggle(Open::Reset)}>{ t(Msg::Cancel) }</button>
                </div>
            }
        }
    };
    let button = |which: Open, label: Msg, id: &'static str| {
        html! {
            <button type="button" class="toolbar-button" aria-expanded={(*open == which).to_string()}
                onclick={toggle(which)} data-testid={id}>{ t(label) }</button>
        }
    };
    html! {
        <div class="toolbar" {onkeydown}>
            { button(Open::Share, Msg::Share, "share") }
            { button(Open::Export, Msg::Export, "export") }
            { button(Open::Reset, Msg::Reset, "reset") }
            { popover }
        </div>
    }
}
