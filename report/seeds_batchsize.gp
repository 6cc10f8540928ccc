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
eval style_term(720, 1560)
set output ARG2
set datafile separator "\t"
set datafile columnheaders

fin(v) = (v == v && abs(v) < 1e300) ? v : NaN
# the batch sizes of normalisation N in the file, increasing, as words
sizes(N) = system(sprintf("awk -F '\\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $c[\"norm\"] == \"%s\" { print $c[\"batch_size\"] }' '%s' | sort -nu | tr '\\n' ' '", N, acc))
is(N, B) = strcol("norm") eq N && column("batch_size") == B
lo(C) = fin(column(C . "_mean_lo"))
hi(C) = fin(column(C . "_mean_hi"))

# Okabe-Ito colours, one per batch size (in increasing order), the baseline in black, dashed
set style line 11 lc rgb "#E69F00" lw 2 pt 7 ps 0.7
set style line 12 lc rgb "#56B4E9" lw 2 pt 5 ps 0.7
set style line 13 lc rgb "#009E73" lw 2 pt 9 ps 0.8
set style line 14 lc rgb "#CC79A7" lw 2 pt 11 ps 0.8
set style line 15 lc rgb "#0072B2" lw 2 pt 13 ps 0.8
set style line 9 lc rgb "#000000" lw 2 dt 2 pt 6 ps 0.7
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
# panel k = 2 r + c (0 top), one column of four, the x label under the last only
place = 'k = 2 * r + c; set lmargin at screen 0.12; set rmargin at screen 0.97; \
  set tmargin at screen 0.89 - k * 0.22; set bmargin at screen 0.745 - k * 0.22; \
  if (k == 3) { set xlabel "Epoch" } else { unset xlabel }'

unset key
set multiplot

r = 0
do for [C in "train val"] {
  @row_range
  c = 0
  do for [N in "batchnorm layernorm"] {
    @place
    bsl = sizes(N)
    set title sprintf("%s: %s accuracy", N, C eq "train" ? "training" : "validation")
    plot for [i = 1:words(bsl)] acc using "epoch":(is(N, word(bsl, i) + 0) ? lo(C) : NaN):(hi(C)) \
           with filledcurves ls (10 + i), \
         acc using "epoch":(is("none", base_bs + 0) ? lo(C) : NaN):(hi(C)) with filledcurves lc rgb "#000000" fs transparent solid 0.08, \
         for [i = 1:words(bsl)] acc using "epoch":(is(N, word(bsl, i) + 0) ? fin(column(C . "_mean")) : NaN) \
           with linespoints ls (10 + i), \
         acc using "epoch":(is("none", base_bs + 0) ? fin(column(C . "_mean")) : NaN) with linespoints ls 9
    c = c + 1
  }
  r = r + 1
}

# one legend for the four panels, above them: a colour means the same batch size everywhere
bsl = sizes("batchnorm")
set lmargin at screen 0.02; set rmargin at screen 0.98; set tmargin at screen 1.0; set bmargin at screen 0.92
unset border; unset tics; unset xlabel; unset ylabel; unset title; unset grid; unset label 1
set xrange [0:1]; set yrange [0:1]
set key center center horizontal maxcols 3 Left reverse samplen 2 width -2
plot for [i = 1:words(bsl)] NaN with linespoints ls (10 + i) title sprintf("batch %s", word(bsl, i)), \
     NaN with linespoints ls 9 title sprintf("baseline, batch %s", base_bs), \
     keyentry with filledcurves lc rgb "#999999" title "95% interval of the mean"

unset multiplot
