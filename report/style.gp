# style.gp - the one style of every figure (seed, several-seed and compare pages): terminal, font,
# palette, line styles and helpers. Every report/*.gp script sets, then loads this file:
#   fig_w, fig_h      size in px of the wide drawing (the page shows it at the content width)
#   fig_h_narrow      height of the narrow drawing (600 px wide, for phones), optional
#   layout            "wide" (default) or "narrow": scripts take it as their last argument
#   load style_dir . "/style.gp", with style_dir = system("dirname '" . ARG0 . "'")
# The several-seed and compare pages' scripts draw one column 720 px wide with 20 px text (shown
# at its own width on a wide screen: 20 CSS px; scaled to a ~342 px phone column: 9.5 px), set
# with `eval style_term(720, H)` after loading this file, and name their colours c_*.
# Legibility: text of f px drawn in a W px wide SVG shows at f * shown / W CSS px. The wide
# drawing uses 15 px, so it stays >= 12 px when shown at >= 0.8 W (a 900 px drawing in the
# ~950 px content column of a 1280 px window); the narrow one is 600 px wide with 17 px text,
# >= 9.6 px in the ~340 px column of a 390 px phone (scroll bar and margins taken off). Tick
# labels are plain numbers (no superscripts, which enhanced text draws at 0.8 of the font size).
if (!exists("layout")) { layout = "wide" }
narrow = (layout eq "narrow")
style_font = "DejaVu Sans"
style_term(w, h) = sprintf('set terminal svg size %d,%d font "%s,20" background "white"', w, h, style_font)
if (exists("fig_w")) {
    if (!exists("fig_h_narrow")) { fig_h_narrow = fig_h }
    font_px = narrow ? 17 : 15
    svg_w = narrow ? 600 : fig_w
    svg_h = narrow ? fig_h_narrow : fig_h
    eval sprintf('set terminal svg size %d,%d fixed enhanced font "%s,%d" background "white"', svg_w, svg_h, style_font, font_px)
}
set datafile separator "\t"
set datafile columnheaders

# A finite value (a positive one, for a log axis), or NaN, which gnuplot leaves out (a gap).
fin(v) = (v == v && abs(v) < 1e300) ? v : NaN
pos(v) = (v == v && v > 0 && v < 1e300) ? v : NaN

# The one palette of every figure on every page: one colour per concept, defined here only.
# Okabe-Ito for the three nets (distinguishable in colour-blind vision and in grey): batchnorm
# blue, baseline (no normalisation) vermilion, layer norm bluish green. Settings that take many
# values are drawn on sequential palettes of hues no net uses, light to dark as the value grows:
# batch sizes in purples (line styles 11..16), weight scales in magentas (41..46). Line styles:
# 1 batchnorm, 2 baseline, 3 layernorm; 9 the baseline where colours mean batch sizes (dashed
# vermilion); 31/32 small points for per-iteration curves (batchnorm, baseline); 20 a reference
# line (ln 10, sqrt(eps)).
c_batchnorm = "#0072B2"; c_baseline = "#D55E00"; c_layernorm = "#009E73"; c_ref = "#555555"
c_batch(i) = word("#9E9AC8 #807DBA #6A51A3 #54278F #3F007D #26004D", i)
c_scale(i) = word("#F768A1 #DD3497 #AE017E #7A0177 #49006A #2D0042", i)
set style line 1 lc rgb c_batchnorm lw 2 pt 7 ps 0.9
set style line 2 lc rgb c_baseline lw 2 pt 5 ps 0.8
set style line 3 lc rgb c_layernorm lw 2 pt 9 ps 0.9
set style line 9 lc rgb c_baseline lw 2 dt 2 pt 4 ps 0.8
do for [i = 1:6] {
    eval sprintf('set style line %d lc rgb "%s" lw 2 pt %d ps 0.8', 10 + i, c_batch(i), word("7 5 9 11 13 15", i) + 0)
    eval sprintf('set style line %d lc rgb "%s" lw 2 pt %d ps 0.8', 40 + i, c_scale(i), word("7 5 9 11 13 15", i) + 0)
}
set style line 31 lc rgb c_batchnorm pt 7 ps 0.35
set style line 32 lc rgb c_baseline pt 5 ps 0.3
set style line 20 lc rgb c_ref lw 1.5 dt 3
set grid lc rgb "#dddddd" lw 1
set border lc rgb "#444444"
set format x "%g"
set format y "%g"

# Every text inside the drawing with a margin: the top margin leaves room for a panel's title
# (and, when narrow, its legend above it), the bottom one for the last x label below its tick
# labels, the left one for the y label beside tick labels like "0.125".
mp_left = narrow ? 0.19 : 0.12
mp_right = narrow ? 0.96 : 0.78
if (exists("svg_h")) { mp_top = 1 - (narrow ? 62.0 : 58.0) / svg_h; mp_bottom = (narrow ? 100.0 : 90.0) / svg_h }
# Where legends go: right of each panel when wide, above it when narrow (never over the data);
# a narrow panel's title moves up a line to make room.
key_wide = 'set key at graph 1.02, 0.5 left center vertical Left reverse samplen 2 spacing 1.3'
key_narrow = 'set key at graph 0, 1.0 left bottom horizontal maxrows 2 Left reverse samplen 2 spacing 1.1 width 1; set title offset 0, 1.3'
if (narrow) { @key_narrow } else { @key_wide }

# ln 10 = 2.303, the loss of a uniform guess over the 10 classes, where every training starts: a
# dotted reference line on every loss panel of every page (@ln10_line before the plot, @ln10_off
# after), said in words where no data can be: in the panel's title (ln10_note) where the curves
# may run along the line (a loss over iterations that has not yet fallen), or with
# @ln10_line_top in the top left corner, clear of a sweep's curves, which cross the line.
ln10_note = "dotted: ln 10 = 2.303, a uniform guess"
ln10_line = 'set arrow 9 from graph 0, first log(10) to graph 1, first log(10) nohead ls 20 front'
ln10_line_top = ln10_line . '; set label 9 ln10_note at graph 0.02, graph 0.87 left tc rgb c_ref front'
ln10_off = 'unset arrow 9; unset label 9'
