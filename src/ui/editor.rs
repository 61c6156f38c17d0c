//! The editor: file tabs (new, rename, close), line numbers, YAML colouring, the manifest diagnostics underlined at
//! their line and column (message on the gutter marker's hover and in the list below), and Apply (or Ctrl/Cmd+Enter),
//! which runs `kubectl apply -f NAME` in the terminal.
//!
//! The text being typed is a draft kept here, written to the run (an `Action::WriteFile`) when the field loses focus,
//! on Apply and on a tab switch — one recorded action per edit, not per keystroke. The textarea is transparent over a
//! coloured copy of the same text, so the caret and selection are the browser's own and typing never loses text.

use crate::i18n::{text, Msg};
use crate::manifest::{self, highlight, Severity};
use crate::scenario::{apply_command, Action, Outcome};
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

#[function_component(Editor)]
pub fn editor(props: &super::RunProps) -> Html {
    let lang = props.lang;
    let t = |m| text(lang, m);
    let files: Vec<(String, String)> = props.run.read().files.0.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    // A draft restored from storage after a reload or a crash (if its file is still open) is shown, in its tab.
    let restored = use_memo((), |_| super::storage::draft().filter(|(name, _)| files.iter().any(|(n, _)| n == name)));
    let active = use_state(|| match &*restored {
        Some((name, _)) => name.clone(),
        None => files.first().map(|(n, _)| n.clone()).unwrap_or_default(),
    });
    // The draft: (file, text) while the learner types.
    let draft = use_state(|| (*restored).clone());
    {
        // Another run (a lesson, a link, reset, kept work brought back): its files, not the last run's draft.
        let id = props.run.id();
        let seen = use_mut_ref(|| id);
        let draft = draft.clone();
        use_effect_with(id, move |id| {
            if *seen.borrow() != *id {
                *seen.borrow_mut() = *id;
                draft.set(None);
            }
        });
    }
    {
        // A terminal line wrote a file (`kubectl … -o yaml > web.yaml`): its tab opens, showing what was written.
        let written = props.run.read().last_written.clone();
        let seen = use_mut_ref(|| written.clone());
        let (active, draft) = (active.clone(), draft.clone());
        use_effect_with(written, move |written| {
            // Only a new write: not the one the run had when the editor opened.
            if *seen.borrow() == *written {
                return;
            }
            *seen.borrow_mut() = written.clone();
            if let Some((_, name)) = written {
                if draft.as_ref().is_some_and(|(n, _)| n == name) {
                    draft.set(None);
                }
                active.set(name.clone());
            }
        });
    }
    let renaming = use_state(|| false);
    let message = use_state(|| None::<String>);
    let area = use_node_ref();

    let current_name = if files.iter().any(|(n, _)| *n == *active) {
        (*active).clone()
    } else {
        files.first().map(|(n, _)| n.clone()).unwrap_or_default()
    };
    let saved = files.iter().find(|(n, _)| *n == current_name).map(|(_, v)| v.clone());
    let current_text = match &*draft {
        Some((n, text)) if *n == current_name => text.clone(),
        _ => saved.clone().unwrap_or_default(),
    };

    // Writes the draft to the run (if it differs from what the run has), then records `more`; `then` hears the
    // outcome. A refusal is shown, and keeps the draft.
    let flush = {
        let (props, draft, message) = (props.clone(), draft.clone(), message.clone());
        move |more: Vec<Action>, then: Box<dyn Fn(&Outcome)>| {
            let write = (*draft).clone().filter(|(name, text)| props.run.read().files.0.get(name) != Some(text));
            let actions: Vec<Action> =
                write.map(|(name, text)| Action::WriteFile { name, text }).into_iter().chain(more).collect();
            let (draft, message) = (draft.clone(), message.clone());
            let done = move |outcome: Outcome| {
                if let Outcome::Refused(why) = &outcome {
                    message.set(Some(why.clone()));
                } else if draft.is_some() {
                    // The run holds the text now; the editor shows the run's file from here on (so a rewind shows
                    // the file as it was at the playhead).
                    forget_draft(&draft);
                }
                then(&outcome);
            };
            if actions.is_empty() {
                done(Outcome::Done);
            } else {
                props.record_then(actions, done);
            }
        }
    };

    let oninput = {
        let (draft, name) = (draft.clone(), current_name.clone());
        Callback::from(move |e: InputEvent| {
            let value = e.target_unchecked_into::<HtmlTextAreaElement>().value();
            let d = (name.clone(), value);
            let _ = super::storage::save_draft(Some(&d));
            draft.set(Some(d));
        })
    };
    let onblur = {
        let flush = flush.clone();
        Callback::from(move |_: FocusEvent| flush(Vec::new(), Box::new(|_| {})))
    };
    let apply = {
        let (flush, name) = (flush.clone(), current_name.clone());
        move || {
            if !name.is_empty() {
                flush(vec![apply_command(&name)], Box::new(|_| {}));
            }
        }
    };
    let onkeydown = {
        let apply = apply.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                e.prevent_default();
                apply();
            }
        })
    };
    let onapply = Callback::from(move |_: MouseEvent| apply());

    let new_file = {
        let (props, active, flush) = (props.clone(), active.clone(), flush.clone());
        Callback::from(move |_: MouseEvent| {
            let taken = props.run.read().files.0.keys().cloned().collect::<Vec<_>>();
            let name = (1..).map(|i| format!("untitled-{i}.yaml")).find(|n| !taken.contains(n)).unwrap_or_default();
            let active = active.clone();
            let write = Action::WriteFile { name: name.clone(), text: String::new() };
            flush(
                vec![write],
                Box::new(move |outcome| {
                    if !matches!(outcome, Outcome::Refused(_)) {
                        active.set(name.clone());
                    }
                }),
            );
        })
    };
    let close_file = {
        let (props, name, draft) = (props.clone(), current_name.clone(), draft.clone());
        Callback::from(move |_: MouseEvent| {
            draft.set(None);
            props.record(Action::RemoveFile { name: name.clone() });
        })
    };
    let start_rename = {
        let renaming = renaming.clone();
        Callback::from(move |_: MouseEvent| renaming.set(true))
    };
    let rename = {
        let (props, active, renaming, message, name, text_now, draft) = (
            props.clone(),
            active.clone(),
            renaming.clone(),
            message.clone(),
            current_name.clone(),
            current_text.clone(),
            draft.clone(),
        );
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Enter" => {
                let new = e.target_unchecked_into::<HtmlInputElement>().value().trim().to_string();
                renaming.set(false);
                if new.is_empty() || new == name {
                    return;
                }
                if props.run.read().files.0.contains_key(&new) {
                    message.set(Some(format!("{new}: {}", text(props.lang, Msg::FileExists))));
                    return;
                }
                // The text under its new name, then the old name gone: one change, stopping if the first is refused.
                let (active, message, draft) = (active.clone(), message.clone(), draft.clone());
                let moves = vec![
                    Action::WriteFile { name: new.clone(), text: text_now.clone() },
                    Action::RemoveFile { name: name.clone() },
                ];
                props.record_then(moves, move |outcome| match outcome {
                    Outcome::Refused(why) => message.set(Some(why)),
                    _ => {
                        forget_draft(&draft);
                        active.set(new.clone());
                    }
                });
            }
            "Escape" => renaming.set(false),
            _ => {}
        })
    };

    let tabs: Html = files
        .iter()
        .map(|(name, _)| {
            let selected = *name == current_name;
            let (active, flush, n) = (active.clone(), flush.clone(), name.clone());
            let onclick = Callback::from(move |_| {
                flush(Vec::new(), Box::new(|_| {}));
                active.set(n.clone());
            });
            html! {
                <button type="button" role="tab" class="tab" aria-selected={selected.to_string()} {onclick}>
                    { name }
                </button>
            }
        })
        .collect();

    let diagnostics = if current_name.is_empty() { Vec::new() } else { manifest::check(&current_text) };
    let lines = highlight::highlight(&current_text, &diagnostics);
    let gutter: Html = lines
        .iter()
        .enumerate()
        .map(|(i, _)| {
            let here: Vec<&manifest::Diagnostic> =
                diagnostics.iter().filter(|d| d.span.start.line as usize == i + 1).collect();
            let title = here.iter().map(|d| d.message.as_str()).collect::<Vec<_>>().join("\n");
            let class = match here.iter().map(|d| d.severity).min_by_key(|s| *s != Severity::Error) {
                Some(Severity::Error) => "gutter-error",
                Some(_) => "gutter-warning",
                None => "",
            };
            html! { <div class={classes!("gutter-line", class)} title={(!title.is_empty()).then_some(title)}>{ i + 1 }</div> }
        })
        .collect();
    let mirror: Html = lines
        .iter()
        .map(|pieces| {
            let spans: Html = pieces
                .iter()
                .map(|p| {
                    let mark = match p.severity {
                        Some(Severity::Error) => "mark-error",
                        Some(_) => "mark-warning",
                        None => "",
                    };
                    html! { <span class={classes!(p.tok.class(), mark)}>{ &p.text }</span> }
                })
                .collect();
            html! { <div class="mirror-line">{ spans }{ "\u{200b}" }</div> }
        })
        .collect();
    let problems: Html = diagnostics
        .iter()
        .map(|d| {
            let (area, line, col) = (area.clone(), d.span.start.line, d.span.start.col);
            let text_now = current_text.clone();
            let onclick = Callback::from(move |_| {
                if let Some(a) = area.cast::<HtmlTextAreaElement>() {
                    let offset = offset_of(&text_now, line, col);
                    let _ = a.focus();
                    let _ = a.set_selection_range(offset, offset);
                }
            });
            let severity = if d.severity == Severity::Error { "error" } else { "warning" };
            html! {
                <li class={classes!("problem", format!("problem-{severity}"))}>
                    <button type="button" class="problem-link" {onclick}>
                        { format!("{line}:{col} {severity}: {}", d.message) }
                        if let Some(s) = &d.suggestion { { format!(" ({s})") } }
                    </button>
                </li>
            }
        })
        .collect();
    let rows = lines.len().max(8);

    html! {
        <div class="editor" data-testid="editor-panel">
            // The tablist holds only tabs; "+" is a button beside it.
            <div class="tab-row">
                <div class="tabs" role="tablist" aria-label={t(Msg::Files)}>
                    { tabs }
                </div>
                <button type="button" class="tab tab-action" onclick={new_file} title={t(Msg::NewFile)} data-testid="file-new"
                    aria-label={t(Msg::NewFile)}>{ "+" }</button>
            </div>
            if current_name.is_empty() {
                <p class="placeholder">{ t(Msg::EditorEmpty) }</p>
            } else {
                <div class="file-bar">
                    if *renaming {
                        <input type="text" class="rename" value={current_name.clone()} onkeydown={rename} data-testid="file-rename-input"
                            aria-label={t(Msg::RenameFile)} />
                    } else {
                        <span class="file-name">{ &current_name }</span>
                        <button type="button" class="view-button" onclick={start_rename} data-testid="file-rename">{ t(Msg::RenameFile) }</button>
                    }
                    <button type="button" class="view-button" onclick={close_file} data-testid="file-close">{ t(Msg::CloseFile) }</button>
                    <button type="button" class="apply-button" data-testid="apply" onclick={onapply}
                        title="Ctrl+Enter">{ t(Msg::Apply) }</button>
                </div>
                <div class="code">
                    <div class="gutter" aria-hidden="true">{ gutter }</div>
                    <div class="code-body">
                        <div class="mirror" aria-hidden="true">{ mirror }</div>
                        <textarea ref={area} class="code-input" data-testid="editor" spellcheck="false"
                            autocomplete="off" autocapitalize="off" rows={rows.to_string()} wrap="off"
                            aria-label={format!("{}: {current_name}", t(Msg::EditorTitle))}
                            value={current_text.clone()} {oninput} {onblur} {onkeydown} />
                    </div>
                </div>
                <div class="problems" aria-live="polite">
                    if diagnostics.is_empty() {
                        <p class="no-problems">{ t(Msg::NoProblems) }</p>
                    } else {
                        <ul data-testid="diagnostics">{ problems }</ul>
                    }
                </div>
            }
            if let Some(m) = &*message { <p class="editor-message" role="alert">{ m }</p> }
        </div>
    }
}

/// The UTF-16 offset of (line, column) in `text`, for the textarea's selection.
fn offset_of(text: &str, line: u32, col: u32) -> u32 {
    let mut offset = 0u32;
    for (i, l) in text.split('\n').enumerate() {
        if i + 1 == line as usize {
            let prefix: String = l.chars().take(col.saturating_sub(1) as usize).collect();
            return offset + prefix.encode_utf16().count() as u32;
        }
        offset += l.encode_utf16().count() as u32 + 1;
    }
    offset
}

/// The run holds the draft's text now: the editor stops showing the draft, and the stored copy (kept for a reload)
/// goes too.
fn forget_draft(draft: &UseStateHandle<Option<(String, String)>>) {
    draft.set(None);
    let _ = super::storage::save_draft(None);
}
