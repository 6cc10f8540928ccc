# seeds_sweep.gp - experiment 6 over several seeds: the weight-scale sweep, three stacked panels
# against the weight initialisation scale (log axis): best validation accuracy, best training
# accuracy and final training loss, batchnorm vs baseline. Each point is the mean over the seeds;
# its bar spans the lowest to the highest seed; the accuracy panels shade the mean ± one standard
# deviation. The baseline is drawn a little to the right of batchnorm so that the bars stay apart.
# usage: gnuplot -c report/seeds_sweep.gp SEEDS_FOLDER OUTPUT.svg
# Reads SEEDS_FOLDER/exp6_sweep_seeds.tsv (written by bnagg seeds) by column name. Non-finite
# values become gaps; the final loss is drawn on a log axis because the baseline's explodes.
if (ARGC != 2) { print "usage: gnuplot -c seeds_sweep.gp SEEDS_FOLDER OUTPUT.svg"; exit status 2 }
sweep = ARG1 . "/exp6_sweep_seeds.tsv"

set terminal svg size 900,1200 font "DejaVu Sans,14" background "white"
set output ARG2
set datafile separator "\t"
set datafile columnheaders

fin(v) = (v == v && abs(v) < 1e300) ? v : NaN
pos(v) = (v == v && v > 0 && v < 1e300) ? v : NaN
m(P) = f(column(P . "_mean"))
lo(P) = f(column(P . "_mean") - column(P . "_sd"))
hi(P) = f(column(P . "_mean") + column(P . "_sd"))
mn(P) = f(column(P . "_min"))
mx(P) = f(column(P . "_max"))
# the baseline's x, a twentieth of a decade to the right
shift = 10 ** 0.05

set style line 1 lc rgb "#0072B2" lw 2 pt 7 ps 0.8   # batchnorm
set style line 2 lc rgb "#D55E00" lw 2 pt 5 ps 0.7   # baseline
set style line 3 lc rgb "#0072B2" lw 1 pt 7 ps 0.8
set style line 4 lc rgb "#D55E00" lw 1 pt 5 ps 0.7
set style fill transparent solid 0.18 noborder
set grid lc rgb "#dddddd" lw 1
set border lc rgb "#444444"
set key at graph 1.02, 0.5 left center vertical Left reverse samplen 2 spacing 1.3

finite_count = 'nfin = 0; do for [c in cols] { undefine STATS_records; \
  stats sweep using (f(column(c))) nooutput; if (exists("STATS_records")) { nfin = nfin + STATS_records } }'
empty_panel = 'set yrange [ylo:yhi]; set label 1 "no finite values" at graph 0.5, 0.5 center tc rgb "#888888"'
full_panel = 'set yrange [*:*]; unset label 1'

set logscale x 10
set format x "10^{%L}"
# the scales' range, a little wider (the baseline's points sit right of their scale)
stats sweep using "weight_scale" nooutput
set xrange [STATS_min / 10 ** 0.1 : STATS_max * 10 ** 0.15]
set xlabel "Weight initialisation scale"
set multiplot layout 3,1 margins 0.1, 0.78, 0.05, 0.96 spacing 0, 0.11

# 1. and 2. best validation and training accuracy: band mean +- sd, bars min-max, mean line
f(v) = fin(v); ylo = 0; yhi = 1
do for [M in "best_val best_train"] {
  cols = sprintf("batchnorm_%s_mean baseline_%s_mean", M, M)
  @finite_count
  if (nfin == 0) { @empty_panel } else { @full_panel }
  set title sprintf("Best %s accuracy vs weight initialisation scale (over the seeds)", M eq "best_val" ? "validation" : "training")
  set ylabel sprintf("Best %s accuracy", M eq "best_val" ? "val." : "train")
  B = "batchnorm_" . M; R = "baseline_" . M
  plot sweep using "weight_scale":(lo(B)):(hi(B)) with filledcurves ls 1 notitle, \
       ""    using (column("weight_scale") * shift):(lo(R)):(hi(R)) with filledcurves ls 2 notitle, \
       ""    using "weight_scale":(m(B)):(mn(B)):(mx(B)) with yerrorbars ls 3 notitle, \
       ""    using (column("weight_scale") * shift):(m(R)):(mn(R)):(mx(R)) with yerrorbars ls 4 notitle, \
       ""    using "weight_scale":(m(B)) with linespoints ls 1 title "batchnorm", \
       ""    using (column("weight_scale") * shift):(m(R)) with linespoints ls 2 title "baseline", \
       keyentry with filledcurves lc rgb "#999999" title "± 1 sd", \
       keyentry with yerrorbars lc rgb "#777777" pt 7 ps 0.6 title "min–max"
}

# 3. final training loss (mean of the last 100 iterations): mean, bars min-max, log axis
f(v) = pos(v); ylo = 1; yhi = 10
cols = "batchnorm_final_loss_mean baseline_final_loss_mean"
@finite_count
if (nfin == 0) { @empty_panel } else { @full_panel }
set logscale y 10
set format y "10^{%L}"
set title "Final training loss vs weight initialisation scale (over the seeds)"
set ylabel "Final training loss"
B = "batchnorm_final_loss"; R = "baseline_final_loss"
plot sweep using "weight_scale":(m(B)):(mn(B)):(mx(B)) with yerrorbars ls 3 notitle, \
     ""    using (column("weight_scale") * shift):(m(R)):(mn(R)):(mx(R)) with yerrorbars ls 4 notitle, \
     ""    using "weight_scale":(m(B)) with linespoints ls 1 title "batchnorm", \
     ""    using (column("weight_scale") * shift):(m(R)) with linespoints ls 2 title "baseline", \
     keyentry with yerrorbars lc rgb "#777777" pt 7 ps 0.6 title "min–max"

unset multiplot
