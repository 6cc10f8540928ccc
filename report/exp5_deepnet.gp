# exp5_deepnet.gp - experiment 5: the deep net with and without batchnorm, three stacked panels:
# training loss per iteration, training accuracy and validation accuracy per epoch.
# usage: gnuplot -c report/exp5_deepnet.gp RUN_FOLDER OUTPUT.svg
# Reads RUN_FOLDER/exp5_deepnet_loss.tsv and exp5_deepnet_acc.tsv by column name. Non-finite
# values become gaps; a panel with no finite value at all is drawn empty and says so.
if (ARGC != 2) { print "usage: gnuplot -c exp5_deepnet.gp RUN_FOLDER OUTPUT.svg"; exit status 2 }
run = ARG1
loss = run . "/exp5_deepnet_loss.tsv"
acc = run . "/exp5_deepnet_acc.tsv"

set terminal svg size 900,1200 font "DejaVu Sans,14" background "white"
set output ARG2
set datafile separator "\t"
set datafile columnheaders

# A finite value, or NaN, which gnuplot leaves out of lines and points (a gap).
fin(v) = (v == v && abs(v) < 1e300) ? v : NaN

# Okabe-Ito colours, distinguishable in colour-blind vision and in grey.
set style line 1 lc rgb "#0072B2" lw 2 pt 7 ps 0.8   # batchnorm
set style line 2 lc rgb "#D55E00" lw 2 pt 5 ps 0.7   # baseline
set style line 11 lc rgb "#0072B2" pt 7 ps 0.35
set style line 12 lc rgb "#D55E00" pt 5 ps 0.3
set grid lc rgb "#dddddd" lw 1
set border lc rgb "#444444"
# the legend sits right of each panel, where it can never hide a point
set key at graph 1.02, 0.5 left center vertical Left reverse samplen 2 spacing 1.3

# finite_count(FILE, "col1 col2"): sets nfin to the number of finite values in the columns,
# and ymin/ymax to their range.
finite_count = 'nfin = 0; ymin = 1e300; ymax = -1e300; \
  do for [c in cols] { undefine STATS_records; stats file using (fin(column(c))) nooutput; \
    if (exists("STATS_records")) { nfin = nfin + STATS_records; \
      if (STATS_records > 0) { ymin = (STATS_min < ymin) ? STATS_min : ymin; ymax = (STATS_max > ymax) ? STATS_max : ymax } } }'
# no finite value: a fixed range instead of autoscaling, which gnuplot refuses on no points
empty_panel = 'set yrange [0:1]; set label 1 "no finite values" at graph 0.5, 0.5 center tc rgb "#888888"'
full_panel = 'set yrange [*:*]; unset label 1'

set multiplot layout 3,1 margins 0.1, 0.82, 0.05, 0.96 spacing 0, 0.11

# 1. training loss, every iteration; a log axis only when the loss spans two decades or more
file = loss; cols = "batchnorm baseline"
@finite_count
if (nfin == 0) { @empty_panel } else { @full_panel }
if (nfin > 0 && ymin > 0 && ymax / ymin > 100) { set logscale y } else { unset logscale y }
set title "Training loss"
set xlabel "Iteration"
set ylabel "Loss"
plot loss using "iteration":(fin(column("batchnorm"))) with points ls 11 title "batchnorm", \
     ""   using "iteration":(fin(column("baseline"))) with points ls 12 title "baseline"
unset logscale y

# 2. training accuracy at each check (first iteration, then every epoch's end)
file = acc; cols = "batchnorm_train baseline_train"
@finite_count
if (nfin == 0) { @empty_panel } else { @full_panel }
set title "Training accuracy"
set xlabel "Epoch"
set ylabel "Accuracy"
plot acc using "epoch":(fin(column("batchnorm_train"))) with linespoints ls 1 title "batchnorm", \
     ""  using "epoch":(fin(column("baseline_train"))) with linespoints ls 2 title "baseline"

# 3. validation accuracy at the same checks
cols = "batchnorm_val baseline_val"
@finite_count
if (nfin == 0) { @empty_panel } else { @full_panel }
set title "Validation accuracy"
plot acc using "epoch":(fin(column("batchnorm_val"))) with linespoints ls 1 title "batchnorm", \
     ""  using "epoch":(fin(column("baseline_val"))) with linespoints ls 2 title "baseline"

unset multiplot
