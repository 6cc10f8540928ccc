# scripts/words.awk - split the text of the environment variable WORDS into words as a POSIX
# shell splits a command line, without running or expanding anything: blanks (space, tab,
# newline) separate words; '...' keeps everything literally; "..." keeps everything but \" \\
# \$ \` (the backslash then drops); a backslash outside quotes keeps the next character. $, `,
# ;, |, *, ~ ... are ordinary characters. Prints each word on its own line, prefixed with "w" (an
# empty word is the line "w"). Exit 2: a quote is not closed; exit 3: a word holds a newline.
# usage: WORDS=TEXT awk -f scripts/words.awk
BEGIN {
    s = ENVIRON["WORDS"]; n = length(s); w = ""; inword = 0; q = ""; sq = sprintf("%c", 39)
    for (i = 1; i <= n; i++) {
        c = substr(s, i, 1)
        if (q == sq) { if (c == sq) q = ""; else w = w c; continue }
        if (q == "\"") {
            if (c == "\"") q = ""
            else if (c == "\\" && i < n && index("\"\\$`", substr(s, i + 1, 1))) w = w substr(s, ++i, 1)
            else w = w c
            continue
        }
        if (c == " " || c == "\t" || c == "\n") {
            if (inword) out()
            continue
        }
        inword = 1
        if (c == sq || c == "\"") q = c
        else if (c == "\\" && i < n) w = w substr(s, ++i, 1)
        else w = w c
    }
    if (q != "") exit 2
    if (inword) out()
    exit bad
}
function out() {
    if (index(w, "\n")) bad = 3
    words[++nw] = w; w = ""; inword = 0
}
END { if (!bad && q == "") for (k = 1; k <= nw; k++) print "w" words[k] }
