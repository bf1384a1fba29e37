//! A small page layout layer over printpdf 0.12: A4 pages with a running header and page
//! numbers, measured text that is shortened visibly (never overflows), wrapped paragraphs,
//! tables that continue on the next page with their header, and line and bar charts drawn
//! with vector operations. Text is set in DejaVu Sans, embedded, which shows € é è ë ç ü ß.

use crate::report::error::PdfError;
use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions,
    Point, Pt, Rect, Rgb, TextItem, TextMatrix, WindingOrder,
};

/// A4 width, in points.
pub const PAGE_W: f32 = 595.28;
/// A4 height, in points.
pub const PAGE_H: f32 = 841.89;
/// The page margin, in points.
pub const MARGIN: f32 = 40.0;
const TOP: f32 = PAGE_H - 62.0;
const BOTTOM: f32 = 50.0;
/// The text size of tables.
const TABLE_SIZE: f32 = 7.5;
/// The narrowest a wrapping text column becomes to make room for figures.
const WRAP_FLOOR: f32 = 70.0;

/// Body text.
pub const INK: (f32, f32, f32) = (0.12, 0.14, 0.18);
/// Notes and secondary text.
pub const MUTED: (f32, f32, f32) = (0.42, 0.45, 0.50);
/// Headings and the first series of a chart.
pub const ACCENT: (f32, f32, f32) = (0.10, 0.33, 0.55);
/// The second series of a chart.
pub const ACCENT2: (f32, f32, f32) = (0.85, 0.45, 0.10);
/// Risks and critical rows.
pub const RED: (f32, f32, f32) = (0.75, 0.15, 0.15);
/// Opportunities.
pub const GREEN: (f32, f32, f32) = (0.15, 0.50, 0.25);
/// Every other table row.
pub const STRIPE: (f32, f32, f32) = (0.95, 0.96, 0.97);
/// Rules and axes.
pub const RULE: (f32, f32, f32) = (0.80, 0.82, 0.85);

fn rgb((r, g, b): (f32, f32, f32)) -> Color {
    Color::Rgb(Rgb { r, g, b, icc_profile: None })
}

fn pt(x: f32, y: f32) -> LinePoint {
    LinePoint { p: Point { x: Pt(x), y: Pt(y) }, bezier: false }
}

struct Face {
    font: ParsedFont,
    id: FontId,
}

impl Face {
    fn width(&self, s: &str, size: f32) -> f32 {
        let upem = self.font.units_per_em.max(1) as f32;
        s.chars()
            .map(|c| {
                let gid = self.font.lookup_glyph_index(c as u32).unwrap_or(0);
                self.font.get_glyph_width(gid).unwrap_or((upem / 2.0) as u16) as f32
            })
            .sum::<f32>()
            * size
            / upem
    }
}

/// A chart's line: its name, a value per month (none where undefined), its colour.
pub type Series = (String, Vec<Option<f64>>, (f32, f32, f32));

/// Column alignment in tables.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Text from the left edge.
    Left,
    /// Numbers to the right edge.
    Right,
}

/// A table column on a page.
pub struct Column {
    /// Its heading.
    pub title: String,
    /// Its width, in points.
    pub width: f32,
    /// How its cells align.
    pub align: Align,
    /// Wrap long text over several lines instead of shortening it.
    pub wrap: bool,
}

/// A column that shortens long text to fit.
pub fn col(title: &str, width: f32, align: Align) -> Column {
    Column { title: title.to_string(), width, align, wrap: false }
}

/// A PDF being drawn, page by page, top to bottom, with a running header and page numbers.
pub struct Canvas {
    doc: PdfDocument,
    regular: Face,
    bold: Option<Face>,
    pages: Vec<Vec<Op>>,
    ops: Vec<Op>,
    /// Where the next block starts (from the bottom of the page).
    pub y: f32,
    header: String,
    page_label: (String, String),
}

