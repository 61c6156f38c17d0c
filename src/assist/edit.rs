//! The plain-text edits of a code editor, on a text and its selection (byte offsets): indent and outdent the
//! selected lines (Tab, Shift+Tab), a new line that keeps the indentation (Enter), comment toggling (Ctrl+/), and
//! the undo history. Pure functions, so they are tested natively; the editor only calls them.

/// A text and its selection, `start..end` in bytes (`start == end`: a cursor).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct State {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

impl State {
    pub fn new(text: impl Into<String>, start: usize, end: usize) -> State {
        let text = text.into();
        let (a, b) = (text.floor_char_boundary(start.min(end)), text.floor_char_boundary(start.max(end)));
        State { text, start: a, end: b }
    }
}

/// One indentation step: two spaces, as Kubernetes manifests are written.
pub const STEP: &str = "  ";

/// The starts of the lines the selection touches (a selection ending at a line's start leaves that line out).
fn touched(s: &State) -> Vec<usize> {
    let first = s.text[..s.start].rfind('\n').map_or(0, |i| i + 1);
    let mut out = vec![first];
    let last = if s.end > s.start && s.text[..s.end].ends_with('\n') { s.end - 1 } else { s.end };
    for (i, _) in s.text[first..last].match_indices('\n') {
        out.push(first + i + 1);
    }
    out
}

