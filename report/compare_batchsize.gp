# compare_batchsize.gp - the batch-size study in two runs A and B, overlaid, four panels in one
# column: best training accuracy of the batchnorm and the layernorm nets, then their best
# validation accuracy, against the batch size, in the palette of every page: batchnorm blue,
# layer norm bluish green, the baseline (no normalisation, one batch size) a vermilion point in
# every panel. Run A in solid lines with filled markers, run B dashed with open markers. Each
# run's noise band (compare_band_batchsize.tsv beside the figure, from bnagg compare): A's shaded,
# B's between thin solid lines; the baseline's as error bars (A's left of the point, B's right).
# usage: gnuplot -c report/compare_batchsize.gp RUN_A RUN_B OUTPUT.svg
# Reads exp7_batchsize.tsv of each run by column name. A run without it is left out and the
# panels say so (runs made before the batch-size study existed); non-finite values become gaps.
if (ARGC != 3) { print "usage: gnuplot -c compare_batchsize.gp RUN_A RUN_B OUTPUT.svg"; exit status 2 }
dirA = ARG1; dirB = ARG2

load system("dirname '" . ARG0 . "'") . "/style.gp"
eval style_term(720, 1500)
set output ARG3
set datafile separator "\t"
set datafile columnheaders

fin(v) = (v == v && abs(v) < 1e300) ? v : NaN
have(f) = int(system(sprintf("test -s '%s' && echo 1 || echo 0", f)))
file(R) = (R eq "A" ? dirA : dirB) . "/exp7_batchsize.tsv"
rs = (have(file("A")) ? "A " : "") . (have(file("B")) ? "B" : "")
note = (have(file("A")) ? "" : "no batch-size data in A  ") . (have(file("B")) ? "" : "no batch-size data in B")
is(N) = strcol("norm") eq N

# line styles: 1 A batchnorm, 3 B batchnorm, 5 A layer norm, 7 B layer norm, 2 A baseline, 4 B baseline
set style line 1 lc rgb c_batchnorm lw 2 pt 7 ps 1.0
set style line 3 lc rgb c_batchnorm lw 2 dt 2 pt 6 ps 1.1
set style line 5 lc rgb c_layernorm lw 2 pt 9 ps 1.1
set style line 7 lc rgb c_layernorm lw 2 dt 2 pt 8 ps 1.2
set style line 2 lc rgb c_baseline lw 2 pt 5 ps 1.0
set style line 4 lc rgb c_baseline lw 2 dt 2 pt 4 ps 1.2
ls_of(R, N) = (N eq "batchnorm" ? 1 : N eq "layernorm" ? 5 : 2) + (R eq "A" ? 0 : 2)
c_of(N) = N eq "batchnorm" ? c_batchnorm : N eq "layernorm" ? c_layernorm : c_baseline
# each run's value -/+ the 95% interval of the noise model the page judges by (seed to seed from
# the study of A's configuration plus the binomial sampling part; sampling only without a study),
# an accuracy's band stopping at 0 and 1
bandf = system("dirname '" . ARG3 . "'") . "/compare_band_batchsize.tsv"
# (a file of its header only: the runs share no such point)
bands = have(bandf) && int(system(sprintf("awk 'END { print NR }' '%s'", bandf))) > 1
clip(v) = (v != v) ? v : (v < 0 ? 0 : v > 1 ? 1 : v)
bv(N, M, R, end) = (strcol("norm") eq N) ? clip(fin(column(sprintf("%s_%s%s", M, (R eq "A" ? "a" : "b"), end)))) : NaN
set style fill transparent solid 0.18 noborder
unset key

