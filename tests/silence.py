"""Bounds for the tests of timeouts, which no busy machine can miss.

A server in such a test stays silent for SILENCE seconds. A timeout that works ends the wait
within a second or two; one that does not waits out the whole silence. The bound sits far from
both, so a loaded CI machine cannot miss it and a broken timeout cannot pass.
"""

SILENCE = 30.0
WELL_BEFORE_THE_SILENCE_ENDS = 10.0
