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

# Okabe-Ito colours, distinguishable in colour-blind vision and in grey. One meaning each:
# 1 batchnorm, 2 baseline (no normalisation), 3 layernorm; 11.. per batch size (increasing);
# 9 the baseline where colours mean batch sizes (or scales, 11..16); 31/32 small points for
# per-iteration curves (batchnorm, baseline);
# 20 a reference line (ln 10); 21 the second run of a comparison.
c_batchnorm = "#0072B2"; c_baseline = "#D55E00"; c_layernorm = "#009E73"; c_none = "#000000"
set style line 1 lc rgb "#0072B2" lw 2 pt 7 ps 0.9
set style line 2 lc rgb "#D55E00" lw 2 pt 5 ps 0.8
set style line 3 lc rgb "#009E73" lw 2 pt 9 ps 0.9
set style line 9 lc rgb "#000000" lw 2 dt 2 pt 6 ps 0.8
set style line 11 lc rgb "#E69F00" lw 2 pt 7 ps 0.8
set style line 12 lc rgb "#56B4E9" lw 2 pt 5 ps 0.8
set style line 13 lc rgb "#009E73" lw 2 pt 9 ps 0.9
set style line 14 lc rgb "#CC79A7" lw 2 pt 11 ps 0.9
set style line 15 lc rgb "#0072B2" lw 2 pt 13 ps 0.9
set style line 16 lc rgb "#D55E00" lw 2 pt 15 ps 0.9
set style line 31 lc rgb "#0072B2" pt 7 ps 0.35
set style line 32 lc rgb "#D55E00" pt 5 ps 0.3
set style line 20 lc rgb "#555555" lw 1.5 dt 3
set style line 21 lc rgb "#555555" lw 2 dt 2 pt 6 ps 0.8
set grid lc rgb "#dddddd" lw 1
set border lc rgb "#444444"
set format x "%g"
set format y "%g"

# Where panels and legends go: right of each panel when wide, above it when narrow.
mp_left = narrow ? 0.16 : 0.1
mp_right = narrow ? 0.96 : 0.80
key_wide = 'set key at graph 1.02, 0.5 left center vertical Left reverse samplen 2 spacing 1.3'
key_narrow = 'set key inside top left vertical Left reverse samplen 2 opaque box lc rgb "#cccccc"'
if (narrow) { @key_narrow } else { @key_wide }
