# seeds_sweep.gp - experiment 6 over several seeds: the weight-scale sweep, three stacked panels
# against the weight initialisation scale (log axis): best validation accuracy, best training
# accuracy and final training loss, batchnorm vs baseline. Each point is the mean over the seeds;
# its bar is the 95% interval of that mean (Student's t, narrowing as seeds are added); a small
# open mark at each end of the middle 80% of the seeds (10% and 90% quantiles). The baseline is drawn a little to the right of batchnorm so that the bars stay apart.
# usage: gnuplot -c report/seeds_sweep.gp SEEDS_FOLDER OUTPUT.svg
# Reads SEEDS_FOLDER/exp6_sweep_seeds.tsv (written by bnagg seeds) by column name. Non-finite
# values become gaps; the final loss is drawn on a log axis because the baseline's explodes.
if (ARGC != 2) { print "usage: gnuplot -c seeds_sweep.gp SEEDS_FOLDER OUTPUT.svg"; exit status 2 }
sweep = ARG1 . "/exp6_sweep_seeds.tsv"

load system("dirname '" . ARG0 . "'") . "/style.gp"
eval style_term(720, 1320)
set output ARG2
set datafile separator "\t"
set datafile columnheaders

fin(v) = (v == v && abs(v) < 1e300) ? v : NaN
pos(v) = (v == v && v > 0 && v < 1e300) ? v : NaN
m(P) = f(column(P . "_mean"))
mn(P) = f(column(P . "_mean_lo"))
mx(P) = f(column(P . "_mean_hi"))
q1(P) = f(column(P . "_q10"))
q9(P) = f(column(P . "_q90"))
# the baseline's x, a twentieth of a decade to the right
shift = 10 ** 0.05

set style line 1 lc rgb c_batchnorm lw 2 pt 7 ps 0.9   # batchnorm
set style line 2 lc rgb c_baseline lw 2 pt 5 ps 0.8    # baseline
set style line 3 lc rgb c_batchnorm lw 1.5 pt 7 ps 0.9
set style line 4 lc rgb c_baseline lw 1.5 pt 5 ps 0.8
set style line 5 lc rgb c_batchnorm pt 1 ps 0.7
set style line 6 lc rgb c_baseline pt 1 ps 0.7
# one legend, above the panels (beside them it would take a third of a phone's width); its four
# rows stand one under another, so the panels start 252 px down, below it and the first title
set key at screen 0.5, 0.985 center top horizontal maxcols 3 Left reverse samplen 2 width -2

finite_count = 'nfin = 0; do for [c in cols] { undefine STATS_records; \
  stats sweep using (f(column(c))) nooutput; if (exists("STATS_records")) { nfin = nfin + STATS_records } }'
empty_panel = 'set yrange [ylo:yhi]; set label 1 "no finite values" at graph 0.5, 0.5 center tc rgb "#888888"'
full_panel = 'set yrange [*:*]; unset label 1'
# y tick step for the values of the columns in cols: a 1, 2 or 5 times a power of ten giving at
# most 6 steps over their range (8 once autoscaling has widened it to whole steps), so that the
# tick labels of a 210 px panel stay apart when few seeds make the intervals wide
nice_step(s) = (_e = 10 ** floor(log10(s)), s / _e <= 1 ? _e : s / _e <= 2 ? 2 * _e : s / _e <= 5 ? 5 * _e : 10 * _e)
y_step = 'ymin = 1e300; ymax = -1e300; do for [c in cols] { undefine STATS_records; \
  stats sweep using (f(column(c))) nooutput; if (exists("STATS_records") && STATS_records > 0) { \
    ymin = (STATS_min < ymin) ? STATS_min : ymin; ymax = (STATS_max > ymax) ? STATS_max : ymax } }; \
  if (ymax > ymin) { set ytics nice_step((ymax - ymin) / 6) } else { set ytics autofreq }'