impl Canvas {
    /// A document with a running `header`; `page_label` is ("Page", "of") in the report's
    /// language. `with_bold` embeds the bold face too (a second ~0.7 MB).
    pub fn new(title: &str, header: &str, page_label: (&str, &str), with_bold: bool) -> Result<Canvas, PdfError> {
        let mut doc = PdfDocument::new(title);
        let mut warnings = Vec::new();
        let mut face = |bytes: &[u8]| -> Result<Face, PdfError> {
            let font = ParsedFont::from_bytes(bytes, 0, &mut warnings).ok_or(PdfError::Font)?;
            let id = doc.add_font(&font);
            Ok(Face { font, id })
        };
        let regular = face(dejavu::sans::regular())?;
        let bold = if with_bold { Some(face(dejavu::sans::bold())?) } else { None };
        let mut c = Canvas {
            doc,
            regular,
            bold,
            pages: Vec::new(),
            ops: Vec::new(),
            y: TOP,
            header: header.to_string(),
            page_label: (page_label.0.to_string(), page_label.1.to_string()),
        };
        c.start_page();
        Ok(c)
    }

    fn face(&self, bold: bool) -> &Face {
        if bold { self.bold.as_ref().unwrap_or(&self.regular) } else { &self.regular }
    }

    /// The width of `s` at `size` points.
    pub fn width(&self, s: &str, size: f32, bold: bool) -> f32 {
        self.face(bold).width(s, size)
    }

    fn start_page(&mut self) {
        self.y = TOP;
        let header = self.header.clone();
        self.text(MARGIN, PAGE_H - 32.0, &header, 8.0, false, MUTED);
        self.hline(MARGIN, PAGE_W - MARGIN, PAGE_H - 38.0, RULE, 0.5);
    }

    /// Starts a new page below its header.
    pub fn new_page(&mut self) {
        let ops = std::mem::take(&mut self.ops);
        self.pages.push(ops);
        self.start_page();
    }

    /// Starts a new page unless `height` points still fit on this one.
    pub fn ensure(&mut self, height: f32) {
        if self.y - height < BOTTOM {
            self.new_page();
        }
    }

    /// Draws `s` with its baseline at (x, y).
    pub fn text(&mut self, x: f32, y: f32, s: &str, size: f32, bold: bool, color: (f32, f32, f32)) {
        let id = self.face(bold).id.clone();
        self.ops.extend([
            Op::StartTextSection,
            Op::SetFillColor { col: rgb(color) },
            Op::SetFont { font: PdfFontHandle::External(id), size: Pt(size) },
            Op::SetTextMatrix { matrix: TextMatrix::Translate(Pt(x), Pt(y)) },
            Op::ShowText { items: vec![TextItem::Text(s.to_string())] },
            Op::EndTextSection,
        ]);
    }

    /// Draws `s` ending at `right`.
    pub fn text_right(&mut self, right: f32, y: f32, s: &str, size: f32, bold: bool, color: (f32, f32, f32)) {
        let w = self.width(s, size, bold);
        self.text(right - w, y, s, size, bold, color);
    }

    /// `s` shortened with an ellipsis to fit `width`: visibly cut, never overflowing.
    pub fn fit(&self, s: &str, width: f32, size: f32, bold: bool) -> String {
        if self.width(s, size, bold) <= width {
            return s.to_string();
        }
        // The longest prefix that fits beside the ellipsis, measured once, character by
        // character (re-measuring the whole text per character was quadratic).
        let room = width - self.width("…", size, bold);
        let mut used = 0.0;
        let mut end = 0;
        for (i, c) in s.char_indices() {
            let w = self.width(c.encode_utf8(&mut [0; 4]), size, bold);
            if used + w > room {
                break;
            }
            used += w;
            end = i + c.len_utf8();
        }
        let mut out = format!("{}…", s[..end].trim_end());
        // Sums of rounded widths may differ from the whole by a hair: check once, in case.
        while end > 0 && self.width(&out, size, bold) > width {
            end = s[..end].char_indices().next_back().map_or(0, |(i, _)| i);
            out = format!("{}…", s[..end].trim_end());
        }
        out
    }

    /// The size, at most `size`, at which `s` fits `width` on one line: text that must be read
    /// whole (an amount) is set smaller, never cut.
    pub fn size_to_fit(&self, s: &str, width: f32, size: f32, bold: bool) -> f32 {
        let w = self.width(s, size, bold);
        // Width grows in proportion to size; the last hair keeps float rounding inside.
        if w <= width || w <= 0.0 { size } else { size * width / w * 0.999 }
    }

