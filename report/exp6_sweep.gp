# exp6_sweep.gp - experiment 6: the weight-scale sweep, three stacked panels against the weight
# initialisation scale on a log axis: best validation accuracy, best training accuracy and final
# training loss, batchnorm vs baseline.
# usage: gnuplot -c report/exp6_sweep.gp RUN_FOLDER OUTPUT.svg [wide|narrow]
# Reads RUN_FOLDER/exp6_sweep.tsv by column name. Non-finite values become gaps; the final loss
# is drawn on a linear axis clipped at loss_top, with ln 10 as a reference line, so that 1.8
# and 2.30 stay apart; losses above the top (the baseline's explode by orders of magnitude) are
# drawn as open triangles on the top edge.
if (ARGC < 2 || ARGC > 3) { print "usage: gnuplot -c exp6_sweep.gp RUN_FOLDER OUTPUT.svg"; exit status 2 }
sweep = ARG1 . "/exp6_sweep.tsv"

if (ARGC >= 3) { layout = ARG3 }
fig_w = 900; fig_h = 1250; fig_h_narrow = 1400
load system("dirname '" . ARG0 . "'") . "/style.gp"
set output ARG2

# finite_count: sets nfin to the number of finite values of f(column) over the columns in cols.
finite_count = 'nfin = 0; do for [c in cols] { undefine STATS_records; \
  stats sweep using (f(column(c))) nooutput; if (exists("STATS_records")) { nfin = nfin + STATS_records } }'
# no finite value: a fixed range instead of autoscaling, which gnuplot refuses on no points
empty_panel = 'set yrange [ylo:yhi]; set label 1 "no finite values" at graph 0.5, 0.5 center tc rgb "#888888"'
full_panel = 'set yrange [*:*]; unset label 1'

# narrow: room above the top panel for its legend and, above that, its title
if (narrow) { mp_top = 1 - 100.0 / svg_h }
set logscale x 10
set format x "%g"
unset xlabel   # the three panels share the x axis: its label under the last one only, so that a
               # panel's title never crowds the label of the one above
set multiplot layout 3,1 margins mp_left, mp_right, mp_bottom, mp_top spacing 0, (narrow ? 0.115 : 0.1)

# 1. best validation accuracy over the checks of each training
f(v) = fin(v); ylo = 0; yhi = 1
cols = "batchnorm_best_val baseline_best_val"
@finite_count
if (nfin == 0) { @empty_panel } else { @full_panel }
set title "Best validation accuracy"
set ylabel "Accuracy"
plot sweep using "weight_scale":(fin(column("batchnorm_best_val"))) with linespoints ls 1 title "batchnorm", \
     ""    using "weight_scale":(fin(column("baseline_best_val"))) with linespoints ls 2 title "baseline"

# 2. best training accuracy
cols = "batchnorm_best_train baseline_best_train"
@finite_count
if (nfin == 0) { @empty_panel } else { @full_panel }
set title "Best training accuracy"
set ylabel "Accuracy"
plot sweep using "weight_scale":(fin(column("batchnorm_best_train"))) with linespoints ls 1 title "batchnorm", \
     ""    using "weight_scale":(fin(column("baseline_best_train"))) with linespoints ls 2 title "baseline"

# 3. final training loss (mean of the last 100 iterations), linear axis clipped at loss_top
loss_top = 4.0
top(v) = (fin(v) == fin(v) && v > loss_top) ? loss_top : NaN
low(v) = (fin(v) == fin(v) && v <= loss_top) ? v : NaN
f(v) = fin(v); ylo = 0; yhi = loss_top
cols = "batchnorm_final_loss baseline_final_loss"
@finite_count
if (nfin == 0) { @empty_panel } else { @full_panel }
if (nfin > 0) { set yrange [0:loss_top] }
set title sprintf("Final training loss (above %g: on the top edge)", loss_top)
set ylabel "Loss"
set xlabel "Weight initialisation scale"
# narrow: a legend of two rows, lifted clear of the triangles on the top edge, its title above it
if (narrow) { set key at graph 0, 1.04; set title offset 0, 2.0 }
# ln 10 dotted, labelled in the top left corner: the curves cross the line, the corner stays clear
@ln10_line_top
plot sweep using "weight_scale":(low(column("batchnorm_final_loss"))) with linespoints ls 1 title "batchnorm", \
     ""    using "weight_scale":(low(column("baseline_final_loss"))) with linespoints ls 2 title "baseline", \
     ""    using "weight_scale":(top(column("batchnorm_final_loss"))) with points lc rgb c_batchnorm pt 8 ps 1.6 title sprintf("batchnorm > %g", loss_top), \
     ""    using "weight_scale":(top(column("baseline_final_loss"))) with points lc rgb c_baseline pt 8 ps 1.6 title sprintf("baseline > %g", loss_top)
@ln10_off

unset multiplot
