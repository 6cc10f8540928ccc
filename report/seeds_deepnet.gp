# seeds_deepnet.gp - the deep net with and without batchnorm over several seeds, three stacked
# panels, each curve the mean over the seeds with a band, the 95% interval of that mean
# (Student's t: it narrows as seeds are added), and thin dashed lines at the 10% and 90%
# quantiles of the seeds (the middle 80% of seeds: it keeps its width): training loss
# (averaged over each epoch's iterations, drawn at the middle of the epoch, with the
# per-iteration mean over the seeds as faint dots, and ln 10, a uniform guess, dotted), training
# accuracy and validation accuracy per epoch; one legend above them, which names every band.
# usage: gnuplot -c report/seeds_deepnet.gp SEEDS_FOLDER OUTPUT.svg
# Reads SEEDS_FOLDER/exp5_deepnet_epoch_loss_seeds.tsv, exp5_deepnet_loss_seeds.tsv and
# exp5_deepnet_acc_seeds.tsv (written by bnagg seeds) by column name. Non-finite values become
# gaps; a panel with no finite value at all is drawn empty and says so.
if (ARGC != 2) { print "usage: gnuplot -c seeds_deepnet.gp SEEDS_FOLDER OUTPUT.svg"; exit status 2 }
eloss = ARG1 . "/exp5_deepnet_epoch_loss_seeds.tsv"
iloss = ARG1 . "/exp5_deepnet_loss_seeds.tsv"
acc = ARG1 . "/exp5_deepnet_acc_seeds.tsv"

load system("dirname '" . ARG0 . "'") . "/style.gp"
eval style_term(720, 1320)
set output ARG2
set datafile separator "\t"
set datafile columnheaders

fin(v) = (v == v && abs(v) < 1e300) ? v : NaN
pos(v) = (v == v && v > 0 && v < 1e300) ? v : NaN
# the band of column prefix P: the 95% interval of the mean; the middle 80% of the seeds
lo(P) = fin(column(P . "_mean_lo"))
hi(P) = fin(column(P . "_mean_hi"))
q1(P) = fin(column(P . "_q10"))
q9(P) = fin(column(P . "_q90"))

# Okabe-Ito colours, as in the single-seed figures: batchnorm blue, baseline vermilion
set style line 1 lc rgb c_batchnorm lw 2 pt 7 ps 0.9
set style line 2 lc rgb c_baseline lw 2 pt 5 ps 0.8
set style line 11 lc rgb c_batchnorm pt 7 ps 0.3
set style line 12 lc rgb c_baseline pt 5 ps 0.25
set style line 21 lc rgb c_batchnorm lw 0.8 dt 2
set style line 22 lc rgb c_baseline lw 0.8 dt 2
set style fill transparent solid 0.2 noborder
unset key

# finite_count: nfin = finite values of the columns in cols (file `file`), ymin/ymax their range
finite_count = 'nfin = 0; ymin = 1e300; ymax = -1e300; \
  do for [c in cols] { undefine STATS_records; stats file using (fin(column(c))) nooutput; \
    if (exists("STATS_records")) { nfin = nfin + STATS_records; \
      if (STATS_records > 0) { ymin = (STATS_min < ymin) ? STATS_min : ymin; ymax = (STATS_max > ymax) ? STATS_max : ymax } } }'
empty_panel = 'set yrange [0:1]; set label 1 "no finite values" at graph 0.5, 0.5 center tc rgb "#888888"'
full_panel = 'set yrange [*:*]; unset label 1'

# right: room for half the last x tick label ("200") and a margin; bottom: for the last x label
set multiplot layout 3,1 margins 0.12, 0.95, 100.0 / 1320, 1 - 250.0 / 1320 spacing 0, 0.125