    /// `s` broken at spaces into lines of at most `width`, each as full as it goes; a word wider
    /// than a line goes through `long` (shortened, or `None` to give up). Always a line, if
    /// an empty one.
    fn greedy(
        &self,
        s: &str,
        width: f32,
        size: f32,
        bold: bool,
        long: impl Fn(&str) -> Option<String>,
    ) -> Option<Vec<String>> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in words(s) {
            let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
            if self.width(&candidate, size, bold) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            line = if self.width(word, size, bold) <= width { word.to_string() } else { long(word)? };
        }
        if !line.is_empty() || lines.is_empty() {
            lines.push(line);
        }
        Some(lines)
    }

    /// `s` broken at spaces into at most `max_lines` lines of at most `width`, every word
    /// whole; `None` when a word is wider than a line or more lines are needed.
    fn lines_whole(&self, s: &str, width: f32, size: f32, bold: bool, max_lines: usize) -> Option<Vec<String>> {
        self.greedy(s, width, size, bold, |_| None).filter(|lines| lines.len() <= max_lines)
    }

    /// `s` set whole in at most `max_lines` lines of `width`: at `size` when it wraps so, else
    /// at the largest smaller size that does (a label or an amount is never cut). Returns the
    /// lines and their size.
    pub fn whole(&self, s: &str, width: f32, size: f32, bold: bool, max_lines: usize) -> (Vec<String>, f32) {
        let one_line = self.size_to_fit(s, width, size, bold);
        let mut try_size = size;
        while try_size > one_line {
            if let Some(lines) = self.lines_whole(s, width, try_size, bold, max_lines) {
                return (lines, try_size);
            }
            try_size -= 0.25;
        }
        (vec![s.to_string()], one_line)
    }

    /// Lines of at most `width`, broken at spaces (a word longer than a line is shortened).
    /// No-break spaces hold: `1 234 567,89 €` in French is one word, never split.
    pub fn wrap(&self, s: &str, width: f32, size: f32, bold: bool) -> Vec<String> {
        self.greedy(s, width, size, bold, |word| Some(self.fit(word, width, size, bold))).unwrap_or_default()
    }

    /// A paragraph at the left margin, wrapped to the text width.
    pub fn paragraph(&mut self, s: &str, size: f32, bold: bool, color: (f32, f32, f32)) {
        for l in self.wrap(s, PAGE_W - 2.0 * MARGIN, size, bold) {
            self.ensure(size * 1.4);
            self.y -= size * 1.4;
            self.text(MARGIN, self.y, &l, size, bold, color);
        }
    }

    /// A section heading, on a new page when too little room is left.
    pub fn heading(&mut self, s: &str) {
        self.ensure(60.0);
        self.y -= 22.0;
        self.text(MARGIN, self.y, s, 13.0, true, ACCENT);
        self.y -= 6.0;
    }

    /// Moves down `h` points.
    pub fn gap(&mut self, h: f32) {
        self.y -= h;
    }

    /// A filled rectangle.
    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, color: (f32, f32, f32)) {
        self.ops.push(Op::SetFillColor { col: rgb(color) });
        self.ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: Pt(x),
                y: Pt(y),
                width: Pt(w),
                height: Pt(h),
                mode: Some(PaintMode::Fill),
                winding_order: Some(WindingOrder::NonZero),
            },
        });
    }

    /// A line through the points.
    pub fn polyline(&mut self, points: &[(f32, f32)], color: (f32, f32, f32), thickness: f32) {
        if points.len() < 2 {
            return;
        }
        self.ops.push(Op::SetOutlineColor { col: rgb(color) });
        self.ops.push(Op::SetOutlineThickness { pt: Pt(thickness) });
        self.ops.push(Op::DrawLine {
            line: Line { points: points.iter().map(|&(x, y)| pt(x, y)).collect(), is_closed: false },
        });
    }

    /// A horizontal rule.
    pub fn hline(&mut self, x0: f32, x1: f32, y: f32, color: (f32, f32, f32), thickness: f32) {
        self.polyline(&[(x0, y), (x1, y)], color, thickness);
    }

    /// A table that continues on the next page with its header. Cells of `wrap` columns wrap;
    /// right-aligned cells are figures and are shown whole: their column takes the room it
    /// needs from the text columns, and a figure wider still is set smaller; other cells are
    /// shortened with an ellipsis. Headings wrap, and are set smaller rather than cut.
    /// `emphasis` colours a row's text (e.g. red for critical).
    pub fn table(
        &mut self,
        cols: &[Column],
        rows: &[Vec<String>],
        emphasis: &dyn Fn(usize) -> Option<(f32, f32, f32)>,
    ) {
        let size = TABLE_SIZE;
        let line_h = size * 1.35;
        let x0 = MARGIN;
        let widths = self.column_widths(cols, rows);
        let total_w: f32 = widths.iter().sum();
        let titles: Vec<(Vec<String>, f32)> =
            cols.iter().zip(&widths).map(|(col, w)| self.whole(&col.title, w - 4.0, size, true, 3)).collect();
        let header_lines = titles.iter().map(|t| t.0.len()).max().unwrap_or(1) as f32;
        let draw_header = |c: &mut Canvas| {
            c.ensure(line_h * (header_lines + 2.0));
            c.y -= line_h + 4.0;
            let h = line_h * header_lines;
            c.rect(x0, c.y - 3.0 - (h - line_h), total_w, h + 3.0, (0.88, 0.91, 0.95));
            let mut x = x0;
            for ((col, w), (lines, s)) in cols.iter().zip(&widths).zip(&titles) {
                for (k, l) in lines.iter().enumerate() {
                    let y = c.y - line_h * k as f32;
                    match col.align {
                        Align::Left => c.text(x + 2.0, y, l, *s, true, INK),
                        Align::Right => c.text_right(x + w - 2.0, y, l, *s, true, INK),
                    }
                }
                x += w;
            }
            c.y -= 2.0 + (h - line_h);
        };
        draw_header(self);
        for (i, row) in rows.iter().enumerate() {
            let cells: Vec<(Vec<String>, f32)> = cols
                .iter()
                .zip(&widths)
                .zip(row)
                .map(|((col, w), v)| match (col.wrap, col.align) {
                    (true, _) => (self.wrap(v, w - 4.0, size, false), size),
                    (false, Align::Right) => (vec![v.clone()], self.size_to_fit(v, w - 4.0, size, false)),
                    (false, Align::Left) => (vec![self.fit(v, w - 4.0, size, false)], size),
                })
                .collect();
            let n = cells.iter().map(|c| c.0.len()).max().unwrap_or(1);
            let h = n as f32 * line_h + 2.0;
            if self.y - h < BOTTOM {
                self.new_page();
                draw_header(self);
            }
            if i % 2 == 1 {
                self.rect(x0, self.y - h + 1.0, total_w, h, STRIPE);
            }
            let color = emphasis(i).unwrap_or(INK);
            let mut x = x0;
            for ((col, w), (lines, s)) in cols.iter().zip(&widths).zip(&cells) {
                for (k, l) in lines.iter().enumerate() {
                    let y = self.y - line_h * (k as f32 + 1.0) + 2.0;
                    match col.align {
                        Align::Left => self.text(x + 2.0, y, l, *s, false, color),
                        Align::Right => self.text_right(x + w - 2.0, y, l, *s, false, color),
                    }
                }
                x += w;
            }
            self.y -= h;
        }
        self.y -= 4.0;
    }

    /// The columns' widths for these rows: each figure column widened to its widest cell,
    /// the room taken from the wrapping text columns first (down to a width that still reads),
    /// then from the room the other text columns' cells leave unused: nothing that was whole
    /// is cut to make room. The table's total width never changes.
    pub fn column_widths(&self, cols: &[Column], rows: &[Vec<String>]) -> Vec<f32> {
        let mut widths: Vec<f32> = cols.iter().map(|c| c.width).collect();
        let need: Vec<f32> = cols
            .iter()
            .enumerate()
            .map(|(i, col)| match (col.wrap, col.align) {
                (false, Align::Right) => rows
                    .iter()
                    .filter_map(|r| r.get(i))
                    .map(|v| self.width(v, TABLE_SIZE, false) + 4.0)
                    .fold(col.width, f32::max),
                _ => col.width,
            })
            .collect();
        let mut deficit: f32 = need.iter().zip(&widths).map(|(n, w)| n - w).sum();
        for donors_wrap in [true, false] {
            for (i, col) in cols.iter().enumerate() {
                if deficit <= 0.0 || col.align == Align::Right || col.wrap != donors_wrap {
                    continue;
                }
                // A wrapping column wraps more; another gives only the room its cells leave.
                let floor = if col.wrap {
                    WRAP_FLOOR
                } else {
                    rows.iter()
                        .filter_map(|r| r.get(i))
                        .map(|v| self.width(v, TABLE_SIZE, false) + 4.0)
                        .fold(0.0, f32::max)
                }
                .min(col.width);
                let take = (widths[i] - floor).max(0.0).min(deficit);
                widths[i] -= take;
                deficit -= take;
            }
        }
        // What was found is shared among the figure columns in proportion to their need.
        let found: f32 = cols.iter().zip(&widths).map(|(c, w)| c.width - w).sum();
        let wanted: f32 = need.iter().zip(cols).map(|(n, c)| n - c.width).sum();
        if wanted > 0.0 {
            for (i, col) in cols.iter().enumerate() {
                if col.align == Align::Right && !col.wrap {
                    widths[i] += (need[i] - col.width) * (found / wanted).min(1.0);
                }
            }
        }
        widths
    }

    /// A line chart with axes, grid, labels and a legend. `labels` are the x positions'
    /// names; each series is (name, values, colour), `None` leaves a gap.
    pub fn line_chart(&mut self, title: &str, labels: &[String], series: &[Series], unit: &str, h: f32) {
        self.ensure(h + 30.0);
        self.y -= 16.0;
        self.text(MARGIN, self.y, title, 9.5, true, INK);
        let (x0, y0) = (MARGIN + 34.0, self.y - h + 14.0);
        let (w, ch) = (PAGE_W - 2.0 * MARGIN - 44.0, h - 40.0);
        let values: Vec<f64> =
            series.iter().flat_map(|s| s.1.iter().flatten().copied()).filter(|v| v.is_finite()).collect();
        let max = values.iter().copied().fold(0.0f64, f64::max);
        let min = values.iter().copied().fold(0.0f64, f64::min);
        let (lo, hi, step) = nice_range(min, max);
        let ymap = |v: f64| y0 + ((v - lo) / (hi - lo)) as f32 * ch;
        let ticks = ((hi - lo) / step).round() as usize;
        for k in 0..=ticks {
            let v = lo + step * k as f64;
            let y = ymap(v);
            self.hline(x0, x0 + w, y, RULE, 0.4);
            self.text_right(x0 - 4.0, y - 2.5, &format_tick(v, unit), 6.5, false, MUTED);
        }
        let n = labels.len().max(1);
        let xmap = |i: usize| x0 + if n > 1 { w * i as f32 / (n - 1) as f32 } else { w / 2.0 };
        let step = n.div_ceil(8).max(1);
        for (i, l) in labels.iter().enumerate() {
            if i % step == 0 || i == n - 1 {
                let lw = self.width(l, 6.0, false);
                self.text(xmap(i) - lw / 2.0, y0 - 10.0, l, 6.0, false, MUTED);
            }
        }
        self.polyline(&[(x0, y0), (x0 + w, y0)], INK, 0.7);
        self.polyline(&[(x0, y0), (x0, y0 + ch)], INK, 0.7);
        let mut lx = x0;
        for (name, vals, color) in series {
            let mut run: Vec<(f32, f32)> = Vec::new();
            for (i, v) in vals.iter().enumerate() {
                match v.filter(|v| v.is_finite()) {
                    Some(v) => run.push((xmap(i), ymap(v))),
                    None => {
                        self.polyline(&run, *color, 1.4);
                        run.clear();
                    }
                }
            }
            self.polyline(&run, *color, 1.4);
            self.rect(lx, y0 + ch + 6.0, 10.0, 3.0, *color);
            self.text(lx + 13.0, y0 + ch + 4.5, name, 7.0, false, INK);
            lx += 20.0 + self.width(name, 7.0, false);
        }
        self.y = y0 - 18.0;
    }

    /// Vertical bars with their values written above them.
    pub fn bar_chart(&mut self, title: &str, bars: &[(String, f64, String)], color: (f32, f32, f32), h: f32) {
        self.ensure(h + 30.0);
        self.y -= 16.0;
        self.text(MARGIN, self.y, title, 9.5, true, INK);
        let (x0, y0) = (MARGIN + 10.0, self.y - h + 14.0);
        let (w, ch) = (PAGE_W - 2.0 * MARGIN - 20.0, h - 44.0);
        let max = bars.iter().map(|b| b.1).fold(0.0f64, f64::max).max(1e-9);
        let slot = w / bars.len().max(1) as f32;
        self.polyline(&[(x0, y0), (x0 + w, y0)], INK, 0.7);
        for (i, (label, v, shown)) in bars.iter().enumerate() {
            let bh = (v.max(0.0) / max) as f32 * ch;
            let x = x0 + slot * i as f32 + slot * 0.2;
            self.rect(x, y0, slot * 0.6, bh, color);
            // A value or label wider than its bar's slot is set smaller, never cut or overlapping.
            let ss = self.size_to_fit(shown, slot - 2.0, 6.5, false);
            let sw = self.width(shown, ss, false);
            self.text(x + slot * 0.3 - sw / 2.0, y0 + bh + 3.0, shown, ss, false, INK);
            let ls = self.size_to_fit(label, slot - 2.0, 7.0, false);
            let lw = self.width(label, ls, false);
            self.text(x + slot * 0.3 - lw / 2.0, y0 - 10.0, label, ls, false, MUTED);
        }
        self.y = y0 - 18.0;
    }

    /// Finishes the document: page numbers on every page, then the PDF bytes.
    pub fn finish(mut self) -> Vec<u8> {
        let ops = std::mem::take(&mut self.ops);
        self.pages.push(ops);
        let total = self.pages.len();
        let (p, of) = self.page_label.clone();
        let mut pages = Vec::with_capacity(total);
        for (i, mut ops) in std::mem::take(&mut self.pages).into_iter().enumerate() {
            let label = format!("{p} {} {of} {total}", i + 1);
            let w = self.width(&label, 7.5, false);
            let id = self.regular.id.clone();
            ops.extend([
                Op::StartTextSection,
                Op::SetFillColor { col: rgb(MUTED) },
                Op::SetFont { font: PdfFontHandle::External(id), size: Pt(7.5) },
                Op::SetTextMatrix { matrix: TextMatrix::Translate(Pt(PAGE_W - MARGIN - w), Pt(26.0)) },
                Op::ShowText { items: vec![TextItem::Text(label)] },
                Op::EndTextSection,
            ]);
            pages.push(PdfPage::new(Mm(210.0), Mm(297.0), ops));
        }
        let mut warnings = Vec::new();
        self.doc.with_pages(pages).save(&PdfSaveOptions::default(), &mut warnings)
    }
}

