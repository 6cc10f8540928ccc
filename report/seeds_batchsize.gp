# seeds_batchsize.gp - the batch-size study over several seeds, four panels in one column (so a
# phone shows each at full width): training accuracy of the batchnorm and the layernorm nets, then
# their validation accuracy, the baseline in every panel; each curve the mean over the seeds with a
# band, the 95% interval of that mean (Student's t; it narrows as seeds are added). The middle 80%
# of the seeds (10% and 90% quantiles) is in the data file; drawn for five batch sizes at once it
# would hide the curves.
# usage: gnuplot -c report/seeds_batchsize.gp SEEDS_FOLDER OUTPUT.svg
# Reads SEEDS_FOLDER/exp7_batchsize_acc_seeds.tsv (written by bnagg seeds) by column name.
# Non-finite values become gaps; a panel with no finite value at all is drawn empty and says so.
if (ARGC != 2) { print "usage: gnuplot -c seeds_batchsize.gp SEEDS_FOLDER OUTPUT.svg"; exit status 2 }
acc = ARG1 . "/exp7_batchsize_acc_seeds.tsv"

load system("dirname '" . ARG0 . "'") . "/style.gp"
eval style_term(720, 1000)
set output ARG2
set datafile separator "\t"
set datafile columnheaders

fin(v) = (v == v && abs(v) < 1e300) ? v : NaN
# the batch sizes of normalisation N in the file, increasing, as words
sizes(N) = system(sprintf("awk -F '\\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $c[\"norm\"] == \"%s\" { print $c[\"batch_size\"] }' '%s' | sort -nu | tr '\\n' ' '", N, acc))
is(N, B) = strcol("norm") eq N && column("batch_size") == B
lo(C) = fin(column(C . "_mean_lo"))
hi(C) = fin(column(C . "_mean_hi"))

# colours from style.gp: one per batch size (purples, light to dark), the baseline dashed vermilion
set style fill transparent solid 0.15 noborder
base_bs = sizes("none")
if (words(base_bs) != 1) { print "exp7_batchsize.gp: expected one baseline batch size in ", acc; exit status 1 }

# Each row of panels shares its accuracy axis, so that batchnorm and layernorm compare at a glance:
# the range of the means and bands of value C over the whole file (one seed has means but no
# band), or an empty panel if it has no finite mean.
row_range = 'set yrange [*:*]; undefine STATS_records; stats acc using (fin(column(C . "_mean"))) nooutput; \
  nfin = exists("STATS_records") ? STATS_records : 0; \
  if (nfin > 0) { ylo = STATS_min; yhi = STATS_max; undefine STATS_records; stats acc using (lo(C)):(hi(C)) nooutput; \
    if (exists("STATS_records") && STATS_records > 0) { ylo = (STATS_min_x < ylo) ? STATS_min_x : ylo; yhi = (STATS_max_y > yhi) ? STATS_max_y : yhi }; \
    pad = (yhi - ylo) * 0.05 + 0.005; set yrange [ylo - pad : yhi + pad]; unset label 1 } \
  else { set yrange [0:1]; set label 1 "no finite values" at graph 0.5, 0.5 center tc rgb "#888888" }'
# panel k = 2 r + c (0 top), one column of four, the x label under the last only; the first
# row's titles stand clear of the legend's last line
place = 'set lmargin at screen 0.17 + c * 0.43; set rmargin at screen 0.52 + c * 0.43; \
  set tmargin at screen 0.765 - r * 0.385; set bmargin at screen 0.495 - r * 0.385; \
  if (r == 1) { set xlabel "Epoch" } else { unset xlabel }; \
  if (c == 0) { set ylabel "Accuracy" } else { unset ylabel }'

unset key
set title offset 0, 0
set multiplot

r = 0
do for [C in "train val"] {
  @row_range
  c = 0
  do for [N in "batchnorm layernorm"] {
    @place
    bsl = sizes(N)
    set title sprintf("%s: %s", N, C eq "train" ? "training" : "validation")
    plot for [i = 1:words(bsl)] acc using "epoch":(is(N, word(bsl, i) + 0) ? lo(C) : NaN):(hi(C)) \
           with filledcurves ls (10 + i), \
         acc using "epoch":(is("none", base_bs + 0) ? lo(C) : NaN):(hi(C)) with filledcurves ls 9 fs transparent solid 0.12, \
         for [i = 1:words(bsl)] acc using "epoch":(is(N, word(bsl, i) + 0) ? fin(column(C . "_mean")) : NaN) \
           with linespoints ls (10 + i), \
         acc using "epoch":(is("none", base_bs + 0) ? fin(column(C . "_mean")) : NaN) with linespoints ls 9
    c = c + 1
  }
  r = r + 1
}

# one legend for the four panels, above them: a colour means the same batch size everywhere
bsl = sizes("batchnorm")
set lmargin at screen 0.02; set rmargin at screen 0.98; set tmargin at screen 0.965; set bmargin at screen 0.865
unset border; unset tics; unset xlabel; unset ylabel; unset title; unset grid; unset label 1
set xrange [0:1]; set yrange [0:1]
set key default
set key center center horizontal maxrows 2 Left reverse samplen 2 width 0
plot for [i = 1:words(bsl)] NaN with linespoints ls (10 + i) title sprintf("batch %s", word(bsl, i)), \
     NaN with linespoints ls 9 title sprintf("baseline, batch %s", base_bs), \
     keyentry with filledcurves lc rgb "#999999" title "95% interval of the mean"

unset multiplot