# 1. training loss: per-epoch means, mean and range over the seeds; per-iteration means as dots
file = eloss; cols = "batchnorm_mean baseline_mean"
@finite_count
if (nfin == 0) { @empty_panel } else { @full_panel }
if (nfin > 0 && ymin > 0 && ymax / ymin > 100) { set logscale y; mid(v) = pos(v); lo_l(P) = pos(lo(P)); q1_l(P) = pos(q1(P)) } \
else { unset logscale y; mid(v) = fin(v); lo_l(P) = lo(P); q1_l(P) = q1(P) }
set title "Training loss, per epoch"
set xlabel "Iteration"
x_mid = '(0.5 * (column("first_iteration") + column("last_iteration")))'
# ln 10, the loss of a uniform guess over the 10 classes, dotted (a curve: the y range takes it in)
set label 2 "ln 10 = 2.303: uniform guess" at graph 0.98, first log(10) offset 0, 0.8 right tc rgb c_ref front
plot log(10) with lines ls 20 notitle, \
     eloss using @x_mid:(lo_l("batchnorm")):(hi("batchnorm")) with filledcurves ls 1 notitle, \
     ""    using @x_mid:(lo_l("baseline")):(hi("baseline")) with filledcurves ls 2 notitle, \
     ""    using @x_mid:(q1_l("batchnorm")) with lines ls 21 notitle, ""    using @x_mid:(q9("batchnorm")) with lines ls 21 notitle, \
     ""    using @x_mid:(q1_l("baseline")) with lines ls 22 notitle, ""    using @x_mid:(q9("baseline")) with lines ls 22 notitle, \
     iloss using "iteration":(mid(column("batchnorm_mean"))) with points ls 11 notitle, \
     ""    using "iteration":(mid(column("baseline_mean"))) with points ls 12 notitle, \
     eloss using @x_mid:(mid(column("batchnorm_mean"))) with linespoints ls 1 title "batchnorm", \
     ""    using @x_mid:(mid(column("baseline_mean"))) with linespoints ls 2 title "baseline"
unset logscale y
unset label 2

# 2. and 3. accuracy at each check, mean and range over the seeds
set xlabel "Epoch"
file = acc
do for [C in "train val"] {
  cols = sprintf("batchnorm_%s_mean baseline_%s_mean", C, C)
  @finite_count
  if (nfin == 0) { @empty_panel } else { @full_panel }
  set title sprintf("%s accuracy", C eq "train" ? "Training" : "Validation")
  plot acc using "epoch":(lo("batchnorm_" . C)):(hi("batchnorm_" . C)) with filledcurves ls 1 notitle, \
       ""  using "epoch":(lo("baseline_" . C)):(hi("baseline_" . C)) with filledcurves ls 2 notitle, \
       ""  using "epoch":(q1("batchnorm_" . C)) with lines ls 21 notitle, "" using "epoch":(q9("batchnorm_" . C)) with lines ls 21 notitle, \
       ""  using "epoch":(q1("baseline_" . C)) with lines ls 22 notitle, "" using "epoch":(q9("baseline_" . C)) with lines ls 22 notitle, \
       ""  using "epoch":(fin(column("batchnorm_" . C . "_mean"))) with linespoints ls 1 title "batchnorm", \
       ""  using "epoch":(fin(column("baseline_" . C . "_mean"))) with linespoints ls 2 title "baseline"
}

# one legend for the three panels, above them (beside the panels it would take a third of a
# phone's width); its entries are too wide for two columns, so its five rows take the top 190 px,
# and the panels start 250 px down, below it and the first title
set lmargin at screen 0.02; set rmargin at screen 0.98; set tmargin at screen 0.99; set bmargin at screen 1 - 190.0 / 1320
unset border; unset tics; unset xlabel; unset ylabel; unset title; unset grid; unset label 1
set xrange [0:1]; set yrange [0:1]
set key default
set key center center horizontal maxrows 2 Left reverse samplen 2 width 0
plot NaN with linespoints ls 1 title "batchnorm", NaN with linespoints ls 2 title "baseline", \
     keyentry with filledcurves lc rgb "#999999" title "95% interval of the mean", \
     keyentry with lines lc rgb "#777777" lw 0.8 dt 2 title "middle 80% of seeds", \
     keyentry with points pt 7 ps 0.4 lc rgb "#777777" title "per iteration"

unset multiplot