/// The words of `s`, split at the spaces a line may break at: no-break spaces (the French
/// digit group separator among them) keep their word together.
fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{2007}' | '\u{202f}')).filter(|w| !w.is_empty())
}

/// A rounded axis range that includes 0, and its tick step (at most five steps).
fn nice_range(min: f64, max: f64) -> (f64, f64, f64) {
    let (min, max) = (min.min(0.0), max.max(0.0));
    let span = (max - min).max(1e-9);
    let mag = 10f64.powf(span.log10().floor() - 1.0);
    let step = [1.0, 2.0, 2.5, 5.0, 10.0, 20.0, 25.0, 50.0, 100.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| span / s <= 5.0)
        .unwrap_or(100.0 * mag);
    let lo = (min / step).floor() * step;
    let steps = (((max - lo) / step) - 1e-9).ceil().max(1.0);
    (lo, lo + steps * step, step)
}

fn format_tick(v: f64, unit: &str) -> String {
    if unit == "%" {
        format!("{:.0} %", v * 100.0)
    } else if v.abs() >= 1_000_000.0 {
        format!("{:.1}M", v / 1_000_000.0)
    } else if v.abs() >= 10_000.0 {
        format!("{:.0}k", v / 1000.0)
    } else {
        format!("{v:.0}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_ranges_are_round() {
        let close = |a: (f64, f64, f64), b: (f64, f64, f64)| {
            (a.0 - b.0).abs() < 1e-9 && (a.1 - b.1).abs() < 1e-9 && (a.2 - b.2).abs() < 1e-9
        };
        assert!(close(nice_range(0.0, 73.0), (0.0, 80.0, 20.0)), "{:?}", nice_range(0.0, 73.0));
        assert!(close(nice_range(0.0, 0.42), (0.0, 0.5, 0.1)), "{:?}", nice_range(0.0, 0.42));
        assert!(close(nice_range(-5.0, 12.0), (-5.0, 15.0, 5.0)), "{:?}", nice_range(-5.0, 12.0));
        assert!(close(nice_range(20.0, 45.0), (0.0, 50.0, 10.0)), "{:?}", nice_range(20.0, 45.0));
    }

    /// Issue 21: figures are never cut. A column of amounts wider than its width takes room
    /// from the wrapping column, then from what the text columns leave unused, and sets
    /// smaller only what still does not fit; every amount is drawn whole.
    #[test]
    fn figure_columns_widen_and_never_cut() {
        let c = Canvas::new("t", "header", ("Page", "of"), false).unwrap();
        let cols = [
            col("Client", 100.0, Align::Left),
            col("Open", 50.0, Align::Right),
            Column { title: "Reasons".into(), width: 200.0, align: Align::Left, wrap: true },
        ];
        let amount = "KWD 1,234.567";
        let rows = vec![vec!["Zoë".to_string(), amount.to_string(), "late".to_string()]];
        let w = c.column_widths(&cols, &rows);
        assert!(w[1] >= c.width(amount, TABLE_SIZE, false) + 4.0, "{w:?}");
        assert!((w.iter().sum::<f32>() - 350.0).abs() < 0.01, "the table keeps its width: {w:?}");
        assert_eq!(w[0], 100.0, "the wrapping column gave the room first: {w:?}");
        // An amount at the 10^13 bound, with no wrapping column: the client column gives only
        // what its own cells leave; the rest is made up by a smaller size, never a cut.
        let huge = "KWD 9,999,999,999,999.999";
        let cols = [col("Client", 100.0, Align::Left), col("Open", 50.0, Align::Right)];
        let rows = vec![vec!["Installatietechniek Van den Broeck".to_string(), huge.to_string()]];
        let w = c.column_widths(&cols, &rows);
        assert_eq!(w[0], 100.0, "a name that fills its column is not cut for an amount: {w:?}");
        let size = c.size_to_fit(huge, w[1] - 4.0, TABLE_SIZE, false);
        assert!(size < TABLE_SIZE && c.width(huge, size, false) <= w[1] - 4.0, "{size}");
        let rows = vec![vec!["Zoë".to_string(), huge.to_string()]];
        let w = c.column_widths(&cols, &rows);
        assert!(w[1] >= c.width(huge, TABLE_SIZE, false) + 4.0 && w[0] < 100.0, "{w:?}");
    }

    /// Labels are set whole on up to the lines allowed, smaller only when those are too few;
    /// a French amount never breaks at its digit groups' no-break spaces.
    #[test]
    fn whole_text_wraps_then_shrinks() {
        let c = Canvas::new("t", "header", ("Page", "of"), false).unwrap();
        let label = "Gewogen dagen te laat (12 maanden)";
        let (lines, size) = c.whole(label, 100.0, 7.5, false, 2);
        assert_eq!((lines.join(" ").as_str(), size), (label, 7.5));
        assert!(lines.len() == 2 && lines.iter().all(|l| c.width(l, size, false) <= 100.0), "{lines:?}");
        let (lines, size) = c.whole(label, 60.0, 7.5, false, 1);
        assert_eq!(lines, [label]);
        assert!(size < 7.5 && c.width(label, size, false) <= 60.0, "{size}");
        let fr = "9\u{202f}999\u{202f}999\u{202f}999\u{202f}999,999 KWD";
        let lines = c.wrap(&format!("ouvert {fr} depuis"), 100.0, 7.5, false);
        assert!(lines.iter().any(|l| l.contains("9\u{202f}999\u{202f}999\u{202f}999\u{202f}999,999")), "{lines:?}");
    }

    #[test]
    fn text_is_measured_and_shortened_visibly() {
        let c = Canvas::new("t", "header", ("Page", "of"), false).unwrap();
        let w1 = c.width("Brasserie Zoë", 10.0, false);
        assert!(w1 > 40.0 && w1 < 100.0, "{w1}");
        let long = "Installatietechniek Van den Broeck, Visser & Co B.V.";
        let cut = c.fit(long, 80.0, 10.0, false);
        assert!(cut.ends_with('…') && c.width(&cut, 10.0, false) <= 80.0, "{cut}");
        let lines = c.wrap(long, 100.0, 10.0, false);
        assert!(lines.len() > 1 && lines.iter().all(|l| c.width(l, 10.0, false) <= 100.0), "{lines:?}");
        // A cell of a million characters (issue 9: once quadratic) is cut as quickly.
        let huge = "Zoë ".repeat(250_000);
        let cut = c.fit(&huge, 80.0, 10.0, false);
        assert!(cut.ends_with('…') && huge.starts_with(cut.trim_end_matches('…')), "{cut}");
        let word = "x".repeat(1_000_000);
        assert_eq!(c.wrap(&word, 100.0, 10.0, false).len(), 1);
    }
}
