# exp5_deepnet.gp - experiment 5: the deep net with and without batchnorm, three stacked panels:
# training loss per iteration, training accuracy and validation accuracy per epoch.
# usage: gnuplot -c report/exp5_deepnet.gp RUN_FOLDER OUTPUT.svg [wide|narrow]
# Reads RUN_FOLDER/exp5_deepnet_loss.tsv and exp5_deepnet_acc.tsv by column name. Non-finite
# values become gaps; a panel with no finite value at all is drawn empty and says so.
if (ARGC < 2 || ARGC > 3) { print "usage: gnuplot -c exp5_deepnet.gp RUN_FOLDER OUTPUT.svg"; exit status 2 }
run = ARG1
loss = run . "/exp5_deepnet_loss.tsv"
acc = run . "/exp5_deepnet_acc.tsv"

if (ARGC >= 3) { layout = ARG3 }
fig_w = 900; fig_h = 1200; fig_h_narrow = 1400
load system("dirname '" . ARG0 . "'") . "/style.gp"
set output ARG2

# finite_count(FILE, "col1 col2"): sets nfin to the number of finite values in the columns,
# and ymin/ymax to their range.
finite_count = 'nfin = 0; ymin = 1e300; ymax = -1e300; \
  do for [c in cols] { undefine STATS_records; stats file using (fin(column(c))) nooutput; \
    if (exists("STATS_records")) { nfin = nfin + STATS_records; \
      if (STATS_records > 0) { ymin = (STATS_min < ymin) ? STATS_min : ymin; ymax = (STATS_max > ymax) ? STATS_max : ymax } } }'
# no finite value: a fixed range instead of autoscaling, which gnuplot refuses on no points
empty_panel = 'set yrange [0:1]; set label 1 "no finite values" at graph 0.5, 0.5 center tc rgb "#888888"'
full_panel = 'set yrange [*:*]; unset label 1'

# narrow: room above the top panel for its legend and, above that, its title
if (narrow) { mp_top = 1 - 100.0 / svg_h }
# each x label close under its tick labels, clear of the next panel's title
set xlabel offset 0, 0.5
set multiplot layout 3,1 margins mp_left, mp_right, mp_bottom, mp_top spacing 0, (narrow ? 0.115 : 0.1)

# 1. training loss, every iteration; a log axis only when the loss spans two decades or more
file = loss; cols = "batchnorm baseline"
@finite_count
if (nfin == 0) { @empty_panel } else { @full_panel }
if (nfin > 0 && ymin > 0 && ymax / ymin > 100) { set logscale y } else { unset logscale y }
# ln 10, the loss of a uniform guess over the 10 classes, always in range: the loss starts there
if (nfin > 0 && ymax < 1.08 * log(10)) { set yrange [*:1.08 * log(10)] }
set title "Training loss; " . ln10_note
set xlabel "Iteration"
set ylabel "Loss"
@ln10_line
plot loss using "iteration":(fin(column("batchnorm"))) with points ls 31 title "batchnorm", \
     ""   using "iteration":(fin(column("baseline"))) with points ls 32 title "baseline"
unset logscale y; @ln10_off

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
