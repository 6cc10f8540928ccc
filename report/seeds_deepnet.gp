# seeds_deepnet.gp - experiment 5 over several seeds: the deep net with and without batchnorm,
# three stacked panels, each curve the mean over the seeds with a band of one standard deviation
# either side: training loss (averaged over each epoch's iterations, drawn at the middle of the
# epoch, with the per-iteration mean over the seeds as faint dots), training accuracy and
# validation accuracy per epoch.
# usage: gnuplot -c report/seeds_deepnet.gp SEEDS_FOLDER OUTPUT.svg
# Reads SEEDS_FOLDER/exp5_deepnet_epoch_loss_seeds.tsv, exp5_deepnet_loss_seeds.tsv and
# exp5_deepnet_acc_seeds.tsv (written by bnagg seeds) by column name. Non-finite values become
# gaps; a panel with no finite value at all is drawn empty and says so.
if (ARGC != 2) { print "usage: gnuplot -c seeds_deepnet.gp SEEDS_FOLDER OUTPUT.svg"; exit status 2 }
eloss = ARG1 . "/exp5_deepnet_epoch_loss_seeds.tsv"
iloss = ARG1 . "/exp5_deepnet_loss_seeds.tsv"
acc = ARG1 . "/exp5_deepnet_acc_seeds.tsv"

set terminal svg size 900,1200 font "DejaVu Sans,14" background "white"
set output ARG2
set datafile separator "\t"
set datafile columnheaders

fin(v) = (v == v && abs(v) < 1e300) ? v : NaN
pos(v) = (v == v && v > 0 && v < 1e300) ? v : NaN
# mean - sd and mean + sd of column prefix P (NaN unless both are finite; sd is 0 for one seed)
lo(P) = fin(column(P . "_mean") - column(P . "_sd"))
hi(P) = fin(column(P . "_mean") + column(P . "_sd"))

# Okabe-Ito colours, as in the single-seed figures: batchnorm blue, baseline vermilion
set style line 1 lc rgb "#0072B2" lw 2 pt 7 ps 0.8
set style line 2 lc rgb "#D55E00" lw 2 pt 5 ps 0.7
set style line 11 lc rgb "#0072B2" pt 7 ps 0.25
set style line 12 lc rgb "#D55E00" pt 5 ps 0.2
set style fill transparent solid 0.2 noborder
set grid lc rgb "#dddddd" lw 1
set border lc rgb "#444444"
set key at graph 1.02, 0.5 left center vertical Left reverse samplen 2 spacing 1.3

# finite_count: nfin = finite values of the columns in cols (file `file`), ymin/ymax their range
finite_count = 'nfin = 0; ymin = 1e300; ymax = -1e300; \
  do for [c in cols] { undefine STATS_records; stats file using (fin(column(c))) nooutput; \
    if (exists("STATS_records")) { nfin = nfin + STATS_records; \
      if (STATS_records > 0) { ymin = (STATS_min < ymin) ? STATS_min : ymin; ymax = (STATS_max > ymax) ? STATS_max : ymax } } }'
empty_panel = 'set yrange [0:1]; set label 1 "no finite values" at graph 0.5, 0.5 center tc rgb "#888888"'
full_panel = 'set yrange [*:*]; unset label 1'

set multiplot layout 3,1 margins 0.1, 0.78, 0.05, 0.96 spacing 0, 0.11

# 1. training loss: per-epoch means, mean +- sd over the seeds; per-iteration means as dots
file = eloss; cols = "batchnorm_mean baseline_mean"
@finite_count
if (nfin == 0) { @empty_panel } else { @full_panel }
if (nfin > 0 && ymin > 0 && ymax / ymin > 100) { set logscale y; mid(v) = pos(v); lo_l(P) = pos(lo(P)) } \
else { unset logscale y; mid(v) = fin(v); lo_l(P) = lo(P) }
set title "Training loss, averaged over each epoch (mean ± sd over the seeds)"
set xlabel "Iteration"
set ylabel "Loss"
x_mid = '(0.5 * (column("first_iteration") + column("last_iteration")))'
plot eloss using @x_mid:(lo_l("batchnorm")):(hi("batchnorm")) with filledcurves ls 1 notitle, \
     ""    using @x_mid:(lo_l("baseline")):(hi("baseline")) with filledcurves ls 2 notitle, \
     iloss using "iteration":(mid(column("batchnorm_mean"))) with points ls 11 notitle, \
     ""    using "iteration":(mid(column("baseline_mean"))) with points ls 12 notitle, \
     eloss using @x_mid:(mid(column("batchnorm_mean"))) with linespoints ls 1 title "batchnorm", \
     ""    using @x_mid:(mid(column("baseline_mean"))) with linespoints ls 2 title "baseline", \
     keyentry with filledcurves lc rgb "#999999" title "± 1 sd", \
     keyentry with points pt 7 ps 0.3 lc rgb "#777777" title "per iteration"
unset logscale y

# 2. and 3. accuracy at each check, mean +- sd over the seeds
set xlabel "Epoch"
set ylabel "Accuracy"
file = acc
do for [C in "train val"] {
  cols = sprintf("batchnorm_%s_mean baseline_%s_mean", C, C)
  @finite_count
  if (nfin == 0) { @empty_panel } else { @full_panel }
  set title sprintf("%s accuracy (mean ± sd over the seeds)", C eq "train" ? "Training" : "Validation")
  plot acc using "epoch":(lo("batchnorm_" . C)):(hi("batchnorm_" . C)) with filledcurves ls 1 notitle, \
       ""  using "epoch":(lo("baseline_" . C)):(hi("baseline_" . C)) with filledcurves ls 2 notitle, \
       ""  using "epoch":(fin(column("batchnorm_" . C . "_mean"))) with linespoints ls 1 title "batchnorm", \
       ""  using "epoch":(fin(column("baseline_" . C . "_mean"))) with linespoints ls 2 title "baseline", \
       keyentry with filledcurves lc rgb "#999999" title "± 1 sd"
}

unset multiplot