# the bands as plot clauses for @bp (a clause over no file would warn): A's, B's, each when
# drawn; N and M are the panel's, read when it is plotted
bp = (bands && strstrt(rs, "A") ? 'bandf using "batch_size":(bv(N, M, "A", "_lo")):(bv(N, M, "A", "_hi")) with filledcurves lc rgb c_of(N), \
  bandf using ($2 * 0.94):(bv("none", M, "A", "")):(bv("none", M, "A", "_lo")):(bv("none", M, "A", "_hi")) with yerrorbars lc rgb c_baseline lw 1 pt -1, ' : '') . \
  (bands && strstrt(rs, "B") ? 'for [E in "_lo _hi"] bandf using "batch_size":(bv(N, M, "B", E)) with lines lc rgb c_of(N) lw 0.6 dt 1, \
  bandf using ($2 * 1.06):(bv("none", M, "B", "")):(bv("none", M, "B", "_lo")):(bv("none", M, "B", "_hi")) with yerrorbars lc rgb c_baseline lw 0.6 dt 1 pt -1, ' : '')

set logscale x 2
set offsets graph 0.08, graph 0.08, 0, 0
# panel k = 2 r + c (0 top), one column of four so that a phone shows each at full width
place = 'k = 2 * r + c; set lmargin at screen 0.12; set rmargin at screen 0.97; \
  set tmargin at screen 0.875 - k * 0.22; set bmargin at screen 0.73 - k * 0.22; \
  if (k == 3) { set xlabel "Batch size" } else { unset xlabel }'
set multiplot

r = 0
do for [M in "best_train best_val"] {
  # both panels of a row share the accuracy axis (stats must not be clipped by the last range)
  set yrange [*:*]
  nfin = 0; ymin = 1e300; ymax = -1e300
  do for [R in rs] { undefine STATS_records; stats file(R) using (fin(column(M))) nooutput
    if (exists("STATS_records")) { if (STATS_records > 0) { nfin = nfin + STATS_records
      ymin = (STATS_min < ymin) ? STATS_min : ymin; ymax = (STATS_max > ymax) ? STATS_max : ymax } } }
  # the bands too, whole
  do for [R in (bands && nfin > 0 ? rs : "")] { do for [E in "_lo _hi"] { undefine STATS_records
    stats bandf using (clip(fin(column(sprintf("%s_%s%s", M, (R eq "A" ? "a" : "b"), E))))) nooutput
    if (exists("STATS_records")) { if (STATS_records > 0) {
      ymin = (STATS_min < ymin) ? STATS_min : ymin; ymax = (STATS_max > ymax) ? STATS_max : ymax } } } }
  if (nfin == 0) { set yrange [0:1]; set label 1 "no finite values" at graph 0.5, 0.5 center tc rgb "#888888" } \
  else { pad = (ymax - ymin) * 0.08 + 0.005; set yrange [ymin - pad : ymax + pad]; unset label 1 }
  set label 2 note at graph 0.02, 0.95 left tc rgb "#aa0000"
  c = 0
  do for [N in "batchnorm layernorm"] {
    @place
    set title sprintf("%s: %s", N, M eq "best_val" ? "best validation accuracy" : "best training accuracy")
    plot @bp \
         for [R in rs] file(R) using "batch_size":(is(N) ? fin(column(M)) : NaN) with linespoints ls ls_of(R, N), \
         for [R in rs] file(R) using "batch_size":(is("none") ? fin(column(M)) : NaN) with points ls ls_of(R, "none"), \
         NaN notitle
    c = c + 1
  }
  r = r + 1
}

# one legend for the four panels, above them
set lmargin at screen 0.02; set rmargin at screen 0.98; set tmargin at screen 0.995; set bmargin at screen 0.915
unset border; unset tics; unset xlabel; unset ylabel; unset title; unset grid; unset label 1; unset label 2
unset logscale x; set xrange [0:1]; set yrange [0:1]; set offsets 0, 0, 0, 0
set key at screen 0.5, 0.995 center top horizontal maxcols 2 Left reverse samplen 2.5 width 1 spacing 1.1
# (the key fills its columns first: run A's entries in the left one, B's in the right)
plot NaN with linespoints ls 1 title "A: batchnorm", NaN with linespoints ls 5 title "A: layer norm", \
     NaN with points ls 2 title "A: baseline", NaN with linespoints ls 3 title "B: batchnorm", \
     NaN with linespoints ls 7 title "B: layer norm", NaN with points ls 4 title "B: baseline"

unset multiplot
