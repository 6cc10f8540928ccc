# exp6_sweep.gp - experiment 6: the weight-scale sweep, three stacked panels against the weight
# initialisation scale on a log axis: best validation accuracy, best training accuracy and final
# training loss, batchnorm vs baseline.
# usage: gnuplot -c report/exp6_sweep.gp RUN_FOLDER OUTPUT.svg
# Reads RUN_FOLDER/exp6_sweep.tsv by column name. Non-finite values become gaps; the final loss
# is drawn on a log axis because the baseline's explodes by orders of magnitude at large scales.
if (ARGC != 2) { print "usage: gnuplot -c exp6_sweep.gp RUN_FOLDER OUTPUT.svg"; exit status 2 }
sweep = ARG1 . "/exp6_sweep.tsv"

set terminal svg size 900,1200 font "DejaVu Sans,14" background "white"
set output ARG2
set datafile separator "\t"
set datafile columnheaders

# A finite value (a positive one for the log axis), or NaN, which gnuplot leaves out (a gap).
fin(v) = (v == v && abs(v) < 1e300) ? v : NaN
pos(v) = (v == v && v > 0 && v < 1e300) ? v : NaN

# Okabe-Ito colours, distinguishable in colour-blind vision and in grey.
set style line 1 lc rgb "#0072B2" lw 2 pt 7 ps 0.9   # batchnorm
set style line 2 lc rgb "#D55E00" lw 2 pt 5 ps 0.8   # baseline
set grid lc rgb "#dddddd" lw 1
set border lc rgb "#444444"
# the legend sits right of each panel, where it can never hide a point
set key at graph 1.02, 0.5 left center vertical Left reverse samplen 2 spacing 1.3

# finite_count: sets nfin to the number of finite values of f(column) over the columns in cols.
finite_count = 'nfin = 0; do for [c in cols] { undefine STATS_records; \
  stats sweep using (f(column(c))) nooutput; if (exists("STATS_records")) { nfin = nfin + STATS_records } }'
# no finite value: a fixed range instead of autoscaling, which gnuplot refuses on no points
empty_panel = 'set yrange [ylo:yhi]; set label 1 "no finite values" at graph 0.5, 0.5 center tc rgb "#888888"'
full_panel = 'set yrange [*:*]; unset label 1'

set logscale x 10
set format x "10^{%L}"
set xlabel "Weight initialisation scale"
set multiplot layout 3,1 margins 0.1, 0.82, 0.05, 0.96 spacing 0, 0.11

# 1. best validation accuracy over the checks of each training
f(v) = fin(v); ylo = 0; yhi = 1
cols = "batchnorm_best_val baseline_best_val"
@finite_count
if (nfin == 0) { @empty_panel } else { @full_panel }
set title "Best validation accuracy vs weight initialisation scale"
set ylabel "Best val. accuracy"
plot sweep using "weight_scale":(fin(column("batchnorm_best_val"))) with linespoints ls 1 title "batchnorm", \
     ""    using "weight_scale":(fin(column("baseline_best_val"))) with linespoints ls 2 title "baseline"

# 2. best training accuracy
cols = "batchnorm_best_train baseline_best_train"
@finite_count
if (nfin == 0) { @empty_panel } else { @full_panel }
set title "Best training accuracy vs weight initialisation scale"
set ylabel "Best train accuracy"
plot sweep using "weight_scale":(fin(column("batchnorm_best_train"))) with linespoints ls 1 title "batchnorm", \
     ""    using "weight_scale":(fin(column("baseline_best_train"))) with linespoints ls 2 title "baseline"

# 3. final training loss (mean of the last 100 iterations), log axis
f(v) = pos(v); ylo = 1; yhi = 10
cols = "batchnorm_final_loss baseline_final_loss"
@finite_count
if (nfin == 0) { @empty_panel } else { @full_panel }
set logscale y 10
set format y "10^{%L}"
set title "Final training loss vs weight initialisation scale"
set ylabel "Final training loss"
plot sweep using "weight_scale":(pos(column("batchnorm_final_loss"))) with linespoints ls 1 title "batchnorm", \
     ""    using "weight_scale":(pos(column("baseline_final_loss"))) with linespoints ls 2 title "baseline"

unset multiplot
