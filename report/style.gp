# style.gp - the gnuplot style the figures load (terminal, font, palette). Minimal version from
# the seeds/compare pages' branch; the writeup's branch owns the full one.
# usage, in a figure script run as `gnuplot -c SCRIPT ...`:
#   load system("dirname '" . ARG0 . "'") . "/style.gp"
#   eval style_term(720, 1200)
# Text size: the figures are drawn 720 px wide with 20 px text, so that shown at their own width
# on a wide screen the text is 20 CSS px, and scaled to a 342 px phone column it is still 9.5 px.
style_font = "DejaVu Sans"
style_size = 20
style_term(w, h) = sprintf('set terminal svg size %d,%d font "%s,%d" background "white"', w, h, style_font, style_size)
# Okabe-Ito colours: batchnorm blue, baseline vermilion, layernorm green, no normalisation black
c_batchnorm = "#0072B2"; c_baseline = "#D55E00"; c_layernorm = "#009E73"; c_none = "#000000"
set grid lc rgb "#dddddd" lw 1
set border lc rgb "#444444"
