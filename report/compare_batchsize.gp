# compare_batchsize.gp - the batch-size study in two runs A and B, overlaid, four panels in one
# column: best training accuracy of the batchnorm and the layernorm nets, then their best
# validation accuracy, against the batch size; the baseline (no normalisation, one batch size)
# is the black point in every panel. Run A in solid lines with filled markers, run B dashed with open markers.
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

set style line 1 lc rgb c_layernorm lw 2 pt 7 ps 1.0
set style line 3 lc rgb c_layernorm lw 2 dt 2 pt 6 ps 1.1
set style line 2 lc rgb c_baseline lw 2 pt 5 ps 1.0
set style line 4 lc rgb c_baseline lw 2 dt 2 pt 4 ps 1.2
unset key

set logscale x 2
set offsets graph 0.08, graph 0.08, 0, 0
# panel k = 2 r + c (0 top), one column of four so that a phone shows each at full width
place = 'k = 2 * r + c; set lmargin at screen 0.12; set rmargin at screen 0.97; \
  set tmargin at screen 0.90 - k * 0.225; set bmargin at screen 0.75 - k * 0.225; \
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
  if (nfin == 0) { set yrange [0:1]; set label 1 "no finite values" at graph 0.5, 0.5 center tc rgb "#888888" } \
  else { pad = (ymax - ymin) * 0.08 + 0.005; set yrange [ymin - pad : ymax + pad]; unset label 1 }
  set label 2 note at graph 0.02, 0.95 left tc rgb "#aa0000"
  c = 0
  do for [N in "batchnorm layernorm"] {
    @place
    set title sprintf("%s: %s", N, M eq "best_val" ? "best validation accuracy" : "best training accuracy")
    plot for [R in rs] file(R) using "batch_size":(is(N) ? fin(column(M)) : NaN) with linespoints ls (R eq "A" ? 1 : 3), \
         for [R in rs] file(R) using "batch_size":(is("none") ? fin(column(M)) : NaN) with points ls (R eq "A" ? 2 : 4), \
         NaN notitle
    c = c + 1
  }
  r = r + 1
}

# one legend for the four panels, above them
set lmargin at screen 0.02; set rmargin at screen 0.98; set tmargin at screen 1.0; set bmargin at screen 0.93
unset border; unset tics; unset xlabel; unset ylabel; unset title; unset grid; unset label 1; unset label 2
unset logscale x; set xrange [0:1]; set yrange [0:1]; set offsets 0, 0, 0, 0
set key center center horizontal maxcols 2 Left reverse samplen 2.5 width 0
plot NaN with linespoints ls 1 title "A: normalised", NaN with linespoints ls 3 title "B: normalised", \
     NaN with points ls 2 title "A: baseline", NaN with points ls 4 title "B: baseline"

unset multiplot