/// The spaces a line starts with.
pub(crate) fn leading(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Tab: with no selection, two spaces at the cursor; with one, every touched line moves right a step.
pub fn indent(s: &State) -> State {
    if s.start == s.end {
        let mut text = s.text.clone();
        text.insert_str(s.start, STEP);
        return State::new(text, s.start + STEP.len(), s.start + STEP.len());
    }
    let lines = touched(s);
    let mut text = s.text.clone();
    for &l in lines.iter().rev() {
        text.insert_str(l, STEP);
    }
    // A selection from a line's start goes on covering the whole line.
    let start = s.start + if lines[0] < s.start { STEP.len() } else { 0 };
    State::new(text, start, s.end + STEP.len() * lines.len())
}

/// Shift+Tab: every touched line (the cursor's, with no selection) moves left a step, or as far as it can.
pub fn outdent(s: &State) -> State {
    let lines = touched(s);
    let mut text = s.text.clone();
    let (mut start, mut end) = (s.start, s.end);
    for &l in lines.iter().rev() {
        let rest = &text[l..];
        let n = leading(&rest[..rest.find('\n').unwrap_or(rest.len())]).min(STEP.len());
        text.replace_range(l..l + n, "");
        let shift = |p: usize| if p > l { p - n.min(p - l) } else { p };
        start = shift(start);
        end = shift(end);
    }
    State::new(text, start, end)
}

/// Enter: a new line indented as the line before the cursor is (an item's `- ` counted as indentation, so the
/// item's next key lines up), one step more after a key that opens a block (`spec:`).
pub fn newline(s: &State) -> State {
    let line_start = s.text[..s.start].rfind('\n').map_or(0, |i| i + 1);
    let before = &s.text[line_start..s.start];
    let mut pad = leading(before);
    let mut rest = &before[pad..];
    while rest.starts_with("- ") {
        let after = rest[1..].len() - rest[1..].trim_start_matches(' ').len();
        pad += 1 + after;
        rest = &rest[1 + after..];
    }
    if before.trim().is_empty() {
        pad = before.len();
    }
    let code = rest.split(" #").next().unwrap_or("").trim_end();
    if code.ends_with(':') && !code.starts_with('#') {
        pad += STEP.len();
    }
    let insert = format!("\n{}", " ".repeat(pad));
    let mut text = s.text.clone();
    text.replace_range(s.start..s.end, &insert);
    let at = s.start + insert.len();
    State::new(text, at, at)
}

/// Ctrl+/: comments the touched lines out (`# ` at their smallest indentation), or back in when every non-blank one
/// is a comment.
pub fn toggle_comment(s: &State) -> State {
    let lines = touched(s);
    let line_of = |text: &str, l: usize| -> (usize, usize) {
        let rest = &text[l..];
        let len = rest.find('\n').unwrap_or(rest.len());
        (leading(&rest[..len]), len)
    };
    let filled: Vec<usize> = lines.iter().copied().filter(|&l| line_of(&s.text, l).0 < line_of(&s.text, l).1).collect();
    if filled.is_empty() {
        return s.clone();
    }
    let all_comments = filled.iter().all(|&l| s.text[l + line_of(&s.text, l).0..].starts_with('#'));
    let col = filled.iter().map(|&l| line_of(&s.text, l).0).min().unwrap_or(0);
    let mut text = s.text.clone();
    let (mut start, mut end) = (s.start, s.end);
    for &l in filled.iter().rev() {
        if all_comments {
            let at = l + line_of(&text, l).0;
            let n = if text[at..].starts_with("# ") { 2 } else { 1 };
            text.replace_range(at..at + n, "");
            let shift = |p: usize| if p > at { p - n.min(p - at) } else { p };
            start = shift(start);
            end = shift(end);
        } else {
            let at = l + col;
            text.insert_str(at, "# ");
            let shift = |p: usize| if p >= at && !(p == at && p == s.start && s.start != s.end) { p + 2 } else { p };
            start = shift(start);
            end = shift(end);
        }
    }
    State::new(text, start, end)
}

/// Undo and redo. Each change records the state before it; typing a word is one change (a run of typed characters
/// is merged until a space, a new line or any other kind of edit). Applying a file does not touch it.
#[derive(Debug, Clone, Default)]
pub struct History {
    undo: Vec<State>,
    redo: Vec<State>,
    /// The last record was typing that the next typing joins.
    typing: bool,
}

/// The most changes kept.
const MAX_HISTORY: usize = 200;

impl History {
    /// Records `before`, the state a change starts from. `typing` merges it with the typing just before.
    pub fn record(&mut self, before: State, typing: bool) {
        self.redo.clear();
        if typing && self.typing {
            return;
        }
        if self.undo.last().is_some_and(|last| last.text == before.text) {
            self.typing = typing;
            return;
        }
        self.undo.push(before);
        if self.undo.len() > MAX_HISTORY {
            self.undo.remove(0);
        }
        self.typing = typing;
    }

    /// Ends a run of typing (a space was typed, the cursor moved).
    pub fn break_typing(&mut self) {
        self.typing = false;
    }

    /// Goes back one change from `current`.
    pub fn undo(&mut self, current: State) -> Option<State> {
        let back = self.undo.pop()?;
        self.redo.push(current);
        self.typing = false;
        Some(back)
    }

    /// Goes forward one undone change.
    pub fn redo(&mut self, current: State) -> Option<State> {
        let next = self.redo.pop()?;
        self.undo.push(current);
        self.typing = false;
        Some(next)
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `|` marks the cursor, `[` and `]` a selection.
    fn st(marked: &str) -> State {
        let a = marked.find(['|', '[']).unwrap();
        let text = marked.replace(['|', '[', ']'], "");
        let b = marked.find(']').map_or(a, |b| b - 1);
        State::new(text, a, b)
    }

    fn show(s: &State) -> String {
        let mut t = s.text.clone();
        if s.start == s.end {
            t.insert(s.start, '|');
        } else {
            t.insert(s.end, ']');
            t.insert(s.start, '[');
        }
        t
    }

    #[test]
    fn tab_and_shift_tab_move_the_selected_lines() {
        assert_eq!(show(&indent(&st("a:\n|b"))), "a:\n  |b");
        assert_eq!(show(&indent(&st("[a:\nb]\nc"))), "[  a:\n  b]\nc");
        assert_eq!(show(&outdent(&st("  [a:\n    b]\nc"))), "[a:\n  b]\nc");
        assert_eq!(show(&outdent(&st(" x|"))), "x|");
        // A selection ending at a line's start leaves that line alone.
        assert_eq!(show(&indent(&st("[a\n]b"))), "[  a\n]b");
    }

    #[test]
    fn enter_keeps_the_indentation_and_steps_in_after_a_block_key() {
        assert_eq!(show(&newline(&st("spec:|"))), "spec:\n  |");
        assert_eq!(show(&newline(&st("  replicas: 3|"))), "  replicas: 3\n  |");
        assert_eq!(show(&newline(&st("  - name: web|"))), "  - name: web\n    |");
        assert_eq!(show(&newline(&st("  ports: # the list|"))), "  ports: # the list\n    |");
        assert_eq!(show(&newline(&st("    |"))), "    \n    |");
    }

    #[test]
    fn ctrl_slash_comments_lines_out_and_back_in() {
        let out = toggle_comment(&st("[a: 1\n  b: 2]"));
        assert_eq!(out.text, "# a: 1\n#   b: 2");
        assert_eq!(toggle_comment(&out).text, "a: 1\n  b: 2");
        assert_eq!(toggle_comment(&st("  x: |1")).text, "  # x: 1");
    }

    #[test]
    fn typing_a_word_undoes_at_once_and_redo_comes_back() {
        let mut h = History::default();
        h.record(st("|"), true);
        h.record(st("a|"), true);
        h.record(st("ab|"), false); // a space: its own change
        h.record(st("ab |"), true);
        let now = st("ab c|");
        let back = h.undo(now.clone()).unwrap();
        assert_eq!(back.text, "ab ");
        assert_eq!(h.undo(back.clone()).unwrap().text, "ab");
        let again = h.redo(st("ab|")).unwrap();
        assert_eq!(again.text, "ab ");
        h.record(st("x|"), false);
        assert!(h.redo(st("x|")).is_none(), "a new change forgets what was undone");
    }
}
