# exp7_batchsize.gp - experiment 7: batch size and normalisation. Four panels: training accuracy
# (top) and validation accuracy (bottom) per epoch, for the batchnorm nets (left) and the layernorm
# nets (right), one curve per batch size; the baseline (no normalisation) is drawn in both.
# usage: gnuplot -c report/exp7_batchsize.gp RUN_FOLDER OUTPUT.svg [wide|narrow] (narrow: four panels stacked)
# Reads RUN_FOLDER/exp7_batchsize_acc.tsv by column name; the batch sizes are those in the file.
# Non-finite values become gaps; a panel with no finite value at all is drawn empty and says so.
if (ARGC < 2 || ARGC > 3) { print "usage: gnuplot -c exp7_batchsize.gp RUN_FOLDER OUTPUT.svg"; exit status 2 }
acc = ARG1 . "/exp7_batchsize_acc.tsv"

if (ARGC >= 3) { layout = ARG3 }
fig_w = 1000; fig_h = 860; fig_h_narrow = 1700
load system("dirname '" . ARG0 . "'") . "/style.gp"
set output ARG2
# the batch sizes of normalisation N in the file, increasing, as words
sizes(N) = system(sprintf("awk -F '\\t' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next } $c[\"norm\"] == \"%s\" { print $c[\"batch_size\"] }' '%s' | sort -nu | tr '\\n' ' '", N, acc))
is(N, B) = strcol("norm") eq N && column("batch_size") == B

# colours (style.gp): one per batch size (lines 11.., in increasing order), the baseline line 9
base_bs = sizes("none")
if (words(base_bs) != 1) { print "exp7_batchsize.gp: expected one baseline batch size in ", acc; exit status 1 }

# Each row of panels shares its accuracy axis, so that batchnorm and layernorm compare at a glance:
# the range of column C's finite values over the whole file, or an empty panel if it has none.
row_range = 'set yrange [*:*]; undefine STATS_records; stats acc using (fin(column(C))) nooutput; \
  nfin = exists("STATS_records") ? STATS_records : 0; \
  if (nfin > 0) { pad = (STATS_max - STATS_min) * 0.05 + 0.005; set yrange [STATS_min - pad : STATS_max + pad]; unset label 1 } \
  else { set yrange [0:1]; set label 1 "no finite values" at graph 0.5, 0.5 center tc rgb "#888888" }'
# panel row r (0 top), column c (0 left), placed by its margins on the screen
place_wide = 'set lmargin at screen 0.09 + c * 0.49; set rmargin at screen 0.48 + c * 0.49; \
  set tmargin at screen mp_top - r * 0.45; set bmargin at screen mp_top - 0.33 - r * 0.45; \
  if (r == 1) { set xlabel "Epoch" } else { unset xlabel }'
# narrow: the four panels stacked, batchnorm over layernorm within each row; they share the x
# axis, so its label is under the last one only (clear of every panel's title)
place_narrow = 'k = r * 2 + c; set lmargin at screen mp_left; set rmargin at screen 0.96; \
  set tmargin at screen mp_top - k * 0.222; set bmargin at screen mp_top - 0.145 - k * 0.222; \
  if (k == 3) { set xlabel "Epoch" } else { unset xlabel }'
place = narrow ? place_narrow : place_wide

set xlabel "Epoch" offset 0, 0.5   # close under its tick labels
set title offset 0, 0
set ylabel "Accuracy"
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
    plot for [i = 1:words(bsl)] acc using "epoch":(is(N, word(bsl, i) + 0) ? fin(column(C)) : NaN) \
           with linespoints ls (10 + i), \
         acc using "epoch":(is("none", base_bs + 0) ? fin(column(C)) : NaN) with linespoints ls 9
    c = c + 1
  }
  r = r + 1
}

# one legend for the four panels, under them: a colour means the same batch size everywhere
bsl = sizes("batchnorm")
set lmargin at screen 0.02; set rmargin at screen 0.98; set tmargin at screen (narrow ? 0.06 : 0.1); set bmargin at screen 0.01
unset border; unset tics; unset xlabel; unset ylabel; unset title; unset grid; unset label 1
set xrange [0:1]; set yrange [0:1]
set key default
set key center center horizontal maxrows (narrow ? 2 : 1) Left reverse samplen 2 width 1
plot for [i = 1:words(bsl)] NaN with linespoints ls (10 + i) title sprintf("batch %s", word(bsl, i)), \
     NaN with linespoints ls 9 title sprintf("baseline, batch %s", base_bs)

unset multiplot
