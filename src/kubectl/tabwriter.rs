//! Go's `text/tabwriter`, which kubectl prints every table and every `describe` through: a cell is text ended by a tab;
//! a column is aligned across a *block* of consecutive lines that all have a cell in that column, each cell padded
//! to the block's widest cell plus `padding` (at least `minwidth`); the last cell of a line (not ended by a tab) is
//! never padded. kubectl uses (minwidth 6, padding 3) for `get` and (minwidth 0, padding 2) for `describe`.

struct Cell {
    text: String,
    width: usize,
}

/// Formats `text` (lines of tab-separated cells) as tabwriter with `minwidth` and `padding`, spaces for padding.
pub fn format(text: &str, minwidth: usize, padding: usize) -> String {
    let lines: Vec<Vec<Cell>> = text
        .split('\n')
        .map(|l| l.split('\t').map(|c| Cell { text: c.to_string(), width: c.chars().count() }).collect())
        .collect();
    let mut w = Writer { lines, minwidth, padding, widths: Vec::new(), out: String::new() };
    let n = w.lines.len();
    w.format(0, n);
    // `split` makes one line more than there are newlines; the last is written without a newline.
    w.out
}

struct Writer {
    lines: Vec<Vec<Cell>>,
    minwidth: usize,
    padding: usize,
    widths: Vec<usize>,
    out: String,
}

impl Writer {
    fn write_lines(&mut self, from: usize, to: usize) {
        for i in from..to {
            let line = &self.lines[i];
            for (j, c) in line.iter().enumerate() {
                self.out.push_str(&c.text);
                if j + 1 < line.len() {
                    if let Some(width) = self.widths.get(j) {
                        self.out.extend(std::iter::repeat_n(' ', width.saturating_sub(c.width)));
                    }
                }
            }
            if i + 1 < self.lines.len() {
                self.out.push('\n');
            }
        }
    }

    fn format(&mut self, mut line0: usize, line1: usize) {
        let column = self.widths.len();
        let mut this = line0;
        while this < line1 {
            if column + 1 >= self.lines[this].len() {
                this += 1;
                continue;
            }
            // A block of lines with a cell in this column starts here.
            self.write_lines(line0, this);
            line0 = this;
            let mut width = self.minwidth;
            while this < line1 && column + 1 < self.lines[this].len() {
                width = width.max(self.lines[this][column].width + self.padding);
                this += 1;
            }
            self.widths.push(width);
            self.format(line0, this);
            self.widths.pop();
            line0 = this;
        }
        self.write_lines(line0, line1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_tables_pad_to_the_widest_cell_plus_three() {
        let t = "NAME\tREADY\tSTATUS\tRESTARTS\tAGE\nweb-1\t1/1\tRunning\t0\t9m32s\n";
        assert_eq!(
            format(t, 6, 3),
            "NAME    READY   STATUS    RESTARTS   AGE\nweb-1   1/1     Running   0          9m32s\n"
        );
    }

    #[test]
    fn a_line_without_a_cell_in_a_column_ends_its_block() {
        let t = "Name:\tweb\nPod Template:\n  Labels:\tapp=web\n  Containers:\nConditions:\n";
        assert_eq!(format(t, 0, 2), "Name:  web\nPod Template:\n  Labels:  app=web\n  Containers:\nConditions:\n");
    }
}