set logscale x 10
set format x "1e%L"
# the scales' range, a little wider (the baseline's points sit right of their scale)
stats sweep using "weight_scale" nooutput
set xrange [STATS_min / 10 ** 0.1 : STATS_max * 10 ** 0.15]
set xlabel "Weight initialisation scale"
set multiplot layout 3,1 margins 0.12, 0.95, 0.08, 1 - 252.0 / 1320 spacing 0, 0.125

# 1. and 2. best validation and training accuracy: bars the interval of the mean, mean line
f(v) = fin(v); ylo = 0; yhi = 1
do for [M in "best_val best_train"] {
  cols = sprintf("batchnorm_%s_mean baseline_%s_mean", M, M)
  @finite_count
  if (nfin == 0) { @empty_panel } else { @full_panel }
  cols = ""; do for [P in "batchnorm_ baseline_"] { do for [S in "_mean _mean_lo _mean_hi _q10 _q90"] { cols = cols . " " . P . M . S } }
  @y_step
  set title sprintf("Best %s accuracy", M eq "best_val" ? "validation" : "training")
  B = "batchnorm_" . M; R = "baseline_" . M
  plot sweep using "weight_scale":(m(B)):(mn(B)):(mx(B)) with yerrorbars ls 3 notitle, \
       ""    using (column("weight_scale") * shift):(m(R)):(mn(R)):(mx(R)) with yerrorbars ls 4 notitle, \
       ""    using "weight_scale":(m(B)) with linespoints ls 1 title "batchnorm", \
       ""    using (column("weight_scale") * shift):(m(R)) with linespoints ls 2 title "baseline", \
       ""    using "weight_scale":(q1(B)) with points ls 5 notitle, "" using "weight_scale":(q9(B)) with points ls 5 notitle, \
       ""    using (column("weight_scale") * shift):(q1(R)) with points ls 6 notitle, \
       ""    using (column("weight_scale") * shift):(q9(R)) with points ls 6 notitle, \
       keyentry with yerrorbars lc rgb "#777777" pt 7 ps 0.6 title "95% interval of the mean", \
       keyentry with points lc rgb "#777777" pt 1 ps 0.7 title "middle 80% of seeds"
  unset key
}

set ytics autofreq

# 3. final training loss (mean of the last 100 iterations): mean, bars the interval of the mean, log axis
loss_top = 4.0
f(v) = fin(v); ylo = 0; yhi = loss_top
cols = "batchnorm_final_loss_mean baseline_final_loss_mean"
@finite_count
if (nfin == 0) { @empty_panel } else { @full_panel }
if (nfin > 0) { set yrange [0:loss_top] }
set title sprintf("Final training loss (above %g: a triangle on the top edge)", loss_top)
# ln 10 dotted, said in the top left corner: the baseline runs along the line at small scales
@ln10_line_top
B = "batchnorm_final_loss"; R = "baseline_final_loss"
plot sweep using "weight_scale":(m(B)):(mn(B)):(mx(B)) with yerrorbars ls 3 notitle, \
     ""    using (column("weight_scale") * shift):(m(R)):(mn(R)):(mx(R)) with yerrorbars ls 4 notitle, \
     ""    using "weight_scale":(m(B)) with linespoints ls 1 title "batchnorm", \
     ""    using (column("weight_scale") * shift):(m(R)) with linespoints ls 2 title "baseline", \
     ""    using "weight_scale":(q1(B)) with points ls 5 notitle, "" using "weight_scale":(q9(B)) with points ls 5 notitle, \
     ""    using (column("weight_scale") * shift):(q1(R)) with points ls 6 notitle, \
     ""    using (column("weight_scale") * shift):(q9(R)) with points ls 6 notitle, \
     ""    using "weight_scale":(m(B) > loss_top ? loss_top : NaN) with points lc rgb c_batchnorm pt 8 ps 1.6 notitle, \
     ""    using (column("weight_scale") * shift):(m(R) > loss_top ? loss_top : NaN) with points lc rgb c_baseline pt 8 ps 1.6 notitle
@ln10_off

unset multiplot
