//! The terminal: kubectl (and curl, and container shells) over the recorded run. Enter dispatches the line as an
//! `Action::Command`; ↑ and ↓ walk the history of typed lines; Tab completes verbs, types, names and flags
//! (`kubectl::complete`), listing the choices when there are several; `clear` clears the view (not the run).

use crate::i18n::{text, Msg};
use crate::kubectl::complete::complete;
use crate::scenario::Action;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The most typed lines ↑ walks back through.
const HISTORY: usize = 500;

#[function_component(Terminal)]
pub fn terminal(props: &super::RunProps) -> Html {
    let input = use_node_ref();
    // Typed lines, newest last, and the position ↑/↓ are at (len = the fresh line).
    let history = use_mut_ref(Vec::<String>::new);
    let cursor = use_mut_ref(|| 0usize);
    // Transcript entries before this index are hidden by `clear`.
    let cleared = use_state(|| 0usize);
    let redraw = use_state(|| 0u64);
    // The choices the last Tab listed.
    let choices = use_state(Vec::<String>::new);
    // Escape was the last key: the next Tab leaves the terminal instead of completing.
    let escaped = use_mut_ref(|| false);

    let onkeydown = {
        let choices = choices.clone();
        let (props, input, history, cursor, cleared, redraw) =
            (props.clone(), input.clone(), history.clone(), cursor.clone(), cleared.clone(), redraw.clone());
        let run = props.run.clone();
        let escaped = escaped.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some(field) = input.cast::<HtmlInputElement>() else { return };
            if e.key() != "Tab" {
                choices.set(Vec::new());
            }
            let after_escape = std::mem::replace(&mut *escaped.borrow_mut(), e.key() == "Escape");
            // No keyboard trap (WCAG 2.1.2): Tab completes only a line with text, and Shift+Tab, or Tab after
            // Escape, or Tab on an empty line moves the focus on as everywhere else.
            if e.key() == "Tab" && (e.shift_key() || after_escape || field.value().trim().is_empty()) {
                return;
            }
            if (e.key() == "c" || e.key() == "C") && e.ctrl_key() && (run.read().watching() || run.read().waiting()) {
                // Ctrl+C stops a running `kubectl get -w` or a waiting curl (otherwise it is the browser's copy).
                e.prevent_default();
                props.record(Action::Interrupt);
                return;
            }
            match e.key().as_str() {
                "Tab" => {
                    e.prevent_default();
                    let line = field.value();
                    let c = complete(run.read().sim(), &line);
                    let insert = match c.candidates.as_slice() {
                        [] => return,
                        [only] if only.ends_with('=') => only.clone(),
                        [only] => format!("{only} "),
                        _ => c.common_prefix(),
                    };
                    field.set_value(&format!("{}{insert}", &line[..c.from]));
                    choices.set(if c.candidates.len() > 1 { c.candidates } else { Vec::new() });
                }
                "Enter" => {
                    e.prevent_default();
                    let line = field.value();
                    field.set_value("");
                    let trimmed = line.trim().to_string();
                    if !trimmed.is_empty() {
                        let mut h = history.borrow_mut();
                        if h.last() != Some(&trimmed) {
                            h.push(trimmed.clone());
                            if h.len() > HISTORY {
                                h.remove(0);
                            }
                        }
                        *cursor.borrow_mut() = h.len();
                    }
                    if trimmed == "clear" {
                        cleared.set(run.read().transcript.len());
                    } else if !trimmed.is_empty() {
                        props.record(Action::Command { line: trimmed });
                    }
                    redraw.set(*redraw + 1);
                }
                "ArrowUp" | "ArrowDown" => {
                    e.prevent_default();
                    let h = history.borrow();
                    let mut c = cursor.borrow_mut();
                    if e.key() == "ArrowUp" {
                        *c = c.saturating_sub(1);
                    } else {
                        *c = (*c + 1).min(h.len());
                    }
                    field.set_value(h.get(*c).map(String::as_str).unwrap_or(""));
                }
                _ => {}
            }
        })
    };

    // Keep the newest output in view.
    let output = use_node_ref();
    {
        let output = output.clone();
        use_effect_with(props.version, move |_| {
            if let Some(el) = output.cast::<web_sys::Element>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    let run = props.run.read();
    let watching = run.watching();
    let waiting = run.waiting();
    let prompt = run.terminal.prompt(run.sim());
    let shown = run.transcript.iter().skip((*cleared).min(run.transcript.len()));
    let entries: Html = shown
        .map(|e| {
            html! {
                <div class="term-entry">
                    <div class="term-line"><span class="term-prompt">{ e.prompt.clone() }</span>{ e.line.clone() }</div>
                    if !e.output.warnings.is_empty() { <pre class="term-err">{ shown_text(&e.output.warnings, props.hints) }</pre> }
                    if !e.output.stdout.is_empty() { <pre class="term-out">{ shown_text(&e.output.stdout, props.hints) }</pre> }
                    if !e.output.stderr.is_empty() { <pre class="term-err">{ shown_text(&e.output.stderr, props.hints) }</pre> }
                    if e.output.awaiting.is_some() {
                        <p class="term-choices" data-testid="terminal-loading">{ text(props.lang, Msg::DataLoading) }</p>
                    }
                </div>
            }
        })
        .collect();
    html! {
        <div class="terminal">
            <div class="term-output" data-testid="terminal-output" role="log" aria-live="polite" tabindex="0"
                aria-label={text(props.lang, Msg::TerminalOutput)} ref={output}>{ entries }</div>
            if watching {
                <p class="term-choices" data-testid="terminal-watching">{ text(props.lang, Msg::Watching) }</p>
            }
            if waiting {
                <p class="term-choices" data-testid="terminal-waiting">{ text(props.lang, Msg::Waiting) }</p>
            }
            if !choices.is_empty() {
                <p class="term-choices" data-testid="terminal-choices">{ choices.join("  ") }</p>
            }
            <div class="term-input-row">
                <label class="term-prompt" for="terminal-input">{ prompt }</label>
                <input id="terminal-input" class="term-input" data-testid="terminal-input" type="text" ref={input}
                    autocomplete="off" autocapitalize="off" spellcheck="false"
                    aria-label={text(props.lang, Msg::TerminalInput)} {onkeydown} />
            </div>
        </div>
    }
}

/// Output as the terminal shows it: with kubeplay's hint lines, or only what kubectl prints.
fn shown_text(text: &str, hints: bool) -> String {
    if hints {
        text.to_string()
    } else {
        crate::kubectl::without_hints(text)
    }
}
