# seeds_activations.gp - experiment 8 over several seeds: why the sweep looks as it does. Two
# stacked panels against the weight initialisation scale (log x axis), from the output layer's row
# of each net (kind "scores"): 1. the spread (sd) of the output scores (log y axis), 2. the loss
# (linear y axis up to 4, a triangle on the top edge for a mean above), each at initialisation
# (open marks, dashed) and after training (filled marks), batchnorm vs baseline, with ln 10 (the
# loss of a uniform guess) dotted in the loss panel.
# Each point is the mean over the seeds, its bar the 95% interval of that mean (Student's t; it
# narrows as seeds are added). In the spread panel, where the interval reaches zero or below, the
# bar is cut at the axis, which starts a thousandth below the panel's smallest positive mean; a
# mean of exactly 0 is a cross on that axis.
# usage: gnuplot -c report/seeds_activations.gp SEEDS_FOLDER OUTPUT.svg
# Reads SEEDS_FOLDER/exp8_activations_seeds.tsv (written by bnagg seeds) by column name.
if (ARGC != 2) { print "usage: gnuplot -c seeds_activations.gp SEEDS_FOLDER OUTPUT.svg"; exit status 2 }
act = ARG1 . "/exp8_activations_seeds.tsv"

load system("dirname '" . ARG0 . "'") . "/style.gp"
eval style_term(720, 1000)
set output ARG2
set datafile separator "\t"
set datafile columnheaders

is(N, S) = strcol("norm") eq N && strcol("stage") eq S && strcol("kind") eq "scores"
# value V of the selected rows (NaN elsewhere); the bar's ends, a lower end at or below zero cut
# at the panel's floor (a thousandth of its smallest mean), where the bar then stops at the axis
sel(N, S, V) = is(N, S) ? pos(column(V . "_mean")) : NaN
floor = 1e-300
cut(v) = (v == v && v < 1e300) ? (v > floor ? v : floor) : NaN
lo(N, S, V) = is(N, S) ? cut(column(V . "_mean_lo")) : NaN
hi(N, S, V) = is(N, S) ? pos(column(V . "_mean_hi")) : NaN

set style line 1 lc rgb c_batchnorm lw 2 pt 7 ps 0.9
set style line 2 lc rgb c_baseline lw 2 pt 5 ps 0.8
set style line 3 lc rgb c_batchnorm lw 1.5 dt 2 pt 6 ps 0.9
set style line 4 lc rgb c_baseline lw 1.5 dt 2 pt 4 ps 0.8
set key at screen 0.5, 0.99 center top vertical maxrows 6 Left reverse samplen 2 width -2 spacing 0.95
# what the bars and the crosses are, in the legend too; its six rows stand above the panels, which
# start at 0.71 of the height, below it and the first title (left margin for labels like "2.5e+09")
bars_entry = 'keyentry with yerrorbars lc rgb "#777777" pt 7 ps 0.6 title "bar: 95% interval of the mean"' 

set logscale x 10
set format x "1e%L"
set xlabel "Weight initialisation scale"
set multiplot layout 2,1 margins 0.17, 0.93, 0.07, 0.71 spacing 0, 0.17

# 1. the spread of the output scores, log axis: an exploding baseline reaches 1e8, a vanishing one
# 1e-24. A mean of exactly 0 (every seed's signal became 0 in the trainings' float type) has no
# place on a log axis: it is drawn as a cross on the panel's floor, with its own legend entry.
V = "pre_sd"
set title "Spread (sd) of the output scores"
set logscale y 10
set format y "1e%L"
undefine STATS_min
stats act using (strcol("kind") eq "scores" ? pos(column(V . "_mean")) : NaN) nooutput
if (exists("STATS_min")) { floor = STATS_min / 1000; set yrange [floor:*] } else { floor = 1e-300; set yrange [*:*] }
zero(N, S) = is(N, S) && column(V . "_mean") == 0 ? floor : NaN
plot act using "weight_scale":(sel("batchnorm", "trained", V)):(lo("batchnorm", "trained", V)):(hi("batchnorm", "trained", V)) with yerrorlines ls 1 title "batchnorm, trained", \
     ""  using "weight_scale":(sel("none", "trained", V)):(lo("none", "trained", V)):(hi("none", "trained", V)) with yerrorlines ls 2 title "baseline, trained", \
     ""  using "weight_scale":(sel("batchnorm", "init", V)):(lo("batchnorm", "init", V)):(hi("batchnorm", "init", V)) with yerrorlines ls 3 title "batchnorm, at initialisation", \
     ""  using "weight_scale":(sel("none", "init", V)):(lo("none", "init", V)):(hi("none", "init", V)) with yerrorlines ls 4 title "baseline, at initialisation", \
     @bars_entry, \
     ""  using "weight_scale":(zero("batchnorm", "trained")) with points lc rgb c_batchnorm pt 2 ps 1.6 lw 2 notitle, \
     ""  using "weight_scale":(zero("none", "trained")) with points lc rgb c_baseline pt 2 ps 1.6 lw 2 notitle, \
     ""  using "weight_scale":(zero("batchnorm", "init")) with points lc rgb c_batchnorm pt 2 ps 1.6 lw 2 notitle, \
     ""  using "weight_scale":(zero("none", "init")) with points lc rgb c_baseline pt 2 ps 1.6 lw 2 notitle, \
     keyentry with points lc rgb "#777777" pt 2 ps 1.2 lw 2 title "mean 0: on the bottom edge"
unset key

# 2. the loss, linear axis up to loss_top: trained losses of 1.8 to 2.3 must be told apart from
# ln 10; a mean above the top is a triangle on the top edge (as the sweep's loss panel)
V = "loss"
loss_top = 4.0
unset logscale y
set format y "%g"
set yrange [0:loss_top]
set title sprintf("Loss (above %g: a triangle on the top edge)", loss_top)
val(N, S) = is(N, S) ? fin(column(V . "_mean")) : NaN
vlo(N, S) = is(N, S) ? fin(column(V . "_mean_lo")) : NaN
vhi(N, S) = is(N, S) ? fin(column(V . "_mean_hi")) : NaN
top(N, S) = is(N, S) && fin(column(V . "_mean")) > loss_top ? loss_top : NaN
# ln 10 dotted, said low in the panel, clear of every loss (trained ones stay above 1)
@ln10_line
set label 9 ln10_note at graph 0.02, graph 0.1 left tc rgb c_ref front
plot act using "weight_scale":(val("batchnorm", "trained")):(vlo("batchnorm", "trained")):(vhi("batchnorm", "trained")) with yerrorlines ls 1 notitle, \
     ""  using "weight_scale":(val("none", "trained")):(vlo("none", "trained")):(vhi("none", "trained")) with yerrorlines ls 2 notitle, \
     ""  using "weight_scale":(val("batchnorm", "init")):(vlo("batchnorm", "init")):(vhi("batchnorm", "init")) with yerrorlines ls 3 notitle, \
     ""  using "weight_scale":(val("none", "init")):(vlo("none", "init")):(vhi("none", "init")) with yerrorlines ls 4 notitle, \
     ""  using "weight_scale":(top("batchnorm", "trained")) with points lc rgb c_batchnorm pt 9 ps 1.6 notitle, \
     ""  using "weight_scale":(top("none", "trained")) with points lc rgb c_baseline pt 9 ps 1.6 notitle, \
     ""  using "weight_scale":(top("batchnorm", "init")) with points lc rgb c_batchnorm pt 8 ps 1.6 notitle, \
     ""  using "weight_scale":(top("none", "init")) with points lc rgb c_baseline pt 8 ps 1.6 notitle
@ln10_off
unset multiplot
