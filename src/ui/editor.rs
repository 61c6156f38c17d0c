//! The editor: file tabs (new, rename, close), line numbers, YAML colouring, the manifest diagnostics underlined at
//! their line and column (message on the gutter marker's hover and in the list below, with a quick fix where there
//! is one), completion (Ctrl+Space, after `key: `, on a new indented line, or the Suggest button), the documentation
//! of the field at the caret or under the pointer, a code editor's keys (Tab, Shift+Tab, Enter keeping the
//! indentation, Ctrl+/, undo and redo), and Apply (or Ctrl/Cmd+Enter), which runs `kubectl apply -f NAME` in the
//! terminal. What to complete, document and fix is the core's (`assist`); this file only draws it and edits the text.
//!
//! The text being typed is a draft kept here, written to the run (an `Action::WriteFile`) when the field loses focus,
//! on Apply and on a tab switch — one recorded action per edit, not per keystroke. The textarea is transparent over a
//! coloured copy of the same text, so the caret and selection are the browser's own and typing never loses text.
//! Undo is the editor's own history per file (so applying, which writes the run's copy, does not end it).

use crate::assist::{self, edit, Completions, Hovered};
use crate::i18n::{fix_title, text, Msg};
use crate::kubectl::Awaiting;
use crate::manifest::{self, highlight, Severity};
use crate::scenario::{apply_command, Action, Outcome};
use std::collections::HashMap;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

/// The completion list while it is open: what the core offered, and the one chosen with the arrows.
#[derive(Clone, PartialEq)]
struct Popup {
    offered: Completions,
    chosen: usize,
}

/// The completion list's state. Handlers read it as it is now, not as of their render (a key pressed right after
/// another can come before the render of the first), and every change redraws.
#[derive(Clone)]
struct PopupCell {
    cell: std::rc::Rc<std::cell::RefCell<Option<Popup>>>,
    redraw: UseForceUpdateHandle,
}

impl PopupCell {
    fn get(&self) -> Option<Popup> {
        self.cell.borrow().clone()
    }

    fn set(&self, p: Option<Popup>) {
        *self.cell.borrow_mut() = p;
        self.redraw.force_update();
    }
}

/// The byte offset of a UTF-16 offset (the textarea's selection) in `text`.
fn byte_of(text: &str, utf16: u32) -> usize {
    let mut units = 0u32;
    for (b, c) in text.char_indices() {
        if units >= utf16 {
            return b;
        }
        units += c.len_utf16() as u32;
    }
    text.len()
}

/// The UTF-16 offset of byte `b` of `text`.
fn utf16_of(text: &str, b: usize) -> u32 {
    text.get(..b.min(text.len())).map_or(0, |t| t.encode_utf16().count() as u32)
}

/// The textarea's text and selection, as the core's edits take them.
fn state_of(area: &HtmlTextAreaElement) -> edit::State {
    let text = area.value();
    let start = byte_of(&text, area.selection_start().ok().flatten().unwrap_or(0));
    let end = byte_of(&text, area.selection_end().ok().flatten().unwrap_or(0));
    edit::State::new(text, start, end)
}

