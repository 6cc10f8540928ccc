# compare_sweep.gp - experiment 6 in two runs A and B, overlaid: best validation accuracy, best
# training accuracy and final training loss against the weight initialisation scale (log axis),
# batchnorm (blue) and baseline (vermilion); run A in solid lines with filled markers, run B
# dashed with open markers.
# usage: gnuplot -c report/compare_sweep.gp RUN_A RUN_B OUTPUT.svg
# Reads exp6_sweep.tsv of each run by column name. A run without it is left out and the panels
# say so; non-finite values become gaps; the final loss is drawn on a linear axis clipped at
# loss_top, with ln 10 as a reference line, as on the seed page. Each run's noise band at every
# scale comes from compare_band_sweep.tsv beside the figure (bnagg compare): A's shaded, B's
# between thin solid lines (dotted is ln 10's).
if (ARGC != 3) { print "usage: gnuplot -c compare_sweep.gp RUN_A RUN_B OUTPUT.svg"; exit status 2 }
dirA = ARG1; dirB = ARG2

load system("dirname '" . ARG0 . "'") . "/style.gp"
eval style_term(720, 1260)
set output ARG3
set datafile separator "\t"
set datafile columnheaders

fin(v) = (v == v && abs(v) < 1e300) ? v : NaN
pos(v) = (v == v && v > 0 && v < 1e300) ? v : NaN
have(f) = int(system(sprintf("test -s '%s' && echo 1 || echo 0", f)))
file(R) = (R eq "A" ? dirA : dirB) . "/exp6_sweep.tsv"
rs = (have(file("A")) ? "A " : "") . (have(file("B")) ? "B" : "")
note = (have(file("A")) ? "" : "no data in A  ") . (have(file("B")) ? "" : "no data in B")

set style line 1 lc rgb c_batchnorm lw 2 pt 7 ps 0.9
set style line 2 lc rgb c_baseline lw 2 pt 5 ps 0.8
set style line 3 lc rgb c_batchnorm lw 2 dt 2 pt 6 ps 1.0
set style line 4 lc rgb c_baseline lw 2 dt 2 pt 4 ps 0.9
ls_of(R, net) = (R eq "A" ? 0 : 2) + (net eq "batchnorm" ? 1 : 2)
# one legend, above the three panels (a legend beside them would take a third of a phone's width)
set key at screen 0.5, 0.995 center top horizontal maxcols 2 Left reverse samplen 2.5 width 1
nets = "batchnorm baseline"
# each run's value -/+ the 95% interval of the noise model the page judges by (seed to seed from
# the study of A's configuration plus the within-run part; sampling only without a study)
bandf = system("dirname '" . ARG3 . "'") . "/compare_band_sweep.tsv"
# (a file of its header only: the runs share no such point)
bands = have(bandf) && int(system(sprintf("awk 'END { print NR }' '%s'", bandf))) > 1
# an accuracy's band stops at 0 and 1 (a loss's at the panel's edges)
clip(v) = (M eq "final_loss" || v != v) ? v : (v < 0 ? 0 : v > 1 ? 1 : v)
bcol(N, M, R, end) = sprintf("%s_%s_%s%s", N, M, (R eq "A" ? "a" : "b"), end)
# the bands as plot clauses for @bp (a clause over no file would warn): A's, B's, each when
# drawn; M is the panel's, read when it is plotted
bp = (bands && strstrt(rs, "A") ? 'for [N in nets] bandf using "weight_scale":(clip(fin(column(bcol(N, M, "A", "_lo"))))):(clip(fin(column(bcol(N, M, "A", "_hi"))))) \
    with filledcurves lc rgb (N eq "batchnorm" ? c_batchnorm : c_baseline) notitle, ' : '') . \
  (bands && strstrt(rs, "B") ? 'for [N in nets] for [E in "_lo _hi"] bandf using "weight_scale":(clip(fin(column(bcol(N, M, "B", E))))) \
    with lines lc rgb (N eq "batchnorm" ? c_batchnorm : c_baseline) lw 0.6 dt 1 notitle, ' : '')
set style fill transparent solid 0.18 noborder

finite_count = 'nfin = 0; do for [R in rs] { do for [N in nets] { undefine STATS_records; \
  stats file(R) using (f(column(N . "_" . M))) nooutput; if (exists("STATS_records")) { nfin = nfin + STATS_records } } }'
panel = 'if (nfin == 0) { set yrange [ylo:yhi]; set label 1 "no finite values" at graph 0.5, 0.5 center tc rgb "#888888" } \
  else { set yrange [*:*]; unset label 1 }; set label 3 note at graph 0.02, 0.95 left tc rgb "#aa0000"'

set logscale x 10
set format x "1e%L"
unset xlabel   # the three panels share the x axis: its label under the last one
set multiplot layout 3,1 margins 0.12, 0.95, 0.08, 0.87 spacing 0, 0.125

loss_top = 4.0
f(v) = fin(v); ylo = 0; yhi = 1
do for [M in "best_val best_train final_loss"] {
  if (M eq "final_loss") { f(v) = fin(v); ylo = 0; yhi = loss_top; @ln10_line_top; set xlabel "Weight initialisation scale" }
  @finite_count
  @panel
  set title (M eq "best_val" ? "Best validation accuracy" : M eq "best_train" ? "Best training accuracy" : sprintf("Final training loss (above %g: a triangle on the top edge)", loss_top))
  if (M eq "final_loss" && nfin > 0) { set yrange [0:loss_top] }
  plot @bp \
       for [R in rs] for [N in nets] file(R) using "weight_scale":(f(column(N . "_" . M))) with linespoints ls ls_of(R, N) \
         title sprintf("%s: %s", R, N), \
       for [R in rs] for [N in nets] file(R) using "weight_scale":(M eq "final_loss" && f(column(N . "_" . M)) > loss_top ? loss_top : NaN) \
         with points lc rgb (N eq "batchnorm" ? c_batchnorm : c_baseline) pt (R eq "A" ? 9 : 8) ps 1.6 notitle, \
       NaN notitle
  unset key; @ln10_off
}

unset multiplot
