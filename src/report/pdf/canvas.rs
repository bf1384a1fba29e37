//! A small page layout layer over printpdf 0.12: A4 pages with a running header and page
//! numbers, measured text that is shortened visibly (never overflows), wrapped paragraphs,
//! tables that continue on the next page with their header, and line and bar charts drawn
//! with vector operations. Text is set in DejaVu Sans, embedded, which shows € é è ë ç ü ß.

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
    pub fn new(title: &str, header: &str, page_label: (&str, &str), with_bold: bool) -> Result<Canvas, String> {
        let mut doc = PdfDocument::new(title);
        let mut warnings = Vec::new();
        let mut face = |bytes: &[u8]| -> Result<Face, String> {
            let font = ParsedFont::from_bytes(bytes, 0, &mut warnings).ok_or("the embedded font could not be read")?;
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

    /// Lines of at most `width`, broken at spaces (a word longer than a line is shortened).
    pub fn wrap(&self, s: &str, width: f32, size: f32, bold: bool) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in s.split_whitespace() {
            let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
            if self.width(&candidate, size, bold) <= width {
                line = candidate;
            } else {
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                line = self.fit(word, width, size, bold);
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        if lines.is_empty() {
            lines.push(String::new());
        }
        lines
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
    /// others are shortened with an ellipsis. `emphasis` colours a row's text (e.g. red for
    /// critical).
    pub fn table(
        &mut self,
        cols: &[Column],
        rows: &[Vec<String>],
        emphasis: &dyn Fn(usize) -> Option<(f32, f32, f32)>,
    ) {
        let size = 7.5;
        let line_h = size * 1.35;
        let x0 = MARGIN;
        let total_w: f32 = cols.iter().map(|c| c.width).sum();
        let draw_header = |c: &mut Canvas| {
            c.ensure(line_h * 3.0);
            c.y -= line_h + 4.0;
            c.rect(x0, c.y - 3.0, total_w, line_h + 3.0, (0.88, 0.91, 0.95));
            let mut x = x0;
            for col in cols {
                let t = c.fit(&col.title, col.width - 4.0, size, true);
                match col.align {
                    Align::Left => c.text(x + 2.0, c.y, &t, size, true, INK),
                    Align::Right => c.text_right(x + col.width - 2.0, c.y, &t, size, true, INK),
                }
                x += col.width;
            }
            c.y -= 2.0;
        };
        draw_header(self);
        for (i, row) in rows.iter().enumerate() {
            let cells: Vec<Vec<String>> = cols
                .iter()
                .zip(row)
                .map(|(col, v)| {
                    if col.wrap {
                        self.wrap(v, col.width - 4.0, size, false)
                    } else {
                        vec![self.fit(v, col.width - 4.0, size, false)]
                    }
                })
                .collect();
            let n = cells.iter().map(Vec::len).max().unwrap_or(1);
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
            for (col, lines) in cols.iter().zip(&cells) {
                for (k, l) in lines.iter().enumerate() {
                    let y = self.y - line_h * (k as f32 + 1.0) + 2.0;
                    match col.align {
                        Align::Left => self.text(x + 2.0, y, l, size, false, color),
                        Align::Right => self.text_right(x + col.width - 2.0, y, l, size, false, color),
                    }
                }
                x += col.width;
            }
            self.y -= h;
        }
        self.y -= 4.0;
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
            let sw = self.width(shown, 6.5, false);
            self.text(x + slot * 0.3 - sw / 2.0, y0 + bh + 3.0, shown, 6.5, false, INK);
            let lw = self.width(label, 7.0, false);
            self.text(x + slot * 0.3 - lw / 2.0, y0 - 10.0, label, 7.0, false, MUTED);
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