/// (line, column in characters), 0-based, of byte `b`.
fn line_col(text: &str, b: usize) -> (usize, usize) {
    let before = &text[..text.floor_char_boundary(b)];
    let line = before.matches('\n').count();
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count());
    (line, col)
}

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
    // Undo and redo, per file; the selection to put back after the next render (an edit made here, not by typing).
    let history = use_mut_ref(HashMap::<String, edit::History>::new);
    let pending = use_mut_ref(|| None::<(u32, u32)>);
    // The text and selection as of the last change, for the history's "before".
    let last = use_mut_ref(edit::State::default);
    let popup = PopupCell { cell: use_mut_ref(|| None), redraw: use_force_update() };
    // Where the caret is (for the field documentation), once the learner is in the text (so the first render, which
    // takes over the prerendered page, draws no documentation), and where the pointer rests over the text.
    let caret = use_state(|| None::<usize>);
    let pointer = use_state(|| None::<usize>);
    // Whether Tab indents: once the learner edits (types, clicks into the text); not when the focus arrives from the
    // keyboard, so Tab walks through the page, and not after Escape, so the keyboard is never trapped.
    let tab_indents = use_mut_ref(|| false);
    // While the text has the focus, the editor's keys are shown under it (and always read to screen readers).
    let focused = use_state(|| false);
    {
        // Another run (a lesson, a link, reset, kept work brought back): its files, not the last run's draft.
        let id = props.run.id();
        let seen = use_mut_ref(|| id);
        let (draft, history, popup, caret, pointer) =
            (draft.clone(), history.clone(), popup.clone(), caret.clone(), pointer.clone());
        use_effect_with(id, move |id| {
            if *seen.borrow() != *id {
                *seen.borrow_mut() = *id;
                draft.set(None);
                history.borrow_mut().clear();
                // Offsets into the last run's text mean nothing in this one.
                popup.set(None);
                caret.set(None);
                pointer.set(None);
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
    let measure = use_node_ref();

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
    {
        // After each render: the selection an edit chose (the new value put the caret at the end).
        let (area, pending) = (area.clone(), pending.clone());
        use_effect(move || {
            if let (Some(a), Some((s, e))) = (area.cast::<HtmlTextAreaElement>(), pending.borrow_mut().take()) {
                let _ = a.set_selection_range(s, e);
            }
        });
    }
    {
        // The field lists arrived while completion waited for them: offer again.
        let (popup, area) = (popup.clone(), area.clone());
        let loaded = crate::kubectl::explain::loaded();
        use_effect_with(loaded, move |loaded| {
            if let (true, Some(p), Some(a)) = (*loaded, popup.get(), area.cast::<HtmlTextAreaElement>()) {
                if p.offered.loading {
                    let s = state_of(&a);
                    popup.set(open(assist::complete(&s.text, s.end), true));
                }
            }
        });
    }

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

    // Puts an edit's result in the draft, as one undoable change, with its selection after the render.
    let change = {
        let (draft, history, pending, last, name, caret, area) = (
            draft.clone(),
            history.clone(),
            pending.clone(),
            last.clone(),
            current_name.clone(),
            caret.clone(),
            area.clone(),
        );
        move |before: edit::State, after: edit::State, typing: bool| {
            history.borrow_mut().entry(name.clone()).or_default().record(before, typing);
            let selection = (utf16_of(&after.text, after.start), utf16_of(&after.text, after.end));
            // The field shows the edit at once, so a key pressed before the next render acts on it; the render
            // that follows writes the same text, and the selection is put back after it.
            if let Some(a) = area.cast::<HtmlTextAreaElement>() {
                a.set_value(&after.text);
                let _ = a.set_selection_range(selection.0, selection.1);
            }
            *pending.borrow_mut() = Some(selection);
            caret.set(Some(after.end));
            let d = (name.clone(), after.text.clone());
            let _ = super::storage::save_draft(Some(&d));
            draft.set(Some(d));
            *last.borrow_mut() = after;
        }
    };

    // Replaces the offered range with an item, and offers again where the item says so.
    let accept = {
        let (popup, change) = (popup.clone(), change.clone());
        move |a: &HtmlTextAreaElement, p: &Popup, i: usize| {
            let Some(item) = p.offered.items.get(i) else { return };
            let before = state_of(a);
            let r = p.offered.replace.clone();
            if r.end > before.text.len()
                || !before.text.is_char_boundary(r.start)
                || !before.text.is_char_boundary(r.end)
            {
                popup.set(None);
                return;
            }
            let mut text = before.text.clone();
            text.replace_range(r.clone(), &item.insert);
            let at = r.start + item.insert.len();
            let after = edit::State::new(text, at, at);
            popup.set(if item.again { open(assist::complete(&after.text, at), false) } else { None });
            change(before, after, false);
        }
    };

    let oninput = {
        let (history, name, last, popup, caret, draft, tab_indents) = (
            history.clone(),
            current_name.clone(),
            last.clone(),
            popup.clone(),
            caret.clone(),
            draft.clone(),
            tab_indents.clone(),
        );
        Callback::from(move |e: InputEvent| {
            *tab_indents.borrow_mut() = true;
            let a = e.target_unchecked_into::<HtmlTextAreaElement>();
            let now = state_of(&a);
            // What was typed, when the event says (a script's plain `input` event does not).
            let typed = AsRef::<web_sys::Event>::as_ref(&e)
                .dyn_ref::<web_sys::InputEvent>()
                .map(|i| (i.input_type(), i.data().unwrap_or_default()));
            let data = typed.as_ref().map(|(_, d)| d.clone()).unwrap_or_default();
            // Typing a word is one change; a space, a new line, a paste or a cut starts another.
            let typing = typed.as_ref().is_some_and(|(kind, d)| {
                matches!(kind.as_str(), "insertText" | "deleteContentBackward" | "deleteContentForward")
                    && !d.contains(char::is_whitespace)
            });
            let before = last.borrow().clone();
            history.borrow_mut().entry(name.clone()).or_default().record(before, typing);
            *last.borrow_mut() = now.clone();
            caret.set(Some(now.end));
            let d = (name.clone(), now.text.clone());
            let _ = super::storage::save_draft(Some(&d));
            draft.set(Some(d));
            // Completion follows the typing while open, and opens by itself after `key: `.
            let offered = assist::complete(&now.text, now.end);
            if popup.get().is_some() {
                popup.set(open(offered, true));
            } else if data == " " && now.text[..now.end].ends_with(": ") {
                popup.set(open(offered, false));
            }
        })
    };
    let onblur = {
        let (flush, popup, focused) = (flush.clone(), popup.clone(), focused.clone());
        Callback::from(move |_: FocusEvent| {
            popup.set(None);
            focused.set(false);
            flush(Vec::new(), Box::new(|_| {}));
        })
    };
    let onfocus = {
        let (props, last, caret, tab_indents, focused) =
            (props.clone(), last.clone(), caret.clone(), tab_indents.clone(), focused.clone());
        Callback::from(move |e: FocusEvent| {
            *tab_indents.borrow_mut() = false;
            focused.set(true);
            let a = e.target_unchecked_into::<HtmlTextAreaElement>();
            let s = state_of(&a);
            caret.set(Some(s.end));
            *last.borrow_mut() = s;
            // The field lists and descriptions: fetched now, so they are here when the learner asks.
            if !Awaiting::ExplainData.loaded() {
                super::data::fetch(&[Awaiting::ExplainData], &props.dispatch);
            }
        })
    };
    let apply = {
        let (flush, name) = (flush.clone(), current_name.clone());
        move || {
            if !name.is_empty() {
                flush(vec![apply_command(&name)], Box::new(|_| {}));
            }
        }
    };
    // Undo and redo from the history of this file.
    let step_history = {
        let (history, name, change, popup) = (history.clone(), current_name.clone(), change.clone(), popup.clone());
        move |a: &HtmlTextAreaElement, back: bool| {
            let now = state_of(a);
            let to = {
                let mut h = history.borrow_mut();
                let h = h.entry(name.clone()).or_default();
                if back {
                    h.undo(now.clone())
                } else {
                    h.redo(now.clone())
                }
            };
            if let Some(to) = to {
                // `change` would record this step as a change of its own: keep the history as undo/redo left it.
                let saved = history.borrow().get(&name).cloned();
                change(now, to, false);
                if let Some(saved) = saved {
                    history.borrow_mut().insert(name.clone(), saved);
                }
                popup.set(None);
            }
        }
    };
    let onkeydown = {
        let (apply, popup, accept, change, step_history, tab_indents) =
            (apply.clone(), popup.clone(), accept.clone(), change.clone(), step_history.clone(), tab_indents.clone());
        Callback::from(move |e: KeyboardEvent| {
            let a = e.target_unchecked_into::<HtmlTextAreaElement>();
            let key = e.key();
            let ctrl = e.ctrl_key() || e.meta_key();
            let indents = *tab_indents.borrow();
            // A list left open where the caret no longer is (or over a selection) is closed, not used.
            let here = state_of(&a);
            let stale = |p: &Popup| {
                here.start != here.end || here.end < p.offered.replace.start || here.end > p.offered.replace.end
            };
            if popup.get().as_ref().is_some_and(stale) {
                popup.set(None);
            }
            if let Some(p) = popup.get() {
                let n = p.offered.items.len();
                match key.as_str() {
                    "ArrowDown" | "ArrowUp" if n > 0 => {
                        e.prevent_default();
                        let chosen = if key == "ArrowDown" { (p.chosen + 1) % n } else { (p.chosen + n - 1) % n };
                        popup.set(Some(Popup { chosen, ..p }));
                        return;
                    }
                    "Enter" | "Tab" if n > 0 && !ctrl && !e.shift_key() => {
                        e.prevent_default();
                        accept(&a, &p, p.chosen);
                        return;
                    }
                    "Escape" => {
                        e.prevent_default();
                        popup.set(None);
                        return;
                    }
                    _ => {}
                }
            }
            match key.as_str() {
                "Enter" if ctrl => {
                    e.prevent_default();
                    apply();
                }
                " " if e.ctrl_key() => {
                    e.prevent_default();
                    let s = state_of(&a);
                    popup.set(open(assist::complete(&s.text, s.end), true));
                }
                "Escape" => *tab_indents.borrow_mut() = false,
                "Tab" if !indents => {}
                "Tab" => {
                    e.prevent_default();
                    let s = state_of(&a);
                    let after = if e.shift_key() { edit::outdent(&s) } else { edit::indent(&s) };
                    change(s, after, false);
                }
                "Enter" if !e.shift_key() && !e.alt_key() => {
                    e.prevent_default();
                    *tab_indents.borrow_mut() = true;
                    let s = state_of(&a);
                    let after = edit::newline(&s);
                    // A new indented line: what may go there, if anything.
                    popup.set(open(assist::complete(&after.text, after.end), false));
                    change(s, after, false);
                }
                "/" if ctrl => {
                    e.prevent_default();
                    let s = state_of(&a);
                    let after = edit::toggle_comment(&s);
                    change(s, after, false);
                }
                "z" | "Z" if ctrl => {
                    e.prevent_default();
                    step_history(&a, !e.shift_key());
                }
                "y" if ctrl => {
                    e.prevent_default();
                    step_history(&a, false);
                }
                _ => {}
            }
        })
    };
    // The caret moved (arrows, a click, a selection): the documentation follows it; a moved caret closes the list.
    let track_caret = {
        let (caret, popup, history, name) = (caret.clone(), popup.clone(), history.clone(), current_name.clone());
        Callback::from(move |e: Event| {
            let a = e.target_unchecked_into::<HtmlTextAreaElement>();
            let s = state_of(&a);
            if *caret != Some(s.end) {
                caret.set(Some(s.end));
                if let Some(p) = popup.get() {
                    if s.end < p.offered.replace.start || s.end > p.offered.replace.end {
                        popup.set(None);
                    }
                }
                if let Some(h) = history.borrow_mut().get_mut(&name) {
                    h.break_typing();
                }
            }
        })
    };
    let onkeyup = {
        let track = track_caret.clone();
        Callback::from(move |e: KeyboardEvent| track.emit(e.into()))
    };
    let onclick_area = {
        let (track, tab_indents) = (track_caret.clone(), tab_indents.clone());
        Callback::from(move |e: MouseEvent| {
            *tab_indents.borrow_mut() = true;
            track.emit(e.into())
        })
    };
    // The pointer over the text: the documentation of the line under it (the text's cell size is measured once).
    let onmousemove = {
        let (pointer, measure, text_now) = (pointer.clone(), measure.clone(), current_text.clone());
        Callback::from(move |e: MouseEvent| {
            let Some(m) = measure.cast::<HtmlElement>() else { return };
            let (w, h) = (m.offset_width() as f64 / 10.0, m.offset_height() as f64);
            if w <= 0.0 || h <= 0.0 {
                return;
            }
            // The textarea's padding: .4rem .5rem, as the mirror's.
            let line = ((e.offset_y() as f64 - 0.4 * 16.0) / h).floor().max(0.0) as usize;
            let col = ((e.offset_x() as f64 - 0.5 * 16.0) / w).floor().max(0.0) as usize;
            let offset = text_now.split('\n').take(line).map(|l| l.len() + 1).sum::<usize>().min(text_now.len());
            let in_line = text_now[offset..].split('\n').next().unwrap_or("");
            let b = offset + in_line.char_indices().nth(col).map_or(in_line.len(), |(b, _)| b);
            let same_line = pointer.is_some_and(|p| line_col(&text_now, p).0 == line);
            if !same_line {
                pointer.set(Some(b));
            }
        })
    };
    let onmouseleave = {
        let pointer = pointer.clone();
        Callback::from(move |_: MouseEvent| pointer.set(None))
    };
    let onapply = Callback::from(move |_: MouseEvent| apply());
    // The phone's way to completion, undo and redo: buttons that keep the text's focus and selection.
    let keep_focus = Callback::from(|e: MouseEvent| e.prevent_default());
    let suggest = {
        let (area, popup) = (area.clone(), popup.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(a) = area.cast::<HtmlTextAreaElement>() {
                let _ = a.focus();
                let s = state_of(&a);
                popup.set(open(assist::complete(&s.text, s.end), true));
            }
        })
    };
    let history_button = |back: bool| {
        let (area, step_history) = (area.clone(), step_history.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(a) = area.cast::<HtmlTextAreaElement>() {
                let _ = a.focus();
                step_history(&a, back);
            }
        })
    };

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
            let (active, flush, n, popup, caret) =
                (active.clone(), flush.clone(), name.clone(), popup.clone(), caret.clone());
            let onclick = Callback::from(move |_| {
                flush(Vec::new(), Box::new(|_| {}));
                popup.set(None);
                caret.set(None);
                active.set(n.clone());
            });
            html! {
                <button type="button" role="tab" class="tab" aria-selected={selected.to_string()} {onclick}>
                    { name }
                </button>
            }
        })
        .collect();

    // The diagnostics and their fixes change only with the text.
    let checked = use_memo((current_name.is_empty(), current_text.clone()), |(none, text)| {
        if *none {
            (Vec::new(), Vec::new())
        } else {
            (assist::diagnostics(text), assist::fixes(text))
        }
    });
    let (diagnostics, fixes) = (&checked.0, &checked.1);
    let lines = highlight::highlight(&current_text, diagnostics);
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
            let (to_area, line, col) = (area.clone(), d.span.start.line, d.span.start.col);
            let text_now = current_text.clone();
            let onclick = Callback::from(move |_| {
                if let Some(a) = to_area.cast::<HtmlTextAreaElement>() {
                    let offset = offset_of(&text_now, line, col);
                    let _ = a.focus();
                    let _ = a.set_selection_range(offset, offset);
                }
            });
            let severity = if d.severity == Severity::Error { "error" } else { "warning" };
            let fix: Html = fixes
                .iter()
                .filter(|f| f.diagnostic == *d)
                .take(1)
                .map(|f| {
                    let (area, change, f2, popup) = (area.clone(), change.clone(), f.clone(), popup.clone());
                    let onclick = Callback::from(move |_: MouseEvent| {
                        let Some(a) = area.cast::<HtmlTextAreaElement>() else { return };
                        let before = state_of(&a);
                        popup.set(None);
                        change(before, edit::State::new(f2.text.clone(), f2.cursor, f2.cursor), false);
                        let _ = a.focus();
                    });
                    let title = fix_title(lang, &f.title);
                    html! {
                        <button type="button" class="fix-button" data-testid="quick-fix" onmousedown={keep_focus.clone()}
                            {onclick}>
                            { format!("{}: {title}", t(Msg::QuickFix)) }
                        </button>
                    }
                })
                .collect();
            html! {
                <li class={classes!("problem", format!("problem-{severity}"))}>
                    <button type="button" class="problem-link" {onclick}>
                        { format!("{line}:{col} {severity}: {}", d.message) }
                        if let Some(s) = &d.suggestion { { format!(" ({s})") } }
                    </button>
                    { fix }
                </li>
            }
        })
        .collect();
    let rows = lines.len().max(8);

    // The completion list, under the offered word.
    let list_id = "editor-completions";
    let shown = popup.get();
    let options: Html = shown.as_ref().map_or_else(Html::default, |p| {
        if p.offered.loading {
            html! { <li role="option" aria-disabled="true" aria-selected="false" class="completion-note">{ t(Msg::LoadingFields) }</li> }
        } else if p.offered.items.is_empty() {
            html! { <li role="option" aria-disabled="true" aria-selected="false" class="completion-note">{ t(Msg::NothingToSuggest) }</li> }
        } else {
            p.offered
                .items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let (area, accept, p2) = (area.clone(), accept.clone(), p.clone());
                    let onclick = Callback::from(move |_: MouseEvent| {
                        if let Some(a) = area.cast::<HtmlTextAreaElement>() {
                            accept(&a, &p2, i);
                        }
                    });
                    let chosen = i == p.chosen;
                    html! {
                        <li id={format!("{list_id}-{i}")} role="option" aria-selected={chosen.to_string()}
                            class={classes!("completion", chosen.then_some("completion-chosen"))}
                            onmousedown={keep_focus.clone()} {onclick} data-testid="completion">
                            <span class="completion-label">{ &item.label }</span>
                            <span class="completion-detail">{ &item.detail }</span>
                            if !item.doc.is_empty() { <span class="completion-doc">{ &item.doc }</span> }
                        </li>
                    }
                })
                .collect()
        }
    });
    // Where the list is for: the line and column of the offered word (the list sits under the text, where a
    // narrow panel or a phone never cuts it off).
    let list_at = shown.as_ref().map(|p| {
        let (line, col) = line_col(&current_text, p.offered.replace.start);
        format!("{}:{}", line + 1, col + 1)
    });
    let active_option = shown
        .as_ref()
        .filter(|p| !p.offered.items.is_empty() && !p.offered.loading)
        .map(|p| format!("{list_id}-{}", p.chosen));

    // The documentation of the field under the pointer, else at the caret.
    let doc_at = pointer.or(*caret);
    let hovered = doc_at.filter(|_| !current_name.is_empty()).and_then(|at| assist::hover(&current_text, at));
    if matches!(hovered, Some(Hovered::Loading { .. })) && !Awaiting::ExplainData.loaded() {
        super::data::fetch(&[Awaiting::ExplainData], &props.dispatch);
    }
    // Drawn inside a section that is always there (hidden when empty): Yew lines up a list's children from its
    // end, so a child that comes and goes beside the text field would rebuild the field and take its focus.
    let no_doc = hovered.is_none();
    let field_doc: Html = hovered.map_or_else(Html::default, |h| {
        let path = match &h {
            Hovered::Doc(d) => d.path.clone(),
            Hovered::Loading { path } => path.clone(),
        };
        let line = format!("kubectl explain {path}");
        let explain = {
            let (props, line) = (props.clone(), line.clone());
            Callback::from(move |_: MouseEvent| props.record(Action::Command { line: line.clone() }))
        };
        html! {
            <>
                {
                    match &h {
                        Hovered::Doc(d) => html! {
                            <>
                                <p class="field-doc-head">
                                    <code>{ &d.path }</code>{ " " }<code class="field-doc-type">{ format!("<{}>", d.ty) }</code>
                                    if d.required { { " " }<span class="field-doc-required">{ t(Msg::Required) }</span> }
                                </p>
                                <p class="field-doc-text" lang="en">{ &d.doc }</p>
                            </>
                        },
                        Hovered::Loading { .. } => html! {
                            <p class="field-doc-head"><code>{ &path }</code>{ " — " }{ t(Msg::DocLoading) }</p>
                        },
                    }
                }
                <button type="button" class="explain-link" onclick={explain} title={t(Msg::RunInTerminal)}
                    data-testid="explain-link">{ line }</button>
            </>
        }
    });
    let can_undo = history.borrow().get(&current_name).is_some_and(edit::History::can_undo);

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
                    <button type="button" class="view-button" onmousedown={keep_focus.clone()} onclick={suggest}
                        title={t(Msg::SuggestTitle)} data-testid="suggest">{ t(Msg::Suggest) }</button>
                    <button type="button" class="view-button" onmousedown={keep_focus.clone()} onclick={history_button(true)}
                        disabled={!can_undo} title="Ctrl+Z" data-testid="undo">{ t(Msg::Undo) }</button>
                    <button type="button" class="view-button" onmousedown={keep_focus.clone()} onclick={history_button(false)}
                        title="Ctrl+Shift+Z" data-testid="redo">{ t(Msg::Redo) }</button>
                    <button type="button" class="apply-button" data-testid="apply" onclick={onapply}
                        title="Ctrl+Enter">{ t(Msg::Apply) }</button>
                </div>
                <div class="code">
                    <div class="gutter" aria-hidden="true">{ gutter }</div>
                    <div class="code-body">
                        <div class="mirror" aria-hidden="true">{ mirror }</div>
                        <span class="measure" aria-hidden="true" ref={measure}>{ "0000000000" }</span>
                        <textarea ref={area} class="code-input" data-testid="editor" spellcheck="false"
                            autocomplete="off" autocapitalize="off" rows={rows.to_string()} wrap="off"
                            aria-label={format!("{}: {current_name}", t(Msg::EditorTitle))}
                            aria-describedby="editor-keys" aria-autocomplete="list"
                            aria-controls={shown.is_some().then_some(list_id)}
                            aria-activedescendant={active_option}
                            value={current_text.clone()} {oninput} {onblur} {onfocus} {onkeydown} {onkeyup}
                            onclick={onclick_area} {onmousemove} {onmouseleave} />
                    </div>
                </div>
                // Always in the page (hidden when closed), so opening it never rebuilds the text field.
                <ul id={list_id} role="listbox" class="completions" hidden={shown.is_none()}
                    aria-label={format!("{} {}", t(Msg::Suggestions), list_at.unwrap_or_default())}
                    data-testid="completions">{ options }</ul>
                <p class={classes!("editor-keys", (!*focused).then_some("visually-hidden"))} id="editor-keys" data-testid="editor-keys">{ t(Msg::EditorKeys) }</p>
                <section class="field-doc" aria-label={t(Msg::FieldDoc)} aria-live="polite" data-testid="field-doc"
                    hidden={no_doc}>{ field_doc }</section>
                <div class="problems" aria-live="polite">
                    if diagnostics.is_empty() {
                        <p class="no-problems">{ t(Msg::NoProblems) }</p>
                    } else {
                        <ul data-testid="diagnostics">{ problems }</ul>
                    }
                </div>
            }
            <p class="editor-message" role="alert" hidden={message.is_none()}>{ message.as_deref().unwrap_or_default() }</p>
        </div>
    }
}

/// The list to show for what the core offered: nothing when there is nothing to offer, unless asked for (then it
/// says so, or that the field lists are loading).
fn open(offered: Completions, asked: bool) -> Option<Popup> {
    (asked || !offered.items.is_empty() || offered.loading).then_some(Popup { offered, chosen: 0 })
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
