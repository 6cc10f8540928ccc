#!/bin/sh
# The shell of every make recipe and $(shell ...) (the Makefile's SHELL): it opens /dev/null on
# any of descriptors 0-2 that make was given closed, then runs /bin/sh as make asked. Without it
# a file a script opens could become descriptor 1 or 2 and receive its messages.
# (`true 3>&N` fails exactly when N is closed; its own complaint goes nowhere or to /dev/null.)
{ true 3<&0; } 2>/dev/null || exec 0</dev/null
{ true 3>&1; } 2>/dev/null || exec 1>/dev/null
{ true 3>&2; } || exec 2>/dev/null
exec /bin/sh "$@"
